import CORSReports
import Foundation
import Testing

/// `cors-harness run` with the report flags, as a user runs it (the executable `swift test` built).
@Suite("cors-harness run --report")
struct CommandTests {
    struct Output { let status: Int32; let stdout: String; let stderr: String }

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cors-harness")
    }

    func run(_ arguments: [String], in directory: URL? = nil) throws -> Output {
        let exe = Self.executable
        try #require(FileManager.default.isExecutableFile(atPath: exe.path), "cors-harness is not built next to the tests at \(exe.path)")
        let p = Process()
        p.executableURL = exe
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: o.utf8String, stderr: e.utf8String)
    }

    @Test("--report DIR writes all four files, still prints the matrix and keeps exit status 1 for a failure")
    func reportDirectory() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["run", Fixtures.path("basic"), "--report", dir.path])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("case "))
        #expect(r.stdout.contains("total: 27 passed, 4 failed, 0 errors, 2 unchecked, 3 skipped"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["index.html", "junit.xml", "results.json", "summary.md"])
        let junit = try Data(contentsOf: dir.appendingPathComponent("junit.xml"))
        #expect(LibXML2.validate(junit, schema: Fixtures.junitSchema) == [])
        let report = try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: dir.appendingPathComponent("results.json")))
        #expect(report.results.count == 36)
        #expect(report.cases?.count == 7)
        #expect(report.results.allSatisfy { $0.time != nil && !$0.trace.isEmpty || $0.verdict == "skipped" })
        #expect(r.stderr.contains("reports: \(dir.path)/index.html"))
    }

    @Test("--report alone writes into Reports/; --format json prints what results.json holds")
    func defaultDirectoryAndJSON() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["run", Fixtures.path("basic"), "--format", "json", "--report"], in: dir)
        #expect(r.status == 1)
        let written = try Data(contentsOf: dir.appendingPathComponent("Reports/results.json"))
        #expect(Data(r.stdout.utf8) == written)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("Reports/index.html").path))
    }

    @Test("--junit, --html, --json, --markdown write one file each")
    func singleFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["run", Fixtures.path("basic"), "--junit", dir.path + "/a/j.xml", "--markdown", dir.path + "/s.md"])
        #expect(r.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a", "s.md"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/a") == ["j.xml"])
        let r2 = try run(["run", Fixtures.path("basic"), "--html", dir.path + "/i.html", "--json", dir.path + "/r.json"])
        #expect(r2.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["a", "i.html", "r.json", "s.md"])
    }

    @Test("exit status 2 for an incomplete case (reports still written), for an unwritable report, for a corpus as report directory")
    func exitStatuses() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try run(["run", Fixtures.path("incomplete"), "--report", dir.path])
        #expect(r.status == 2)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("junit.xml").path))
        try Data().write(to: dir.appendingPathComponent("file"))
        let bad = try run(["run", Fixtures.path("basic"), "--report", dir.path + "/file/sub"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("cannot"))
        let ok = try run(["run", Fixtures.path("basic"), "--filter", "exact-*", "--report", dir.path + "/ok"])
        #expect(ok.status == 0)
        // `--report <corpus>` takes the corpus for the report directory: refused, nothing written there.
        let corpus = try run(["run", "--report", Fixtures.path("basic")])
        #expect(corpus.status == 2)
        #expect(corpus.stderr.contains("holds case files"))
        #expect(corpus.stdout.isEmpty, "refused before running")
        #expect(!FileManager.default.fileExists(atPath: Fixtures.path("basic") + "/index.html"))
        // A usage error (a browser or engine that does not exist) is unusable input too: 2, with the usage.
        for args in [["run", "--browsers", "opera"], ["verify", "--engines", "opera"], ["run", "--no-such-flag"]] {
            let usage = try run(args)
            #expect(usage.status == 2, "\(args)")
            #expect(usage.stderr.contains("Usage:") || usage.stderr.contains("Error:"), "\(args)")
        }
        #expect(try run(["--help"]).status == 0)
    }
}
