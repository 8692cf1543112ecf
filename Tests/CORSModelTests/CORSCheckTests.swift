import Testing
@testable import CORSModel

@Suite struct CORSCheckTests {
    let o = "http://localhost:3000"
    func check(_ h: HeaderList, include: Bool = false, family: EngineFamily = .chromium, origin: String? = nil) -> Reason? {
        CORSCheck.check(h, status: 200, requestOrigin: origin ?? o, includeCredentials: include, family: family, stage: .actual, url: url(api))?.reason
    }

    @Test func specTableOfCredentialCombinations() {
        // fetch#cors-protocol-and-credentials
        #expect(check(headers("Access-Control-Allow-Origin: *")) == nil)
        #expect(check(headers("Access-Control-Allow-Origin: *", "Access-Control-Allow-Credentials: true")) == nil)
        #expect(check(headers("Access-Control-Allow-Origin: http://localhost:3000/")) == .allowOriginMismatch)
        #expect(check(headers("Access-Control-Allow-Origin: http://localhost:3000")) == nil)
        #expect(check(headers("Access-Control-Allow-Origin: *", "Access-Control-Allow-Credentials: true"), include: true) == .wildcardOriginWithCredentials)
        #expect(check(headers("Access-Control-Allow-Origin: http://localhost:3000", "Access-Control-Allow-Credentials: true"), include: true) == nil)
        #expect(check(headers("Access-Control-Allow-Origin: http://localhost:3000", "Access-Control-Allow-Credentials: True"), include: true) == .invalidAllowCredentials)
        #expect(check(headers("Access-Control-Allow-Origin: http://localhost:3000"), include: true) == .invalidAllowCredentials)
    }

    @Test func allowCredentialsMustBeExactlyTrue() {
        for bad in ["TRUE", "\"true\"", "1", "true,", "true\u{0B}"] {
            #expect(check(headers("Access-Control-Allow-Origin: \(o)", "Access-Control-Allow-Credentials: \(bad)"), include: true) == .invalidAllowCredentials, "\(bad)")
        }
        #expect(check(headers("Access-Control-Allow-Origin: \(o)", "Access-Control-Allow-Credentials: true", "Access-Control-Allow-Credentials: true"), include: true) == .invalidAllowCredentials)
        #expect(check(headers("Access-Control-Allow-Origin: \(o)", "Access-Control-Allow-Credentials:  true "), include: true) == nil)
    }

    @Test func allowOriginClassification() {
        #expect(check(headers("X: 1")) == .missingAllowOrigin)
        #expect(check(headers("Access-Control-Allow-Origin: \(o)", "Access-Control-Allow-Origin: \(o)")) == .multipleAllowOrigin)
        #expect(check(headers("Access-Control-Allow-Origin: https://a.example, \(o)")) == .multipleAllowOrigin)
        #expect(check(headers("Access-Control-Allow-Origin: foo")) == .invalidAllowOrigin)
        #expect(check(headers("Access-Control-Allow-Origin: ")) == .invalidAllowOrigin)
        #expect(check(headers("Access-Control-Allow-Origin: null")) == .allowOriginMismatch)
        #expect(check(headers("Access-Control-Allow-Origin: HTTP://LOCALHOST:3000")) == .allowOriginMismatch)
        #expect(check(headers("Access-Control-Allow-Origin: null"), origin: "null") == nil)
    }

    @Test func geckoChecksDuplicateLinesFirst() {
        let two = headers("Access-Control-Allow-Origin: *", "Access-Control-Allow-Origin: *")
        #expect(check(two, family: .gecko) == .multipleAllowOrigin)
        #expect(check(headers("Access-Control-Allow-Origin: *"), include: true, family: .gecko) == .wildcardOriginWithCredentials)
        #expect(check(headers("X: 1"), family: .gecko) == .missingAllowOrigin)
    }
}

@Suite struct PreflightTests {
    func put(_ extra: [String] = [], include: Bool = false, method: String = "PUT") -> ScriptRequest {
        ScriptRequest(url: url(api), method: method, headers: extra.map { Header(line: $0)! }, credentials: include ? .include : .sameOrigin)
    }
    let ok = ["Access-Control-Allow-Origin: http://localhost:3000", "Access-Control-Allow-Credentials: true"]

    @Test func preflightRequestShape() {
        let r = evaluate(put(["X-B: 1", "X-A: 2", "Content-Type: application/json"]), server: [
            "OPTIONS \(api)": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: PUT", "Access-Control-Allow-Headers: x-a, X-B, content-type")],
            "PUT \(api)": [response(200, "Access-Control-Allow-Origin: *")]])
        #expect(r.outcome == .allowed)
        let pre = r.requests[0]
        #expect(pre.isPreflight && pre.method == "OPTIONS")
        #expect(pre.headers.get("Access-Control-Request-Method") == "PUT")
        #expect(pre.headers.get("Access-Control-Request-Headers") == "content-type,x-a,x-b")
        #expect(pre.headers.get("Origin") == "http://localhost:3000")
        #expect(pre.headers.get("X-A") == nil)                 // no author headers on the preflight
        #expect(r.requests[1].headers.get("X-A") == "2")
    }

    @Test func safelistedRequestsAreNotPreflighted() {
        let r = evaluate(ScriptRequest(url: url(api), method: "POST", headers: [Header(line: "Content-Type: text/plain")!], body: "x"),
                         server: ["POST \(api)": [response(200, "Access-Control-Allow-Origin: *")]])
        #expect(!r.preflightSent && r.outcome == .allowed)
    }

