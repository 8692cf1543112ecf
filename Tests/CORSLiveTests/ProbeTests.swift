import CORSCorpus
import CORSLive
import CORSModel
import Foundation
import Testing

/// The model over real HTTP against the mock server serving the whole corpus: for every case and
/// browser, the probe's path (LiveNetwork under the origin mapping) must give what `run` gives.
@Suite("served corpus, evaluated over HTTP")
struct ServedCorpusTests {
    @Test("every case × browser: the verdict over HTTP equals the verdict from the script, and the corpus passes")
    func corpusOverHTTP() throws {
        let cases = try loadCases(["Cases"])
        let expected = Runner(browsers: Browser.defaultSet).run(cases)
        let client = try LiveClient()
        defer { client.shutdown() }
        let served = try withServer(cases) { s in
            ServedCheck.run(server: s, cases: cases, browsers: Browser.defaultSet, client: client, token: "t", concurrency: 4)
        }
        #expect(served.count == expected.count)
        // Header values with control characters that browsers accept (VT, FF…) are refused by the
        // HTTP/1.1 client's parser (llhttp): a documented limit of probe, pinned here.
        let controlValues = Set(cases.filter { c in
            c.serverScript.contains { $0.responses.contains { $0.headers.contains { h in
                h.rawValue.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F } } } }
        }.map(\.id))
        var compared = 0
        for (a, b) in zip(expected, served) {
            #expect(a.caseID == b.caseID && a.browser == b.browser && a.step == b.step)
            if b.verdict == .skipped && a.verdict != .skipped { continue }   // shared-cache cases are not served
            if controlValues.contains(a.caseID) {
                #expect(b.verdict == .error && b.differences.contains { $0.contains("malformed HTTP response") }, "\(a.caseID): \(b.differences)")
                continue
            }
            compared += 1
            #expect(a.verdict == b.verdict, "\(a.caseID) [\(a.browser)] step \(a.step): run \(a.verdict), over HTTP \(b.verdict): \(b.differences)")
            if let x = a.result, let y = b.result {
                #expect(x.outcome == y.outcome && x.reason == y.reason && x.stage == y.stage && x.status == y.status && x.exposed == y.exposed,
                        "\(a.caseID) [\(a.browser)]")
                #expect(x.messages == y.messages, "\(a.caseID) [\(a.browser)]")
                #expect(x.requests.map(Judge.requestLine) == y.requests.map(Judge.requestLine), "\(a.caseID) [\(a.browser)]")
            }
        }
        #expect(compared > 500)
        #expect(!served.contains { ($0.verdict == .fail || $0.verdict == .error) && !controlValues.contains($0.caseID) })
    }
}

@Suite("cors-harness probe")
struct ProbeTests {
    static let backend = "examples/mock/backend.yaml"

    /// The mock backend on free ports (its loopback origins pinned to port 0).
    func withBackend<T>(_ body: (MockServer, _ api: Int, _ page: Int) throws -> T) throws -> T {
        let cases = try loadCases([ProbeTests.backend])
        return try withServer(cases, configure: { $0.pinned = ["http://127.0.0.1:18190": 0, "http://127.0.0.1:18191": 0] }) { s in
            try body(s, s.map.entry(forOrigin: "http://127.0.0.1:18190")!.port, s.map.entry(forOrigin: "http://127.0.0.1:18191")!.port)
        }
    }

    func plan(_ yaml: String) throws -> ProbePlan {
        let (p, errors) = ProbeFile.parse(text: yaml, file: "test-probe.yaml")
        if let p { return p }
        throw TestError(errors.map(\.description).joined(separator: "\n"))
    }

    func probe(_ p: ProbePlan) throws -> ProbeReport {
        let client = try LiveClient(options: p.options)
        defer { client.shutdown() }
        return Prober(plan: p).run(client: client)
    }

