import CORSCorpus
import CORSLive
import CORSModel
import Foundation
import Testing

/// The example servers under examples/, started with the Makefile's targets (as a user starts them)
/// once per test process, and stopped when it exits. Missing nginx, node or Flask is a failure with
/// the make target's message, never a skip (`make live-deps` installs them).
enum Examples {
    static let started: String? = {
        let exe = Paths.executable.path
        guard FileManager.default.isExecutableFile(atPath: exe) else { return "cors-harness is not built next to the tests at \(exe)" }
        do {
            let r = try runProcess("/usr/bin/make", ["-s", "-C", Paths.root.path, "examples-start", "CORS_HARNESS=\(exe)"], timeout: 120)
            if r.status != 0 { return "make examples-start failed (\(r.status)): \(r.stderr)\(r.stdout)\nRun `make live-deps` to install nginx, Express and Flask." }
        } catch {
            return "cannot run make: \(error)"
        }
        atexit {
            _ = try? runProcess("/usr/bin/make", ["-s", "-C", Paths.root.path, "examples-stop"], timeout: 60)
        }
        return nil
    }()
}

struct ExampleExpectation: Sendable, CustomTestStringConvertible {
    let file: String
    let exitStatus: Int32
    /// Row ids (`endpoint from origin`) that must fail (in every browser); all others must pass.
    let failing: Set<String>
    /// Reviewer flags that must appear (and no others).
    let flags: Set<String>
    var testDescription: String { file }
}

@Suite("example servers, probed", .serialized)
struct ExampleServerTests {
    static let expectations: [ExampleExpectation] = [
        // nginx: the allowlist recipe (http and https) passes everything, with nothing to flag.
        ExampleExpectation(file: "examples/probe.yaml", exitStatus: 0, failing: [], flags: []),
        // nginx without `always`: the 500 loses its CORS headers, so allowed origins cannot read it.
        ExampleExpectation(file: "examples/nginx/probe-no-always.yaml", exitStatus: 1,
                           failing: ["read a server error from http://localhost:5173", "read a server error from https://app.example.com"],
                           flags: ["cors-missing-on-error"]),
        // nginx reflecting $http_origin with credentials: evil and null are let in.
        ExampleExpectation(file: "examples/nginx/probe-reflect.yaml", exitStatus: 1,
                           failing: ["list orders from https://evil.example", "list orders from null",
                                     "update an order from https://evil.example", "update an order from null"],
                           flags: ["reflects-any-origin", "allows-null-origin", "vary-origin-missing"]),
        // The mock server as the application: right on its own…
        ExampleExpectation(file: "examples/mock/probe.yaml", exitStatus: 0, failing: [], flags: []),
        // …and broken behind the nginx proxy that adds a second Access-Control-Allow-Origin.
        ExampleExpectation(file: "examples/nginx/probe-proxy.yaml", exitStatus: 1,
                           failing: ["list orders from http://127.0.0.1:18191"], flags: ["duplicate-cors-header"]),
        ExampleExpectation(file: "examples/express/probe-manual.yaml", exitStatus: 0, failing: [], flags: []),
        ExampleExpectation(file: "examples/express/probe-cors-package.yaml", exitStatus: 0, failing: [], flags: []),
        // The cors package with origin: true, credentials: true reflects every origin, null included.
        ExampleExpectation(file: "examples/express/probe-reflect.yaml", exitStatus: 1,
                           failing: ["list orders from https://evil.example", "list orders from null",
                                     "update an order from https://evil.example", "update an order from null",
                                     "read a server error from https://evil.example", "read a server error from null"],
                           flags: ["reflects-any-origin", "allows-null-origin"]),
        ExampleExpectation(file: "examples/flask/probe.yaml", exitStatus: 0, failing: [], flags: []),
    ]

    @Test("each example is passed or caught as documented", arguments: expectations)
    func example(_ e: ExampleExpectation) throws {
        if let problem = Examples.started { Issue.record(Comment(rawValue: problem)); return }
        let (plan, errors) = ProbeFile.load(path: Paths.path(e.file))
        #expect(errors.isEmpty, "\(errors)")
        let p = try #require(plan)
        let client = try LiveClient(options: p.options)
        defer { client.shutdown() }
        let report = Prober(plan: p).run(client: client)
        #expect(!report.unreachable, "\(report.checks.compactMap(\.networkError))")
        let failingRows = Set(report.checks.filter { $0.verdict != .pass }.map(report.rowID))
        #expect(failingRows == e.failing, "\(report.checks.filter { $0.verdict != .pass }.map { "\(report.rowID($0)) [\($0.check.browser)]: \($0.differences)" })")
        for row in e.failing {
            #expect(report.checks.filter { report.rowID($0) == row }.allSatisfy { $0.verdict == .fail }, "\(row) fails in every browser")
        }
        #expect(Set(report.checks.flatMap { $0.flags.map(\.id) }) == e.flags)
        #expect(report.exitStatus == e.exitStatus)
    }