    @Test func methodMatchIsCaseSensitiveAndHeaderMatchIsNot() {
        let lower = evaluate(put(method: "patch"), server: ["OPTIONS \(api)": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: PATCH")]])
        #expect(lower.reason == .methodNotAllowed)
        let upper = evaluate(put(["X-PriNT: 1"]), server: [
            "OPTIONS \(api)": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: PUT", "Access-Control-Allow-Headers: x-print")],
            "PUT \(api)": [response(200, "Access-Control-Allow-Origin: *")]])
        #expect(upper.outcome == .allowed)
    }

    @Test func wildcardsAreLiteralWithCredentials() {
        let server = ["OPTIONS \(api)": [response(204, ok + ["Access-Control-Allow-Methods: *", "Access-Control-Allow-Headers: *"])],
                      "PUT \(api)": [response(200, ok)]]
        #expect(evaluate(put(include: true), server: server).reason == .methodNotAllowed)
        #expect(evaluate(put(include: false), server: ["OPTIONS \(api)": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: *")],
                                                        "PUT \(api)": [response(200, "Access-Control-Allow-Origin: *")]]).outcome == .allowed)
        let headerCase = evaluate(ScriptRequest(url: url(api), headers: [Header(line: "X-Token: 1")!], credentials: .include), server: server)
        #expect(headerCase.reason == .headerNotAllowed && headerCase.failure?.headerName == "x-token")
    }

    @Test func authorizationAndTheWildcardDifferByEngine() {
        let server = ["OPTIONS \(api)": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Headers: *")],
                      "GET \(api)": [response(200, "Access-Control-Allow-Origin: *")]]
        let req = ScriptRequest(url: url(api), headers: [Header(line: "Authorization: Bearer x")!])
        // The spec refuses it; every engine observed (Chromium 156, Firefox 153, WebKitGTK 2.50) allows it.
        let ch = evaluate(req, browser: .chrome, server: server)
        #expect(ch.outcome == .allowed && ch.messages.isEmpty)
        let ff = evaluate(req, browser: .firefox, server: server)
        #expect(ff.outcome == .allowed && ff.messages.count == 1 && ff.messages[0].hasPrefix("Cross-Origin Request Warning"))
        let sf = evaluate(req, browser: .safari, server: server)
        #expect(sf.outcome == .allowed && sf.messages.isEmpty)
    }

    @Test func checkOrderOfStatusAndAllowOrigin() {
        let server = ["OPTIONS \(api)": [response(500, "X: 1")]]
        #expect(evaluate(put(), browser: .chrome, server: server).reason == .missingAllowOrigin)
        #expect(evaluate(put(), browser: .firefox, server: server).reason == .missingAllowOrigin)
        #expect(evaluate(put(), browser: .safari, server: server).reason == .preflightStatus)
        let redirect = ["OPTIONS \(api)": [response(302, "Location: /elsewhere", "Access-Control-Allow-Origin: *")]]
        #expect(evaluate(put(), server: redirect).reason == .preflightRedirect)
        #expect(evaluate(put(), browser: .safari, server: redirect).reason == .preflightRedirect)
        #expect(evaluate(put(), server: ["OPTIONS \(api)": [response(404, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: PUT")]]).reason == .preflightStatus)
    }

    @Test func invalidTokensAndParseOrder() {
        let bad = ["OPTIONS \(api)": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: GET", "Access-Control-Allow-Headers: x y")]]
        let req = put(["X-A: 1"])
        // Chromium parses ACAH before checking the method; Gecko checks the method first.
        #expect(evaluate(req, browser: .chrome, server: bad).reason == .invalidAllowHeaders)
        #expect(evaluate(req, browser: .firefox, server: bad).reason == .methodNotAllowed)
        let r = evaluate(put(), browser: .firefox, server: ["OPTIONS \(api)": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: PUT DELETE")]])
        #expect(r.reason == .invalidAllowMethods && r.failure?.invalidToken == "PUT DELETE")
    }

    @Test func uploadListenerForcesPreflightAndAbsentMethodsMeanTheRequestMethod() {
        let req = ScriptRequest(api: .xhr, url: url(api), method: "POST", body: "x", uploadListener: true)
        let r = evaluate(req, server: ["OPTIONS \(api)": [response(200, "Access-Control-Allow-Origin: *")],
                                       "POST \(api)": [response(200, "Access-Control-Allow-Origin: *")]])
        #expect(r.preflightSent && r.outcome == .allowed)
    }

    /// Gecko counts ACAO lines by their received name, case-sensitively (nsCORSListenerProxy.cpp);
    /// seen in Firefox 153 by `cors-harness verify`.
    @Test func geckoCountsOnlyLinesSpelledAsItsAtom() {
        let mixed = headers("Access-Control-Allow-Origin: https://a.example", "access-control-allow-origin: https://a.example")
        #expect(CORSCheck.geckoAllowOriginLines(mixed) == 1)
        #expect(CORSCheck.geckoAllowOriginLines(headers("Access-Control-Allow-Origin: x", "Access-Control-Allow-Origin: y")) == 2)
        let f = CORSCheck.check(mixed, status: 200, requestOrigin: "https://a.example", includeCredentials: false, family: .gecko,
                                stage: .actual, url: url("https://api.example/"))
        #expect(f?.reason == .multipleAllowOrigin && f?.allowOriginLines == 1)
        let chromium = CORSCheck.check(mixed, status: 200, requestOrigin: "https://a.example", includeCredentials: false, family: .chromium,
                                       stage: .actual, url: url("https://api.example/"))
        #expect(chromium?.allowOriginLines == 2)
    }
}
