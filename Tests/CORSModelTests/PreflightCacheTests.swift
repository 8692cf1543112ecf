import Testing
@testable import CORSModel

@Suite struct PreflightCacheTests {
    func putRequest(_ method: String = "PUT", include: Bool = false) -> ScriptRequest {
        ScriptRequest(url: url(api), method: method, credentials: include ? .include : .sameOrigin)
    }
    func server(maxAge: String?, methods: String = "PUT") -> [String: [HTTPResponse]] {
        var pre = ["Access-Control-Allow-Origin: http://localhost:3000", "Access-Control-Allow-Credentials: true", "Access-Control-Allow-Methods: \(methods)"]
        if let maxAge { pre.append("Access-Control-Max-Age: \(maxAge)") }
        return ["OPTIONS \(api)": [response(204, pre)],
                "PUT \(api)": [response(200, "Access-Control-Allow-Origin: http://localhost:3000", "Access-Control-Allow-Credentials: true")],
                "DELETE \(api)": [response(200, "Access-Control-Allow-Origin: http://localhost:3000", "Access-Control-Allow-Credentials: true")]]
    }

    /// Runs the request at each time and reports whether a preflight was sent each time.
    func preflights(_ browser: Browser, maxAge: String?, at times: [Double], requests: [ScriptRequest]? = nil, methods: String = "PUT") -> [Bool] {
        var state = BrowserState()
        var net = ScriptedServer(server(maxAge: maxAge, methods: methods))
        let fetch = Fetch(profile: browser.profile)
        var out: [Bool] = []
        for (i, t) in times.enumerated() {
            state.now = t
            let r = fetch.run(requests?[i] ?? putRequest(), page: origin("http://localhost:3000"), state: &state, network: &net)
            out.append(r.preflightSent)
        }
        return out
    }

    @Test func defaultMaxAgeIsFiveSeconds() {
        #expect(preflights(.chrome, maxAge: nil, at: [0, 4.9, 5.1]) == [true, false, true])
        #expect(preflights(.firefox, maxAge: nil, at: [0, 4.9, 5.1]) == [true, false, true])
    }

    @Test func enginesCapMaxAge() {
        let times: [Double] = [0, 599, 601, 7201]
        #expect(preflights(.safari, maxAge: "86400", at: times) == [true, false, true, true])   // re-cached at 601 for 600 s
        #expect(preflights(.chrome, maxAge: "86400", at: times) == [true, false, false, true])
        #expect(preflights(.firefox, maxAge: "86400", at: times) == [true, false, false, false])
    }

    @Test func zeroNegativeAndGarbage() {
        #expect(preflights(.chrome, maxAge: "0", at: [0, 0.1]) == [true, true])
        #expect(preflights(.chrome, maxAge: "-1", at: [0, 0.1]) == [true, true])
        #expect(preflights(.chrome, maxAge: "abc", at: [0, 1]) == [true, false])     // unparsable → 5 s
        #expect(preflights(.firefox, maxAge: "abc", at: [0, 1]) == [true, true])     // Gecko: not cached
        #expect(preflights(.safari, maxAge: "+10", at: [0, 9]) == [true, false])
    }

    @Test func aCachedMethodDoesNotCoverAnother() {
        let reqs = [putRequest("PUT"), putRequest("DELETE")]
        #expect(preflights(.chrome, maxAge: "60", at: [0, 1], requests: reqs) == [true, true])
        #expect(preflights(.chrome, maxAge: "60", at: [0, 1], requests: reqs, methods: "PUT, DELETE") == [true, false])
    }

    @Test func uncredentialedEntryDoesNotServeCredentialedRequest() {
        let reqs = [putRequest(include: false), putRequest(include: true), putRequest(include: false)]
        #expect(preflights(.chrome, maxAge: "60", at: [0, 1, 2], requests: reqs) == [true, true, false])
    }

    @Test func storeAndMatch() {
        var cache = PreflightCache()
        cache.store(origin: "o", url: url(api), methods: ["PUT", "*"], headerNames: ["X-A", "*"], includeCredentials: false, maxAge: 10, now: 0, replacing: true)
        #expect(cache.matchesMethod(origin: "o", url: url(api), method: "PUT", includeCredentials: false, now: 5))
        #expect(cache.matchesMethod(origin: "o", url: url(api), method: "PATCH", includeCredentials: false, now: 5))
        #expect(!cache.matchesMethod(origin: "o", url: url(api), method: "PUT", includeCredentials: false, now: 10))
        #expect(cache.matchesHeader(origin: "o", url: url(api), name: "x-a", includeCredentials: false, now: 1, wildcardCoversAuthorization: false))
        #expect(!cache.matchesHeader(origin: "o", url: url(api), name: "authorization", includeCredentials: false, now: 1, wildcardCoversAuthorization: false))
        #expect(!cache.matchesMethod(origin: "other", url: url(api), method: "PUT", includeCredentials: false, now: 1))
        cache.clear(origin: "o", url: url(api))
        #expect(cache.isEmpty)
    }
}
