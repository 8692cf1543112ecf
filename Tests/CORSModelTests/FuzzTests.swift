import Testing
@testable import CORSModel

/// Deterministic random exploration: requests and responses built from a seed corpus of tricky
/// values, checked against invariants that hold whatever the input. A failing seed is printed.
@Suite struct FuzzTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }

    static let seedValues = ["*", "null", "", " * ", "http://localhost:3000", "http://localhost:3000/", "HTTP://LOCALHOST:3000",
                             "https://a.example", "*, *", "http://localhost:3000, http://localhost:3000", "foo", "true", "True",
                             "true\u{0B}", "\"true\"", "GET, PUT", "PUT DELETE", ",,PUT,", "x-a, X-B", "Authorization", "é", "\u{01}",
                             "<script>alert(1)</script>", "5", "-1", "86400", "abc", "text/plain", "application/json"]
    static let responseNames = ["Access-Control-Allow-Origin", "access-control-allow-origin", "Access-Control-Allow-Credentials",
                                "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age",
                                "Access-Control-Expose-Headers", "Location", "Set-Cookie", "X-Custom", "Content-Type"]
    static let requestHeaders = ["Content-Type: application/json", "Content-Type: text/plain", "X-Token: 1", "Authorization: Bearer t",
                                 "Accept: */*", "Range: bytes=0-", "Cookie: a=b", "Accept-Language: en_US", "X-A: é"]
    static let urls = ["https://api.example.com/a", "https://api.example.com/b", "http://localhost:3000/same", "https://other.example/c"]

    func randomResponse(_ rng: inout SplitMix64) -> HTTPResponse {
        let statuses = [200, 204, 302, 307, 404, 500, 301, 303]
        var h = HeaderList()
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            let name = Self.responseNames.randomElement(using: &rng)!
            // One Location at most: WebKit follows two joined as one URL, which this server does not script.
            if name == "Location" && h.contains("location") { continue }
            let value = name == "Location" ? Self.urls.randomElement(using: &rng)! : Self.seedValues.randomElement(using: &rng)!
            h.append(name: name, value: value)
        }
        return HTTPResponse(status: statuses.randomElement(using: &rng)!, headers: h)
    }

    @Test(arguments: 0..<8)
    func invariantsHold(_ seed: Int) {
        var rng = SplitMix64(state: UInt64(seed) &* 7919)
        for iteration in 0..<400 {
            var script: [String: [HTTPResponse]] = [:]
            for u in Self.urls {
                for m in ["OPTIONS", "GET", "PUT", "POST", "patch"] {
                    script[ScriptedServer.key(method: m, url: WebURL.parse(u)!)] = [randomResponse(&rng)]
                }
            }
            let request = ScriptRequest(
                api: Bool.random(using: &rng) ? .fetch : .xhr,
                url: WebURL.parse(Self.urls.randomElement(using: &rng)!)!,
                method: ["GET", "PUT", "POST", "patch", "get"].randomElement(using: &rng)!,
                headers: (0..<Int.random(in: 0...3, using: &rng)).map { _ in Header(line: Self.requestHeaders.randomElement(using: &rng)!)! },
                credentials: CredentialsMode.allCases.randomElement(using: &rng)!,
                withCredentials: Bool.random(using: &rng),
                mode: [RequestMode.cors, .cors, .noCORS].randomElement(using: &rng)!)
            for browser in Browser.allCases {
                var state = BrowserState()
                var net = ScriptedServer(script)
                let r = Fetch(profile: browser.profile).run(request, page: Origin.parse("http://localhost:3000")!, state: &state, network: &net)
                let context = "seed \(seed) iteration \(iteration) \(browser)"
                #expect(r.caseError == nil, "\(context)")
                switch r.outcome {
                case .blocked:
                    #expect(r.failure != nil, "\(context)")
                    #expect(r.exposed.isEmpty && r.status == nil, "\(context)")
                    if let f = r.failure, f.reason.isCORSProtocolFailure {
                        #expect(!r.messages.isEmpty, "\(context): a CORS failure prints something")
                    }
                case .allowed:
                    #expect(r.failure == nil && r.status != nil, "\(context)")
                    #expect(!r.exposed.contains("set-cookie"), "\(context)")
                case .opaque, .opaqueRedirect:
                    #expect(r.status == 0 && r.exposed.isEmpty, "\(context)")
                }
                // A preflight is only ever first in a hop, carries no author headers, and is OPTIONS.
                for p in r.requests where p.isPreflight {
                    #expect(p.method == "OPTIONS" && !p.headers.contains("x-token") && !p.headers.contains("authorization"), "\(context)")
                }
                // Every request carries at most one Origin header.
                for q in r.requests { #expect(q.headers.lineCount("origin") <= 1, "\(context)") }
                #expect(r.requests.count <= 2 * 21, "\(context)")
            }
        }
    }
}
