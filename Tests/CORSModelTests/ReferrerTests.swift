import Testing
@testable import CORSModel

/// referrer-policy#determine-requests-referrer for a page whose document URL is `origin/`, and the
/// Referrer-Policy header of a redirect (fetch#http-redirect-fetch).
@Suite struct ReferrerTests {
    let page = origin("https://app.example")

    func referer(_ policy: ReferrerPolicy, to target: String, from p: Origin? = nil) -> String? {
        let from = p ?? page
        return Referrer.sends(page: from, url: url(target), policy: policy) ? from.serialized + "/" : nil
    }

    @Test func policies() {
        #expect(referer(.strictOriginWhenCrossOrigin, to: "https://api.example/x") == "https://app.example/")
        #expect(referer(.strictOriginWhenCrossOrigin, to: "http://api.example/x") == nil)        // downgrade
        #expect(referer(.strictOriginWhenCrossOrigin, to: "http://localhost:8080/x") == "https://app.example/")  // loopback is trustworthy
        #expect(referer(.strictOriginWhenCrossOrigin, to: "http://127.0.0.1:8080/x") == "https://app.example/")
        #expect(referer(.noReferrerWhenDowngrade, to: "http://api.example/x") == nil)
        #expect(referer(.unsafeURL, to: "http://api.example/x") == "https://app.example/")
        #expect(referer(.origin, to: "http://api.example/x") == "https://app.example/")
        #expect(referer(.noReferrer, to: "https://app.example/x") == nil)
        #expect(referer(.sameOrigin, to: "https://app.example/x") == "https://app.example/")
        #expect(referer(.sameOrigin, to: "https://api.example/x") == nil)
        #expect(referer(.unsafeURL, to: "https://api.example/x", from: .opaque("sandbox")) == nil)
    }

    @Test func headerParsingTakesTheLastKnownToken() {
        #expect(Referrer.parse("no-referrer, not-a-policy") == .noReferrer)
        #expect(Referrer.parse("unsafe-url,  Origin ") == .origin)
        #expect(Referrer.parse("nonsense") == nil)
        #expect(Referrer.parse(nil) == nil)
    }

    func requests(_ policy: ReferrerPolicy, redirectPolicy: String) -> [String?] {
        var req = ScriptRequest(api: .fetch, url: url("https://api.example/start"))
        req.referrerPolicy = policy
        let r = evaluate(req, page: "https://app.example", browser: .firefox, server: [
            "GET https://api.example/start": [response(307, ["Location: https://cdn.example/final", "Referrer-Policy: \(redirectPolicy)", "Access-Control-Allow-Origin: *"])],
            "GET https://cdn.example/final": [response(200, ["Access-Control-Allow-Origin: *"])],
        ])
        return r.requests.map { $0.headers.get("referer") }
    }

    @Test func aRedirectCanRemoveTheRefererButNotRestoreIt() {
        #expect(requests(.strictOriginWhenCrossOrigin, redirectPolicy: "no-referrer") == ["https://app.example/", nil])
        #expect(requests(.noReferrer, redirectPolicy: "unsafe-url") == [nil, nil])
        #expect(requests(.strictOriginWhenCrossOrigin, redirectPolicy: "bogus") == ["https://app.example/", "https://app.example/"])
    }
}
