import ArgumentParser
import CORSCorpus
import CORSModel
import CORSReports
import Foundation

extension Run {
    /// `--junit`, `--html`, `--json`, `--markdown`: one file each.
    var singleReportFiles: [(ReportFormat, String)] {
        [(ReportFormat.junit, junit), (.html, html), (.json, json), (.markdown, markdown)].compactMap { f, path in path.map { (f, $0) } }
    }

    /// Renders and atomically writes the requested report files. A file that cannot be written is
    /// reported on stderr and exits 2, like any other unusable argument.
    /// `run --report Cases` reads as "write the reports into Cases/": refuse, before running, to mix
    /// report files with case files.
    func checkReportDirectory() throws {
        if let dir = reportDirectory, let caseFile = firstCaseFile(under: dir) {
            printError("error: the report directory '\(dir)' holds case files (\(caseFile)); to run it, write `cors-harness run \(dir) --report` or --report=DIR")
            throw ExitCode(ExitStatus.invalidInput)
        }
    }

    func writeReports(_ report: RunReport, files: [(ReportFormat, String)]) throws {
        do {
            let written = try ReportWriter.write(report, files: files)
            printError("reports: " + written.map { "\($0.path) (\(byteCount($0.bytes)))" }.joined(separator: ", "))
        } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.invalidInput)
        }
    }
}

/// The first `*.yaml`/`*.yml` below `dir` (two levels deep, as the corpus is laid out), if any.
func firstCaseFile(under dir: String) -> String? {
    let fm = FileManager.default
    func yaml(_ name: String) -> Bool { name.hasSuffix(".yaml") || name.hasSuffix(".yml") }
    guard let top = try? fm.contentsOfDirectory(atPath: dir) else { return nil }
    for name in top.sorted() {
        let path = (dir as NSString).appendingPathComponent(name)
        if yaml(name) { return path }
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue,
           let inner = try? fm.contentsOfDirectory(atPath: path), let hit = inner.sorted().first(where: yaml) {
            return (path as NSString).appendingPathComponent(hit)
        }
    }
    return nil
}

/// `Runner.run(cases)` one case × browser at a time, timing each (the JUnit report's `time`).
/// Same order and results as `Runner.run(_:)`; a multi-step case's time is shared by its steps.
func timedRun(_ runner: Runner, _ cases: [Case]) -> ([CaseResult], [Double]) {
    var results: [CaseResult] = []
    var times: [Double] = []
    results.reserveCapacity(cases.count * runner.browsers.count)
    times.reserveCapacity(cases.count * runner.browsers.count)
    for c in cases {
        for b in runner.browsers(for: c) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let r = runner.run(c, browser: b)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            results += r
            times += Array(repeating: seconds / Double(max(1, r.count)), count: r.count)
        }
    }
    return (results, times)
}

func byteCount(_ n: Int) -> String {
    n >= 1 << 20 ? String(format: "%.1f MiB", Double(n) / 1048576) : n >= 1024 ? "\(n / 1024) KiB" : "\(n) B"
}

/// `cors-harness bench --reports DIR`: the generated corpus run with tracing, every report rendered
/// alone (size and time of each), then the `run --report` path timed end to end: RunReport,
/// rendering (formats in parallel) and the atomic write. docs/BENCHMARKS.md records the numbers.
func benchReports(corpus: [Case], browsers all: [Browser], directory: String) throws {
    func since(_ t: Date) -> String { String(format: "%.3f s", Date().timeIntervalSince(t)) }
    // What `cors-harness run` evaluates by default (the bench's model figures may use more variants).
    let browsers = (try? Run.parse([]))?.browsers.browsers ?? all
    print("reports: the browsers `run` evaluates by default: \(browsers.map(\.rawValue).joined(separator: ", "))")
    var t0 = Date()
    let (results, times) = timedRun(Runner(browsers: browsers, tracing: true), corpus)
    print("reports: \(results.count) results of \(corpus.count) cases (evaluated with tracing in \(since(t0)))")
    t0 = Date()
    var report = RunReport(results: results, browsers: browsers, generated: isoNow(), command: "cors-harness bench --reports",
                           cases: corpus, times: times)
    print("  RunReport built in \(since(t0))")
    for f in ReportFormat.allCases {
        t0 = Date()
        let data = try f.render(report)
        print("  \(f.defaultFileName.padding(toLength: 13, withPad: " ", startingAt: 0)) \(byteCount(data.count).padding(toLength: 10, withPad: " ", startingAt: 0)) rendered alone in \(since(t0))")
    }
    t0 = Date()
    let cpuStart = processCPUSeconds()
    report = RunReport(results: results, browsers: browsers, generated: isoNow(), command: "cors-harness bench --reports",
                       cases: corpus, times: times)
    let cpuBuilt = processCPUSeconds()
    let built = Date()
    let written = try ReportWriter.write(report, files: ReportWriter.plan(directory: directory, single: []))
    let total = written.reduce(0) { $0 + $1.bytes }
    print(String(format: "  run --report path: %.3f s = RunReport %.3f s + render and atomic write of %@, formats in parallel, %.3f s (%.3f s of CPU)",
                 Date().timeIntervalSince(t0), built.timeIntervalSince(t0), byteCount(total), Date().timeIntervalSince(built),
                 processCPUSeconds() - cpuBuilt))
    print(String(format: "  (CPU time, RunReport included: %.3f s; wall time depends on how busy the machine's cores are)", processCPUSeconds() - cpuStart))
}

/// User + system CPU seconds of this process, all threads.
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