    @Test("against the mock backend: the allowed origin passes in every browser, refused origins are blocked, the preflighted PUT is checked")
    func mockBackend() throws {
        try withBackend { _, api, page in
            let p = try plan("""
            base: http://127.0.0.1:\(api)
            allowed: [http://127.0.0.1:\(page)]
            refused: [https://evil.example, "null"]
            endpoints:
              - path: /api/orders
                credentials: include
                expect: {status: 200, exposed: [content-length, content-type]}   # the server adds Content-Length
              - path: /api/orders
                method: PUT
                headers: ["Content-Type: application/json", "Authorization: Bearer x"]
                body: '{}'
                credentials: include
                expect: {preflight: true, status: 200}
            """)
            let report = try probe(p)
            #expect(report.checks.count == 2 * 3 * 4)
            #expect(report.checks.allSatisfy { $0.verdict == .pass }, "\(report.checks.filter { $0.verdict != .pass }.map { "\($0.endpointName) \($0.check.origin) \($0.check.browser): \($0.differences)" })")
            #expect(report.exitStatus == 0)
            let put = report.checks.first { $0.endpointName == "PUT /api/orders" && $0.check.mustAllow && $0.check.browser == .chrome }!
            #expect(put.exchanges.map(\.method) == ["OPTIONS", "PUT"])
            let pre = put.exchanges[0].requestHeaders
            #expect(pre.contains { $0.name == "Access-Control-Request-Method" && $0.value == "PUT" })
            #expect(pre.contains { $0.name == "Access-Control-Request-Headers" && $0.value == "authorization,content-type" })
            #expect(pre.contains { $0.name == "Origin" && $0.value == "http://127.0.0.1:\(page)" })
            #expect(!pre.contains { $0.name == "Authorization" || $0.name == "Cookie" })
            let evil = report.checks.first { $0.check.origin.serialized == "https://evil.example" && $0.check.browser == .chrome }!
            #expect(evil.result.reason == .allowOriginMismatch)
            #expect(evil.result.messages.first?.hasPrefix("Access to fetch at 'http://127.0.0.1:\(api)/api/orders' from origin 'https://evil.example' has been blocked by CORS policy") == true)
            #expect(report.checks.allSatisfy { $0.flags.isEmpty })
            // The same results feed the reports `run` writes.
            #expect(report.results.count == report.checks.count && report.cases.count == 6)
        }
    }

