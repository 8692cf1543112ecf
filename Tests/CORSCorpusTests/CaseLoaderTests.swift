import Testing
@testable import CORSCorpus
import CORSModel

@Suite struct CaseLoaderTests {
    func errors(_ yaml: String) -> [CorpusError] { CaseLoader().parse(text: yaml, file: "t.yaml").1 }

    let valid = """
    suite: S
    cases:
      - id: ok-case
        title: T
        page: http://localhost:3000
        request: { url: "https://api.example.com/x" }
        server:
          "GET https://api.example.com/x": { status: 200, headers: ["Access-Control-Allow-Origin: *"] }
        expect: { outcome: allowed }
    """

    @Test func validFileLoads() throws {
        let (file, errs) = CaseLoader().parse(text: valid, file: "t.yaml")
        #expect(errs.isEmpty)
        let c = try #require(file?.cases.first)
        #expect(c.id == "ok-case" && c.steps.count == 1 && c.page.serialized == "http://localhost:3000")
        #expect(c.server.responses["GET https://api.example.com/x"]?.first?.headers.get("access-control-allow-origin") == "*")
    }

    @Test func invalidYAMLIsLocated() {
        let e = errors("suite: S\ncases:\n  - id: [unclosed\n")
        #expect(e.count == 1)
        #expect(e.first?.location.file == "t.yaml" && (e.first?.location.line ?? 0) >= 3)
    }

    @Test func unquotedStarGetsAHint() {
        let e = errors(valid.replacingOccurrences(of: "headers: [\"Access-Control-Allow-Origin: *\"]", with: "headers: [Access-Control-Allow-Origin: *]"))
        #expect(e.count == 1)
        #expect(e.first?.message.contains("quote") == true)
    }

    @Test func headerWrittenAsMapAndUnquotedNull() {
        let y = valid.replacingOccurrences(of: "headers: [\"Access-Control-Allow-Origin: *\"]", with: "headers: [Access-Control-Allow-Origin: x]")
            .replacingOccurrences(of: "page: http://localhost:3000", with: "page: null")
        let e = errors(y)
        #expect(e.count == 2)
        #expect(e.contains { $0.message.contains("read as a mapping") && $0.location.line == 8 })
        #expect(e.contains { $0.message.contains("no value") && $0.location.line == 5 && $0.location.column == 11 })
    }

    @Test func allProblemsAreReportedAtOnce() {
        let y = """
        suite: S
        cases:
          - id: Bad_ID
            title: T
            page: localhost
            bogus: 1
            request: { url: "nope", credentials: sometimes, api: fetch, withCredentials: true, headers: ["no colon"] }
            server: { "GET": {} , "GET https://a.example/": { status: abc } }
            expect: { outcome: maybe, reason: not-a-reason, firefox: { extra: 1 }, preflight: yes please }
        """
        let e = errors(y)
        let messages = e.map(\.message).joined(separator: "\n")
        for needle in ["may contain only", "is not an origin", "unknown key 'bogus'", "not an absolute URL", "unknown credentials mode",
                       "'withCredentials' applies to xhr", "malformed header line", "must be \"METHOD URL\"", "whole number",
                       "unknown outcome", "unknown reason", "unknown key 'extra'", "true or false"] {
            #expect(messages.contains(needle), "missing: \(needle)\n\(messages)")
        }
        #expect(e.allSatisfy { $0.location.line > 0 && $0.location.column > 0 })
    }

    @Test func missingKeysAndDuplicates() {
        let y = """
        suite: S
        cases:
          - id: a
            id: b
            title: T
        """
        let e = errors(y)
        // libyaml (through Yams) refuses duplicate keys while parsing, so this one error stops the file.
        #expect(e.count == 1 && e[0].message.contains("duplicate key 'id'") && e[0].location.line == 3)
        let missing = errors("suite: S\ncases:\n  - id: a\n    title: T\n")
        #expect(missing.contains { $0.message.contains("missing the required key 'page'") })
        #expect(missing.contains { $0.message.contains("missing the required key 'server'") })
    }

