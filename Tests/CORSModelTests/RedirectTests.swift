import Testing
@testable import CORSModel

@Suite struct RedirectTests {
    let a = "https://a.example/start", b = "https://b.example/next", c = "https://c.example/end"

    @Test func taintedOriginBecomesNull() {
        let server = ["GET \(a)": [response(302, "Location: \(b)", "Access-Control-Allow-Origin: *")],
                      "GET \(b)": [response(302, "Location: \(c)", "Access-Control-Allow-Origin: *")],
                      "GET \(c)": [response(200, "Access-Control-Allow-Origin: http://localhost:3000")]]
        let r = evaluate(ScriptRequest(url: url(a)), server: server)
        #expect(r.requests.map { $0.headers.get("Origin") } == ["http://localhost:3000", "null", "null"])   // leaving a.example (not the page) for b taints
        #expect(r.reason == .allowOriginMismatch && r.stage == .actual)
        var s2 = server
        s2["GET \(c)"] = [response(200, "Access-Control-Allow-Origin: null")]
        #expect(evaluate(ScriptRequest(url: url(a)), server: s2).outcome == .allowed)
    }

    @Test func sameTargetOriginDoesNotTaint() {
        let server = ["GET \(a)": [response(302, "Location: https://a.example/again", "Access-Control-Allow-Origin: *")],
                      "GET https://a.example/again": [response(200, "Access-Control-Allow-Origin: http://localhost:3000")]]
        #expect(evaluate(ScriptRequest(url: url(a)), server: server).outcome == .allowed)
    }

    @Test func everyHopIsChecked() {
        let r = evaluate(ScriptRequest(url: url(a)), server: ["GET \(a)": [response(302, "Location: \(b)")]])
        #expect(r.reason == .missingAllowOrigin && r.stage == .redirect && r.requests.count == 1)
    }

    @Test func methodRewrite() {
        func final(_ status: Int, _ method: String) -> String? {
            let body: String? = method == "GET" ? nil : "x"
            let r = evaluate(ScriptRequest(url: url(a), method: method, body: body), server: [
                "OPTIONS \(a)": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: PUT, DELETE")],
                "\(method) \(a)": [response(status, "Location: https://a.example/2", "Access-Control-Allow-Origin: *")],
                "OPTIONS https://a.example/2": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: PUT, DELETE")],
                "GET https://a.example/2": [response(200, "Access-Control-Allow-Origin: *")],
                "POST https://a.example/2": [response(200, "Access-Control-Allow-Origin: *")],
                "PUT https://a.example/2": [response(200, "Access-Control-Allow-Origin: *")]])
            return r.requests.last?.method
        }
        #expect(final(302, "POST") == "GET")
        #expect(final(301, "POST") == "GET")
        #expect(final(307, "POST") == "POST")
        #expect(final(303, "PUT") == "GET")
        #expect(final(302, "PUT") == "PUT")
    }

    @Test func redirectLimitIsTwenty() {
        func chain(_ hops: Int) -> FetchResult {
            var server: [String: [HTTPResponse]] = [:]
            for i in 0..<hops { server["GET https://a.example/\(i)"] = [response(302, "Location: /\(i + 1)", "Access-Control-Allow-Origin: *")] }
            server["GET https://a.example/\(hops)"] = [response(200, "Access-Control-Allow-Origin: *")]
            return evaluate(ScriptRequest(url: url("https://a.example/0")), server: server)
        }
        #expect(chain(20).outcome == .allowed)
        #expect(chain(21).reason == .tooManyRedirects)
    }

    @Test func userinfoSchemeAndModes() {
        let userinfo = evaluate(ScriptRequest(url: url(a)), server: ["GET \(a)": [response(302, "Location: https://u:p@b.example/", "Access-Control-Allow-Origin: *")]])
        #expect(userinfo.reason == .redirectCredentials)
        let scheme = evaluate(ScriptRequest(url: url(a)), server: ["GET \(a)": [response(302, "Location: data:text/plain,x", "Access-Control-Allow-Origin: *")]])
        #expect(scheme.reason == .redirectScheme)
        let error = evaluate(ScriptRequest(url: url(a), redirect: .error), server: ["GET \(a)": [response(302, "Location: \(b)", "Access-Control-Allow-Origin: *")]])
        #expect(error.reason == .redirectModeError)
        let manual = evaluate(ScriptRequest(url: url(a), redirect: .manual), server: ["GET \(a)": [response(302, "Location: \(b)", "Access-Control-Allow-Origin: *")]])
        #expect(manual.outcome == .opaqueRedirect && manual.status == 0)
    }

    @Test func authorizationIsDroppedCrossOrigin() {
        let r = evaluate(ScriptRequest(url: url(a), headers: [Header(line: "Authorization: Bearer t")!]), server: [
            "OPTIONS \(a)": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Headers: authorization")],
            "GET \(a)": [response(307, "Location: \(b)", "Access-Control-Allow-Origin: *")],
            "GET \(b)": [response(200, "Access-Control-Allow-Origin: *")]])
        #expect(r.outcome == .allowed)
        #expect(r.requests.last?.headers.get("Authorization") == nil)
        #expect(r.requests.count == 3)   // no second preflight: nothing unsafe is left
    }

    /// fetch#http-redirect-fetch: a stream body cannot be sent twice; each engine's own handling
    /// (EngineProfile.streamUploads) as `cors-harness verify` saw it.
    @Test func streamBodies() {
        func run(_ b: Browser, status: Int) -> FetchResult {
            var req = ScriptRequest(api: .fetch, url: url("https://api.example.com/up"), method: "POST", body: "hello")
            req.bodyIsStream = true
            return evaluate(req, browser: b, server: [
                "OPTIONS https://api.example.com/up": [response(204, ["Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: POST"])],
                "POST https://api.example.com/up": [response(status, ["Location: https://api.example.com/next", "Access-Control-Allow-Origin: *"])],
                "POST https://api.example.com/next": [response(200, ["Access-Control-Allow-Origin: *"])],
                "GET https://api.example.com/next": [response(200, ["Access-Control-Allow-Origin: *"])],
            ])
        }
        let chrome307 = run(.chrome, status: 307)
        #expect(chrome307.reason == .redirectStreamBody && chrome307.stage == .redirect && chrome307.preflightSent)
        #expect(chrome307.requests.last?.headers.get("content-type") == nil)   // a stream brings no Content-Type
        let chrome303 = run(.chrome, status: 303)
        #expect(chrome303.outcome == .allowed && chrome303.requests.map(\.method) == ["OPTIONS", "POST", "GET"])
        let firefox307 = run(.firefox, status: 307)
        #expect(firefox307.outcome == .allowed && !firefox307.preflightSent && firefox307.requests.last?.body == "[object ReadableStream]")
        let safari = run(.safari, status: 307)
        #expect(safari.reason == .streamBodyUnsupported && safari.requests.isEmpty && safari.messages.isEmpty)
    }
}
