import Testing
@testable import CORSCorpus
import CORSModel

/// `verify`'s comparison of what a real engine did with the model, and its gap rules.
@Suite struct VerificationTests {
    func load(_ yaml: String) throws -> Case {
        let (file, errs) = CaseLoader().parse(text: yaml, file: "v.yaml")
        #expect(errs.isEmpty, "\(errs)")
        return try #require(file?.cases.first)
    }

    func missingACAO(extra: String = "") -> String {
        """
        suite: S
        cases:
          - id: no-acao
            title: T
            page: https://app.example
            request: { url: "https://api.example.com/data", headers: ["X-Token: 1"] }
            server:
              "OPTIONS https://api.example.com/data": { status: 204, headers: ["Access-Control-Allow-Origin: https://app.example", "Access-Control-Allow-Headers: x-token"] }
              "GET https://api.example.com/data": { status: 200 }
            expect: { outcome: blocked }
        \(extra)
        """
    }

    func model(_ c: Case, _ b: Browser) -> [FetchResult] { Runner(browsers: [b]).run(c, browser: b).compactMap(\.result) }

    /// What Chromium 156 did with the case: a preflight that passed, a GET without ACAO, two lines.
    func chromiumObservation(console: [String]) -> EngineObservation {
        EngineObservation(
            steps: [.init(outcome: "rejected", error: "TypeError: Failed to fetch")],
            requests: [
                .init(method: "OPTIONS", url: "https://api.example.com/data",
                      headers: ["Host: 127.0.0.1:1", "Origin: https://app.example", "Access-Control-Request-Method: GET",
                                "Access-Control-Request-Headers: x-token", "Referer: https://app.example/"]),
                .init(method: "GET", url: "https://api.example.com/data", headers: ["Origin: https://app.example", "X-Token: 1", "Referer: https://app.example/"]),
            ],
            console: console.map { .init(level: "error", text: $0) })
    }

    let chromiumLines = [
        "Access to fetch at 'https://api.example.com/data' from origin 'https://app.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        "Failed to load resource: net::ERR_FAILED",
    ]

    @Test func agreementHasNoDifferences() throws {
        let c = try load(missingACAO())
        let diffs = Verification.compare(c, model: model(c, .chrome), observed: chromiumObservation(console: chromiumLines), engine: .chromium) { _ in true }
        #expect(diffs == [[]])
    }

    @Test func aMissingPreflightOrOtherConsoleLineIsADifference() throws {
        let c = try load(missingACAO())
        var o = chromiumObservation(console: [chromiumLines[0]])
        o.requests.removeFirst()
        let diffs = Verification.compare(c, model: model(c, .chrome), observed: o, engine: .chromium) { _ in true }.flatMap { $0 }
        #expect(diffs.count == 2)
        #expect(diffs[0].hasPrefix("requests received:") && diffs[0].contains("preflight OPTIONS https://api.example.com/data origin=https://app.example referer=https://app.example/ acrm=GET acrh=x-token"))
        #expect(diffs[1].hasPrefix("console: line 2 differs"))
    }

    @Test func scriptOutcomeStatusAndHeadersAreCompared() throws {
        let c = try load(missingACAO())
        let r = model(c, .chrome)[0]
        #expect(Verification.stepDifferences(model: r, observed: .init(outcome: "rejected"), serverAddsLength: true).isEmpty)
        let resolved = Verification.stepDifferences(model: r, observed: .init(outcome: "resolved", status: 200, headers: []), serverAddsLength: true)
        #expect(resolved.count == 1 && resolved[0].hasPrefix("outcome: model blocked"))
        let timedOut = Verification.stepDifferences(model: r, observed: .init(outcome: "step-timeout"), serverAddsLength: true)
        #expect(timedOut == ["script: not observed (step-timeout)"])
    }

    @Test func contentLengthAddedByTheServerIsNotADifference() throws {
        let c = try load("""
        suite: S
        cases:
          - id: ok
            title: T
            page: https://app.example
            request: { url: "https://api.example.com/data" }
            server:
              "GET https://api.example.com/data": { status: 200, headers: ["Access-Control-Allow-Origin: *"] }
            expect: { outcome: allowed }
        """)
        let r = model(c, .firefox)[0]
        let seen = EngineObservation.ScriptStep(outcome: "resolved", status: 200, headers: [["content-length", "0"]])
        #expect(Verification.stepDifferences(model: r, observed: seen, serverAddsLength: true).isEmpty)
        #expect(Verification.stepDifferences(model: r, observed: seen, serverAddsLength: false).first?.hasPrefix("readable headers") == true)
        let wrongStatus = EngineObservation.ScriptStep(outcome: "resolved", status: 201, headers: [])
        #expect(Verification.stepDifferences(model: r, observed: wrongStatus, serverAddsLength: true) == ["status: model 200, engine 201"])
    }