    @Test func duplicateIdsAcrossFiles() {
        let (f1, _) = CaseLoader().parse(text: valid, file: "a.yaml")
        let (f2, _) = CaseLoader().parse(text: valid, file: "b.yaml")
        let e = CaseLoader().validateAcrossFiles([f1!, f2!])
        #expect(e.count == 1 && e[0].location.file == "b.yaml" && e[0].message.contains("a.yaml"))
    }

    @Test func stepsInheritTheRequestAndAdvanceTheClock() throws {
        let y = """
        suite: S
        cases:
          - id: steps
            title: T
            page: http://localhost:3000
            request: { url: "https://api.example.com/x", method: PUT }
            server:
              "OPTIONS https://api.example.com/x": { status: 204, headers: ["Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: PUT"] }
              "PUT https://api.example.com/x": { headers: ["Access-Control-Allow-Origin: *"] }
            steps:
              - expect: { preflight: true }
              - after: 4s
                expect: { preflight: false }
              - after: 2s
                request: { method: put }
                expect: { preflight: true, outcome: allowed }
        """
        let (file, errs) = CaseLoader().parse(text: y, file: "t.yaml")
        #expect(errs.isEmpty, "\(errs)")
        let c = try #require(file?.cases.first)
        #expect(c.steps.map(\.after) == [0, 4, 2])
        #expect(c.steps[2].request.method == "put")
        let results = Runner(browsers: [.chrome]).run(c, browser: .chrome)
        #expect(results.map(\.verdict) == [.pass, .pass, .pass], "\(results.map(\.differences))")
    }

    @Test func unscriptedRequestIsReportedAsError() throws {
        let y = valid.replacingOccurrences(of: "request: { url: \"https://api.example.com/x\" }", with: "request: { url: \"https://api.example.com/x\", method: DELETE }")
        let (file, _) = CaseLoader().parse(text: y, file: "t.yaml")
        let r = Runner(browsers: [.firefox]).run(try #require(file?.cases.first), browser: .firefox)
        #expect(r.first?.verdict == .error)
        #expect(r.first?.differences.first?.contains("OPTIONS https://api.example.com/x") == true)
    }
}

@Suite struct CaseLoaderServerTests {
    func errors(_ yaml: String) -> [CorpusError] { CaseLoader().parse(text: yaml, file: "t.yaml").1 }

    @Test func unclosedTemplateIsLocatedAtTheDollar() {
        let e = errors("""
        suite: S
        cases:
          - id: t
            title: T
            page: http://localhost:3000
            request: { url: "https://api.example.com/x" }
            server:
              "GET https://api.example.com/x":
                headers: ["Access-Control-Allow-Origin: ${Origin"]
            expect: { outcome: allowed }
        """)
        #expect(e.count == 1)
        #expect(e.first?.message.contains("unclosed ${") == true)
        // The item starts at column 19 (the quote); the value starts after `Access-Control-Allow-Origin: `.
        #expect(e.first?.location.line == 9 && e.first?.location.column == 19 + 1 + 29)
    }

    @Test func whenAndCacheKeysAreValidated() {
        let e = errors("""
        suite: S
        cases:
          - id: t
            title: T
            page: http://localhost:3000
            cache: { shared: true, vary: sometimes }
            request: { url: "https://api.example.com/x", cache: sometimes }
            server:
              "GET https://api.example.com/x":
                - status: 200
                - when: { header: Origin, equals: x }
                  status: 204
                - when: { header: Origin, equals: x, absent: true }
                  status: 205
            expect: { outcome: allowed, fromCache: maybe }
        """)
        let text = e.map(\.message).joined(separator: "\n")
        for needle in ["cache.vary must be", "unknown cache mode", "exactly one of", "can never be chosen", "true or false"] {
            #expect(text.contains(needle), "missing \(needle) in\n\(text)")
        }
    }
}