    @Test("policy failures, reviewer flags (duplicates, Vary, reflection, errors without CORS headers) and strict mode")
    func flags() throws {
        let yaml = #"""
        suite: Flags
        cases:
          - id: flags
            title: A server with every reviewer-flag problem
            page: http://127.0.0.1:1
            request: {url: "http://127.0.0.1:2/dup"}
            server:
              "GET http://127.0.0.1:2/dup":
                status: 200
                headers: ["Access-Control-Allow-Origin: ${Origin}", "Access-Control-Allow-Origin: ${Origin}"]
              "GET http://127.0.0.1:2/reflect":
                status: 200
                headers: ["Access-Control-Allow-Origin: ${Origin}", "Access-Control-Allow-Credentials: true"]
              "GET http://127.0.0.1:2/error":
                status: 503
                headers: ["Content-Type: text/plain"]
            expect: {outcome: blocked}
        """#
        let cases = try loadCases(yaml: yaml)
        try withServer(cases, configure: { $0.pinned = ["http://127.0.0.1:1": 0, "http://127.0.0.1:2": 0] }) { s in
            let api = s.map.entry(forOrigin: "http://127.0.0.1:2")!.port
            var p = try plan("""
            base: http://127.0.0.1:\(api)
            browsers: [chrome, firefox]
            allowed: [http://localhost:5173]
            refused: [https://evil.example]
            endpoints:
              - {path: /dup}
              - {path: /reflect, credentials: include}
              - {path: /error, credentials: include}
            """)
            var report = try probe(p)
            func flagIDs(_ path: String) -> Set<String> {
                Set(report.checks.filter { $0.endpointName == "GET \(path)" }.flatMap { $0.flags.map(\.id) })
            }
            #expect(flagIDs("/dup").contains("duplicate-cors-header"))
            #expect(flagIDs("/reflect") == ["reflects-any-origin", "allows-null-origin", "vary-origin-missing"])
            #expect(flagIDs("/error") == ["cors-missing-on-error"])
            let dup = report.checks.first { $0.endpointName == "GET /dup" && $0.check.mustAllow && $0.check.browser == .chrome }!
            #expect(dup.verdict == .fail && dup.result.reason == .multipleAllowOrigin)
            let evil = report.checks.first { $0.endpointName == "GET /reflect" && !$0.check.mustAllow }!
            #expect(evil.verdict == .fail)
            #expect(evil.differences.first?.hasPrefix("policy: https://evil.example must be refused") == true)
            #expect(report.exitStatus == 1)
            let text = report.detailText()
            #expect(text.contains("flag [reflects-any-origin]") && text.contains("console: Access to fetch at"))
            let json = try JSONSerialization.jsonObject(with: report.json()) as! [String: Any]
            #expect((json["checks"] as! [[String: Any]]).contains { ($0["flags"] as! [[String: Any]]).contains { $0["id"] as? String == "vary-origin-missing" } })

            // Strict: the flag alone fails a check the browser allows.
            p.endpoints = [p.endpoints[1]]
            p.endpoints[0].refused = []
            report = try probe(p)
            #expect(report.exitStatus == 0)
            p.strict = true
            report = try probe(p)
            #expect(report.exitStatus == 1)
            #expect(report.checks.allSatisfy { $0.differences.contains { $0.hasPrefix("reviewer flag [reflects-any-origin]") } })
        }
    }

    @Test("a server that stalls, resets, trickles, speaks something else, or sends oversized or malformed headers is a per-check error within the timeout",
          arguments: [
            (MisbehavingServer.Kind.stall, "read timeout"),
            (.reset, "connection"),
            (.garbage, "did not answer HTTP/1.1"),
            (.oversizedHeaders, "oversized headers"),
            (.malformedHeaders, "malformed HTTP response"),
            (.trickle, "timeout"),   // AHC counts the read timeout per message part: it fires before the request timeout
          ])
    func transportErrors(kind: MisbehavingServer.Kind, phrase: String) throws {
        let server = try MisbehavingServer(kind)
        defer { server.stop() }
        var p = try plan("""
        base: http://127.0.0.1:\(server.port)
        browsers: [chrome, safari]
        allowed: [http://localhost:5173]
        timeouts: {connect: 1s, read: 1s, request: 2s}
        reflection: false
        endpoints: [{path: /api/orders}]
        """)
        p.concurrency = 2
        let t0 = Date()
        let report = try probe(p)
        let elapsed = Date().timeIntervalSince(t0)
        #expect(elapsed < 6, "took \(elapsed) s")
        #expect(report.checks.count == 2)
        for c in report.checks {
            #expect(c.verdict == .error)
            #expect(c.networkError?.contains(phrase) == true, "\(kind): \(c.networkError ?? "no error")")
            #expect(c.result.reason == .networkFailure)
        }
        #expect(report.exitStatus == 3)
    }

    @Test("nothing listening: connection refused, exit status 3")
    func refused() throws {
        let p = try plan("""
        base: http://127.0.0.1:1
        allowed: [http://localhost:5173]
        timeouts: {connect: 1s, read: 1s}
        endpoints: [{path: /x}]
        """)
        let report = try probe(p)
        #expect(report.checks.allSatisfy { $0.networkError == "connection refused" })
        #expect(report.exitStatus == 3)
    }

    @Test("probe files: every problem located at file:line:column, nothing probed")
    func fileErrors() throws {
        let (p, errors) = ProbeFile.parse(text: """
        base: ftp://x
        endpoints: []
        """, file: "a.yaml")
        #expect(p == nil && errors.map(\.description) == ["a.yaml:1:7: error: base 'ftp://x' must be an absolute http:// or https:// URL"])
        let (_, more) = ProbeFile.parse(text: """
        base: http://127.0.0.1:8080
        allowed: [not-an-origin, null]
        colour: red
        timeouts: {connect: soon}
        endpoints:
          - path: api/x
          - path: /y
            credentials: maybe
          - path: /z
            headers: [Authorization: x]
        """, file: "b.yaml")
        let text = more.map(\.description)
        #expect(text.contains("b.yaml:2:11: error: 'not-an-origin' in allowed is not an origin: write scheme://host[:port] or \"null\""))
        #expect(text.contains { $0.hasPrefix("b.yaml:2:26: error: an origin in allowed is 'null', which YAML reads as no value") })
        #expect(text.contains { $0.hasPrefix("b.yaml:3:1: error: unknown key 'colour' in the probe file") })
        #expect(text.contains("b.yaml:4:21: error: timeouts.connect 'soon' is not a duration such as 2s or 500ms"))
        #expect(text.contains("b.yaml:6:11: error: path 'api/x' must start with /"))
        #expect(text.contains { $0.hasPrefix("b.yaml:8:18: error: unknown credentials 'maybe'") })
        #expect(text.contains { $0.hasPrefix("b.yaml:10:15: error: a header line in headers was read as a mapping") })
    }

    @Test("examples/probe.yaml parses as documented")
    func exampleFile() throws {
        let (p, errors) = ProbeFile.load(path: Paths.path("examples/probe.yaml"))
        #expect(errors.isEmpty, "\(errors)")
        let plan = try #require(p)
        #expect(plan.endpoints.count == 5 && plan.browsers == Browser.defaultSet && plan.concurrency == 4)
        #expect(plan.endpoints[0].allowed.map(\.serialized) == ["http://localhost:5173", "https://app.example.com"])
        #expect(plan.endpoints[0].refused.map(\.serialized) == ["https://evil.example", "null"])
        #expect(plan.options.connectTimeout == 2 && plan.options.readTimeout == 5)
        #expect(plan.options.caFile == Paths.path(".live/nginx/conf/tls/cert.pem"))
        #expect(plan.endpoints[4].url.serialized == "https://127.0.0.1:18443/api/orders")
    }
}