    @Test func chromiumLinesMustKeepTheirOrderOthersMayNot() throws {
        let c = try load(missingACAO())
        let reversed = chromiumObservation(console: chromiumLines.reversed())
        #expect(!Verification.consoleDifferences(model: model(c, .chrome), observed: reversed, engine: .chromium).isEmpty)
        // A failed preflight: Firefox prints two lines.
        let ff = model(try load(missingACAO().replacingOccurrences(of: "\"Access-Control-Allow-Origin: https://app.example\", ", with: "")), .firefox)
        #expect(ff.flatMap(\.messages).count == 2)
        let lines = ["other line"] + ff.flatMap(\.messages)
        var o = reversed
        o.console = lines.reversed().map { .init(text: $0) }
        #expect(Verification.consoleDifferences(model: ff, observed: o, engine: .firefox).first?.contains("line") == true)
        o.console = ff.flatMap(\.messages).reversed().map { .init(text: $0) }
        #expect(Verification.consoleDifferences(model: ff, observed: o, engine: .firefox).isEmpty)
    }

    @Test func firefoxCookieWarningsAreNotRequestLines() {
        #expect(!Verification.isAboutRequest(.init(text: "Cookie “a” has been rejected because it is foreign and does not have the “Partitioned“ attribute."), engine: .firefox))
        #expect(Verification.isAboutRequest(.init(text: "Cross-Origin Request Blocked: x"), engine: .firefox))
        #expect(Verification.isAboutRequest(.init(text: "Cookie “a” x"), engine: .chromium))
    }

    @Test func anObservationWithAProblemIsNotCompared() throws {
        let c = try load(missingACAO())
        let o = EngineObservation(steps: [], requests: [], console: [], problem: "the page did not finish within 45 s")
        #expect(Verification.compare(c, model: model(c, .safari), observed: o, engine: .webkit) { _ in true } == [["not observed: the page did not finish within 45 s"]])
    }

    @Test func cookieRequestSummaryNamesTheCookies() {
        let s = Verification.requestSummary(method: "GET", url: "https://a.example/", preflight: false) { $0 == "cookie" ? "sid=1; theme=dark" : nil }
        #expect(s == "GET https://a.example/ origin=(none) cookies=sid,theme")
    }

    @Test func gapsDeclaredInTheCaseApplyToTheirEngineOnly() throws {
        let c = try load(missingACAO(extra: "    gaps: { webkit: \"WebKitGTK's cookie store is not Safari's\" }"))
        #expect(Verification.gap(for: c, engine: .webkit) == VerifyGap(rule: "case", reason: "WebKitGTK's cookie store is not Safari's"))
        #expect(Verification.gap(for: c, engine: .chromium) == nil)
        let all = try load(missingACAO(extra: "    gaps: { all: \"why\" }"))
        #expect(Engine.allCases.allSatisfy { Verification.gap(for: all, engine: $0)?.rule == "case" })
    }

    @Test func ruleGapsForCookiesAndLongWaits() throws {
        let cookie = try load(missingACAO().replacingOccurrences(of: "{ status: 200 }", with: "{ status: 200, headers: [\"Set-Cookie: a=1\"] }"))
        #expect(Verification.gap(for: cookie, engine: .firefox)?.rule == "cookies")
        let slow = try load("""
        suite: S
        cases:
          - id: slow
            title: T
            page: https://app.example
            request: { url: "https://api.example.com/data" }
            server:
              "GET https://api.example.com/data": { status: 200, headers: ["Access-Control-Allow-Origin: *"] }
            steps:
              - expect: { outcome: allowed }
              - after: 70s
                expect: { outcome: allowed }
        """)
        #expect(Verification.gap(for: slow, engine: .chromium)?.rule == "real-time")
    }

    @Test func gapsKeysAreCheckedWithTheirLocation() {
        let (_, errs) = CaseLoader().parse(text: missingACAO(extra: "    gaps: { safari: \"x\", firefox: \"\" }"), file: "v.yaml")
        #expect(errs.count == 2)
        #expect(errs.contains { $0.message.contains("'safari' is not an engine") && $0.location.line == 11 })
        #expect(errs.contains { $0.message.contains("must say why") })
    }
}
