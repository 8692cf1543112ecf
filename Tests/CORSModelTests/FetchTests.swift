import Testing
@testable import CORSModel

@Suite struct RequestConstructionTests {
    @Test func typeErrorsBeforeSending() {
        #expect(evaluate(ScriptRequest(url: url("https://u:p@api.example.com/")), server: [:]).reason == .urlCredentials)
        #expect(evaluate(ScriptRequest(url: url(api), method: "TRACE"), server: [:]).reason == .forbiddenMethod)
        #expect(evaluate(ScriptRequest(url: url(api), method: "GE T"), server: [:]).reason == .invalidMethod)
        #expect(evaluate(ScriptRequest(url: url(api), method: "PUT", mode: .noCORS), server: [:]).reason == .noCORSMethod)
        #expect(evaluate(ScriptRequest(url: url(api), body: "x"), server: [:]).reason == .bodyWithGetOrHead)
        let r = evaluate(ScriptRequest(url: url(api), method: "connect"), server: [:])
        #expect(r.stage == .request && r.requests.isEmpty && r.messages.isEmpty)
    }

    @Test func forbiddenHeadersAreDroppedSoNoPreflight() {
        let r = evaluate(ScriptRequest(url: url(api), headers: [Header(line: "Cookie: a=b")!, Header(line: "Origin: evil")!]),
                         server: ["GET \(api)": [response(200, "Access-Control-Allow-Origin: *")]])
        #expect(!r.preflightSent && r.outcome == .allowed)
        #expect(r.requests[0].headers.get("Cookie") == nil)
        #expect(r.requests[0].headers.get("Origin") == "http://localhost:3000")
    }

    @Test func xhrCredentialsMappingAndHeaderCombining() {
        let req = ScriptRequest(api: .xhr, url: url(api), headers: [Header(line: "X-A: 1")!, Header(line: "X-A: 2")!], withCredentials: true)
        let r = evaluate(req, server: ["OPTIONS \(api)": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Headers: x-a")]])
        #expect(r.reason == .wildcardOriginWithCredentials && r.stage == .preflight)
        #expect(r.messages[0].hasSuffix("controlled by the withCredentials attribute."))
    }

    @Test func stringBodyAddsTextPlainContentType() {
        let r = evaluate(ScriptRequest(url: url(api), method: "POST", body: "hi"), server: ["POST \(api)": [response(200, "Access-Control-Allow-Origin: *")]])
        #expect(r.requests[0].headers.get("Content-Type") == "text/plain;charset=UTF-8")
        #expect(!r.preflightSent)
    }

    @Test func sameOriginRequestsSkipCORS() {
        let r = evaluate(ScriptRequest(url: url("http://localhost:3000/api"), method: "PUT", headers: [Header(line: "X-A: 1")!]),
                         server: ["PUT http://localhost:3000/api": [response(200, "Set-Cookie: a=b", "X-A: 1")]])
        #expect(r.outcome == .allowed && !r.preflightSent && r.responseType == "basic")
        #expect(r.exposed == ["x-a"])
        #expect(r.requests[0].headers.get("Origin") == "http://localhost:3000")   // not GET/HEAD
        let g = evaluate(ScriptRequest(url: url("http://localhost:3000/api")), server: ["GET http://localhost:3000/api": [response(200)]])
        #expect(g.requests[0].headers.get("Origin") == nil)
    }

    @Test func modes() {
        let noCors = evaluate(ScriptRequest(url: url(api), headers: [Header(line: "X-A: 1")!], mode: .noCORS), server: ["GET \(api)": [response(200, "X: 1")]])
        #expect(noCors.outcome == .opaque && noCors.status == 0 && noCors.exposed.isEmpty && !noCors.preflightSent)
        #expect(noCors.requests[0].headers.get("X-A") == nil)
        let same = evaluate(ScriptRequest(url: url(api), mode: .sameOrigin), server: [:])
        #expect(same.reason == .disallowedByMode && same.requests.isEmpty)
        #expect(evaluate(ScriptRequest(url: url(api), mode: .noCORS, redirect: .manual), server: [:]).reason == .noCORSRedirectMode)
    }

    @Test func unscriptedRequestIsACaseError() {
        let r = evaluate(ScriptRequest(url: url(api), method: "PUT"), server: ["PUT \(api)": [response(200)]])
        #expect(r.caseError?.contains("OPTIONS https://api.example.com/data") == true)
    }

    @Test func listedResponsesAreServedInTurn() {
        var state = BrowserState()
        var net = ScriptedServer(["GET \(api)": [response(200, "Access-Control-Allow-Origin: *"), response(200)]])
        let f = Fetch(profile: .chrome)
        let first = f.run(ScriptRequest(url: url(api)), page: origin("http://localhost:3000"), state: &state, network: &net)
        let second = f.run(ScriptRequest(url: url(api)), page: origin("http://localhost:3000"), state: &state, network: &net)
        let third = f.run(ScriptRequest(url: url(api)), page: origin("http://localhost:3000"), state: &state, network: &net)
        #expect(first.outcome == .allowed && second.reason == .missingAllowOrigin && third.reason == .missingAllowOrigin)
    }
}

@Suite struct ResponseFilterTests {
    let all = headers("Content-Type: text/plain", "X-Custom: 1", "X-Other: 2", "Set-Cookie: a=b", "Cache-Control: no-store", "Access-Control-Expose-Headers: X-Custom, Set-Cookie")

    @Test func corsExposesSafelistedAndListedButNeverSetCookie() {
        #expect(ResponseFilter.exposedHeaderNames(all, tainting: .cors, includeCredentials: false) == ["cache-control", "content-type", "x-custom"])
    }

    @Test func starExposesAllOnlyWithoutCredentials() {
        let star = headers("X-A: 1", "Set-Cookie: a=b", "Access-Control-Expose-Headers: *")
        #expect(ResponseFilter.exposedHeaderNames(star, tainting: .cors, includeCredentials: false) == ["access-control-expose-headers", "x-a"])
        #expect(ResponseFilter.exposedHeaderNames(star, tainting: .cors, includeCredentials: true) == [])
    }

    @Test func invalidExposeListExposesOnlyTheSafelist() {
        let bad = headers("X-A: 1", "Content-Type: a/b", "Access-Control-Expose-Headers: x-a, no no")
        #expect(ResponseFilter.exposedHeaderNames(bad, tainting: .cors, includeCredentials: false) == ["content-type"])
    }

    @Test func opaqueAndBasic() {
        #expect(ResponseFilter.exposedHeaderNames(all, tainting: .opaque, includeCredentials: false) == [])
        #expect(!ResponseFilter.exposedHeaderNames(all, tainting: .basic, includeCredentials: false).contains("set-cookie"))
    }
}