    @Test("through the proxy: Chrome names the duplicate; Firefox counts two lines; the flag names both")
    func proxyDetails() throws {
        if let problem = Examples.started { Issue.record(Comment(rawValue: problem)); return }
        let (plan, _) = ProbeFile.load(path: Paths.path("examples/nginx/probe-proxy.yaml"))
        let client = try LiveClient()
        defer { client.shutdown() }
        let report = Prober(plan: try #require(plan)).run(client: client)
        let chrome = report.checks.first { $0.check.mustAllow && $0.check.browser == .chrome }!
        #expect(chrome.result.reason == .multipleAllowOrigin)
        #expect(chrome.result.messages.first == "Access to fetch at 'http://127.0.0.1:18183/api/orders' from origin 'http://127.0.0.1:18191' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'http://127.0.0.1:18191, http://127.0.0.1:18191', but only one is allowed. Have the server send the header with a valid value.")
        let flag = chrome.flags.first { $0.id == "duplicate-cors-header" && $0.message.contains("Access-Control-Allow-Origin") }
        #expect(flag?.message.contains("reverse proxy and the application") == true)
    }
}

/// The command line as CI runs it.
@Suite("cors-harness serve and probe, the commands")
struct CommandLineTests {
    func harness(_ args: [String], timeout: Double = 60) throws -> (status: Int32, stdout: String, stderr: String) {
        let exe = Paths.executable.path
        try #require(FileManager.default.isExecutableFile(atPath: exe), "cors-harness is not built next to the tests at \(exe)")
        return try runProcess(exe, args, directory: Paths.root, timeout: timeout)
    }

    @Test("probe exit statuses: 0 all hold, 1 policy failure, 2 unusable input, 3 unreachable; --report writes the run reports and probe.json")
    func exitStatuses() throws {
        let cases = try loadCases([ProbeTests.backend])
        try withServer(cases, configure: { $0.pinned = ["http://127.0.0.1:18190": 0, "http://127.0.0.1:18191": 0] }) { s in
            let api = s.map.entry(forOrigin: "http://127.0.0.1:18190")!.port
            let page = s.map.entry(forOrigin: "http://127.0.0.1:18191")!.local
            let url = "http://127.0.0.1:\(api)/api/orders"
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("probe-report-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: dir) }
            let ok = try harness(["probe", url, "--origin", page, "--credentials", "include", "--report", dir.path])
            #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
            #expect(ok.stdout.contains("GET /api/orders from \(page)  (must be allowed)"))
            #expect(ok.stdout.contains("total: 4 passed, 0 failed, 0 errors"))
            for f in ["index.html", "junit.xml", "results.json", "summary.md", "probe.json"] {
                #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), "\(f)")
            }
            let bad = try harness(["probe", url, "--origin", "https://evil.example", "--method", "PUT", "--header", "Authorization: x", "--credentials", "include"])
            #expect(bad.status == 1)
            #expect(bad.stdout.contains("policy: https://evil.example must be allowed"))
            let json = try harness(["probe", url, "--refused", "https://evil.example", "--format", "json", "--browsers", "firefox"])
            #expect(json.status == 0)
            let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect((doc?["checks"] as? [Any])?.count == 1)
        }
        #expect(try harness(["probe", "examples/nginx/nginx.conf"]).status == 2)
        #expect(try harness(["probe", "http://127.0.0.1:1/x"]).status == 2)   // no --origin
        let down = try harness(["probe", "http://127.0.0.1:1/x", "--origin", "http://localhost:5173", "--connect-timeout", "1"])
        #expect(down.status == 3)
        #expect(down.stdout.contains("network error: connection refused"))
    }

    @Test("serve prints the origin mapping, answers, and shuts down cleanly on SIGTERM")
    func serveLifecycle() throws {
        let child = try Child(Paths.executable.path, ["serve", "Cases/credentials", "--base-port", "0"], directory: Paths.root)
        defer { child.cleanUp() }
        let deadline = Date().addingTimeInterval(20)
        while !child.stdout.contains("index: ") && Date() < deadline { usleep(50_000) }
        let text = child.stdout
        #expect(text.contains("https://api.example.com"))
        #expect(text.contains("http://localhost:3000"))
        guard let line = text.split(separator: "\n").first(where: { $0.contains("https://api.example.com") }) else {
            kill(child.pid, SIGKILL); _ = child.wait(timeout: 5)
            Issue.record("no mapping printed: \(text) \(child.stderr)")
            return
        }
        let port = Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces))!
        let health = try RawSocket.exchange(port: port, "GET /__health HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(health.hasSuffix("\r\n\r\nok\n"))
        kill(child.pid, SIGTERM)
        #expect(child.wait(timeout: 10) == 0)
        #expect(child.stdout.contains("shutting down"))
        #expect(throws: (any Error).self) { try RawSocket.exchange(port: port, "GET /__health HTTP/1.1\r\n\r\n") }
    }

    @Test("serve --self-check: every served case, evaluated over HTTP, passes")
    func selfCheck() throws {
        let r = try harness(["serve", "Cases/redirects", "--base-port", "0", "--self-check", "--browsers", "chrome,firefox"], timeout: 120)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(" 0 failed, 0 errors"))
    }
}
