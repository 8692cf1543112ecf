import ArgumentParser
import CORSCorpus
import CORSLive
import CORSModel
import CORSReports
import Foundation

struct EngineList: ExpressibleByArgument {
    let engines: [Engine]
    init?(argument: String) {
        var list: [Engine] = []
        for part in argument.split(separator: ",") {
            guard let e = Engine(rawValue: part.trimmingCharacters(in: .whitespaces)) else { return nil }
            if !list.contains(e) { list.append(e) }
        }
        if list.isEmpty { return nil }
        engines = list
    }
    var defaultValueDescription: String { engines.map(\.rawValue).joined(separator: ",") }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the cases in real engines (Chromium, Firefox, WebKitGTK) and check that the model agrees with each.",
        discussion: """
        Serves the cases with the mock server (as `serve` does), opens every case in a fresh page of each engine through the runner page, and compares what the engine did with the model's prediction for the browsers it stands for: chromium → chrome and edge, firefox → firefox, webkit → safari. Compared: what the script saw (outcome, status, readable headers), the requests the server received (preflight, Origin, Referer, Access-Control-Request-*, cookies) and the console lines, verbatim. Cases that cannot be compared over loopback are listed as gaps with the reason (docs/VERIFY.md).

        Exit status: 0 when every compared case agrees, 1 when any disagrees, 2 on invalid input, 3 when an engine could not be used or a case could not be observed.
        """)

    @Argument(help: "Case files or directories (default: Cases/).")
    var paths: [String] = []

    @Option(help: "Only cases whose id matches this glob.")
    var filter: String?

    @Option(help: "Comma-separated engines: chromium, firefox, webkit.")
    var engines: EngineList = EngineList(argument: "chromium,firefox,webkit")!

    @Option(name: .customLong("report"), help: ArgumentHelp("Directory for the reports (index.html, junit.xml, results.json, summary.md, verify.json).", valueName: "dir"))
    var reportDirectory: String = "Reports/verify"

    @Option(help: ArgumentHelp("Directory of the engine drivers (default: tools/verify in the repository).", valueName: "dir"))
    var drivers: String?

    @Option(help: "Python 3 interpreter with python3-gi and python3-websocket (Debian's).")
    var python: String = "/usr/bin/python3"

    @Option(help: ArgumentHelp("Directory for browser profiles and driver logs.", valueName: "dir"))
    var workDirectory: String = ".live/verify"

    @Option(help: "Seconds a page may take to run its case (its steps' waits are added).")
    var timeout: Double = 45

    @Option(help: "Seconds to wait for late console lines after a case is done.")
    var settle: Double = 0.3

    @Option(help: "Times a disagreeing case is run again (agreement on a retry is reported as flaky).")
    var retries: Int = 1

    @Flag(help: "Only list which cases would be compared in which engine, and the gaps with their reasons.")
    var plan = false

    func validate() throws {
        if timeout <= 0 || settle < 0 || retries < 0 { throw ValidationError("--timeout must be positive, --settle and --retries not negative") }
    }

    /// tools/verify of the repository: below the current directory, or two levels above the
    /// executable (.build/<config>/cors-harness).
    func driverDirectory() -> String? {
        if let drivers { return drivers }
        let fm = FileManager.default
        var candidates = ["tools/verify"]
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(exe.deletingLastPathComponent().appendingPathComponent("../../tools/verify").standardized.path)
        candidates.append(exe.deletingLastPathComponent().appendingPathComponent("../../../tools/verify").standardized.path)
        return candidates.first { fm.fileExists(atPath: ($0 as NSString).appendingPathComponent("PROTOCOL.md")) }
    }

    func run() throws {
        let cases = try selectCases(paths, filter: filter)
        if plan { return printPlan(cases) }
        guard let driverDir = driverDirectory() else {
            printError("error: the engine drivers (tools/verify/*_driver.py) were not found; run from the repository or pass --drivers DIR")
            throw ExitCode(ExitStatus.invalidInput)
        }
        let missing = engines.engines.map { (driverDir as NSString).appendingPathComponent("\($0.rawValue)_driver.py") }
            .filter { !FileManager.default.fileExists(atPath: $0) }
        if !missing.isEmpty {
            printError("error: engine driver not found: \(missing.joined(separator: ", ")) (pass --drivers DIR with tools/verify's drivers)")
            throw ExitCode(ExitStatus.invalidInput)
        }
        var options = Verifier.Options()
        options.engines = engines.engines
        options.drivers = driverDir
        options.python = python
        options.workDirectory = workDirectory
        options.pageTimeout = timeout
        options.settle = settle
        options.retries = retries

        let server = MockServer(cases: cases)
        do { try server.start() } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.invalidInput)
        }
        defer { server.stop() }
        let verifier = Verifier(cases: cases, options: options, server: server)
        verifier.progress = { line in printError(line) }
        let compared = engines.engines.map { e in cases.filter { Verification.gap(for: $0, engine: e) == nil }.count }
        printError("verify: \(cases.count) cases; compared per engine: " + zip(engines.engines, compared).map { "\($0.rawValue) \($1)" }.joined(separator: ", "))
        let t0 = Date()
        let runs = verifier.run()
        let wall = Date().timeIntervalSince(t0)

        let results = caseResults(runs, cases: cases, predictions: verifier.predictions)
        let browsers = engines.engines.flatMap(\.browsers)
        print(TableReport.render(results, browsers: browsers, color: useColor()), terminator: "")
        printDisagreements(runs, cases: cases)
        printSummary(runs, wall: wall, cases: cases)

        let report = RunReport(results: results, browsers: browsers, generated: isoNow(),
                               command: CommandLine.arguments.joined(separator: " "), cases: cases)
        let dir = reportDirectory
        let document = VerifyDocument(runs: runs, cases: cases, wall: wall)
        do {
            let data = try document.encoded()
            var written = try ReportWriter.write(report, files: ReportWriter.plan(directory: dir, single: []))
            let path = (dir as NSString).appendingPathComponent("verify.json")
            try AtomicFileWriter.write(data, to: path)
            written.append((path, data.count))
            printError("reports: " + written.map { "\($0.path) (\(byteCount($0.bytes)))" }.joined(separator: ", "))
        } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.invalidInput)
        }
        if runs.contains(where: { $0.count(.differ) > 0 }) { throw ExitCode(ExitStatus.expectationFailed) }
        if runs.contains(where: { $0.problem != nil || $0.count(.notObserved) > 0 }) { throw ExitCode(3) }
        if runs.contains(where: { $0.count(.error) > 0 }) { throw ExitCode(ExitStatus.invalidInput) }
    }

    func printPlan(_ cases: [Case]) {
        for e in engines.engines {
            let gaps = cases.compactMap { c in Verification.gap(for: c, engine: e).map { (c, $0) } }
            print("\(e.rawValue) (\(e.browsers.map(\.rawValue).joined(separator: ", "))): \(cases.count - gaps.count) of \(cases.count) cases compared")
            for (c, g) in gaps { print("  gap \(c.id) [\(g.rule)]: \(g.reason)") }
        }
    }

    /// The agreement matrix as run results: one row per case × browser × step, pass when the engine
    /// agreed with the model, fail with the differences when not, skipped for a gap (with why).
    func caseResults(_ runs: [Verifier.EngineRun], cases: [Case], predictions: [String: [Browser: [FetchResult]]]) -> [CaseResult] {
        var out: [CaseResult] = []
        let outcomes = runs.map { run in Dictionary(run.outcomes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
        for c in cases {
            for (run, byID) in zip(runs, outcomes) {
                guard let o = byID[c.id] else { continue }
                for b in run.engine.browsers {
                    let model = predictions[c.id]?[b] ?? []
                    for (i, step) in c.steps.enumerated() {
                        let verdict: Verdict
                        var diffs: [String] = []
                        switch o.status {
                        case .agree: verdict = .pass
                        case .differ:
                            diffs = o.differences[b.rawValue]?[safe: i] ?? []
                            verdict = diffs.isEmpty ? .pass : .fail
                        case .gap:
                            verdict = .skipped
                            diffs = ["not compared in \(run.engine.rawValue) (\(o.gap?.rule ?? "?")): \(o.gap?.reason ?? "")"]
                        case .notObserved:
                            verdict = .error
                            diffs = ["\(run.engine.rawValue): \(o.attempts.last?.observation.problem ?? run.problem ?? "not observed")"]
                        case .error:
                            verdict = .error
                            diffs = ["the model cannot evaluate this case"]
                        }
                        if o.flaky && i == c.steps.count - 1 {
                            diffs.append("flaky in \(run.engine.rawValue): the first run differed (\(o.attempts.first?.differences.values.first?.first ?? "")), a retry agreed")
                        }
                        out.append(CaseResult(caseID: c.id, title: c.title, suite: c.suite, file: c.file, location: step.location,
                                              step: i + 1, stepCount: c.steps.count, browser: b, request: step.request, page: step.page,
                                              result: model[safe: i], expected: step.expect.resolved(for: b),
                                              verdict: verdict, differences: diffs))
                    }
                }
            }
        }
        return out
    }

    func printDisagreements(_ runs: [Verifier.EngineRun], cases: [Case]) {
        let byID = Dictionary(cases.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for run in runs {
            // An engine that could not be used is reported once (in the summary), not per case.
            for o in run.outcomes where o.status == .differ || (o.status == .notObserved && run.problem == nil) {
                let c = byID[o.id]!
                print("\n\(run.engine.rawValue) \(o.status == .differ ? "disagrees" : "was not observed") on \(o.id) (\(c.file):\(c.location.line)):")
                if o.status == .notObserved {
                    print("  \(o.attempts.last?.observation.problem ?? run.problem ?? "?")")
                    continue
                }
                for (b, steps) in o.differences.sorted(by: { $0.key < $1.key }) {
                    for (i, d) in steps.enumerated() where !d.isEmpty {
                        for line in d {
                            print("  \(b)\(c.steps.count > 1 ? " step \(i + 1)" : ""): " + line.replacingOccurrences(of: "\n", with: "\n    "))
                        }
                    }
                }
            }
        }
    }

    func printSummary(_ runs: [Verifier.EngineRun], wall: Double, cases: [Case]) {
        print("")
        for r in runs {
            var line = "\(r.engine.rawValue) (\(r.version ?? "not started")): "
            line += "\(r.count(.agree)) agree, \(r.count(.differ)) differ, \(r.count(.gap)) gaps"
            if r.count(.notObserved) > 0 { line += ", \(r.count(.notObserved)) not observed" }
            if r.count(.error) > 0 { line += ", \(r.count(.error)) model errors" }
            let flaky = r.outcomes.filter(\.flaky).count
            if flaky > 0 { line += ", \(flaky) flaky (agreed on a retry)" }
            line += String(format: "; %.0f s, %.2f cases/s", r.seconds, r.casesPerSecond)
            print(line)
            if let p = r.problem { print("  \(r.engine.rawValue): \(p)") }
        }
        let everywhere = Verifier.agreedEverywhere(cases, runs: runs)
        print(String(format: "verified in every engine: %d of %d cases (wall time %.0f s)", everywhere, cases.count, wall))
    }
}

/// verify.json: everything `verify` observed, per engine and case (docs/VERIFY.md).
struct VerifyDocument: Encodable {
    struct EngineSummary: Encodable {
        var engine: String
        var browsers: [String]
        var version: String?
        var userAgent: String?
        var problem: String?
        var seconds: Double
        var casesPerSecond: Double
        var agree: Int, differ: Int, gap: Int, notObserved: Int, error: Int, flaky: Int
    }
    struct Outcome: Encodable {
        var `case`: String
        var file: String
        var line: Int
        var engine: String
        var status: String
        var flaky: Bool
        var gap: VerifyGap?
        var differences: [String: [[String]]]
        var attempts: [Verifier.Attempt]
    }
    var schemaVersion = 1
    var tool = "cors-harness verify"
    var generated: String
    var command: String
    var cases: Int
    var verifiedInEveryEngine: Int
    var wallSeconds: Double
    var engines: [EngineSummary]
    var outcomes: [Outcome]

    init(runs: [Verifier.EngineRun], cases: [Case], wall: Double) {
        generated = isoNow()
        command = CommandLine.arguments.joined(separator: " ")
        self.cases = cases.count
        wallSeconds = (wall * 10).rounded() / 10
        verifiedInEveryEngine = Verifier.agreedEverywhere(cases, runs: runs)
        engines = runs.map { r in
            EngineSummary(engine: r.engine.rawValue, browsers: r.browsers, version: r.version, userAgent: r.userAgent, problem: r.problem,
                          seconds: (r.seconds * 10).rounded() / 10, casesPerSecond: (r.casesPerSecond * 100).rounded() / 100,
                          agree: r.count(.agree), differ: r.count(.differ), gap: r.count(.gap), notObserved: r.count(.notObserved),
                          error: r.count(.error), flaky: r.outcomes.filter(\.flaky).count)
        }
        let byID = Dictionary(cases.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        outcomes = runs.flatMap { r in
            r.outcomes.map { o in
                let c = byID[o.id]
                return Outcome(case: o.id, file: c?.file ?? "", line: c?.location.line ?? 0, engine: r.engine.rawValue, status: o.status.rawValue,
                               flaky: o.flaky, gap: o.gap, differences: o.differences, attempts: o.attempts)
            }
        }
    }

    func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var d = try e.encode(self)
        d.append(0x0A)
        return d
    }
}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
