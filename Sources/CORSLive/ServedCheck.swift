import CORSCorpus
import CORSModel
import Foundation
import NIOConcurrencyHelpers

/// The model's `Network` over the mock server: a request in the case's terms (case URL, case
/// origins) goes to the local listener with the case prefix, and the response comes back in the
/// case's terms (local origins and `Location` URLs restored). With it, a served case evaluated over
/// real HTTP must give exactly what `run` gives from the script: same outcome, reason, stage,
/// status, readable headers, requests and console lines.
public struct MappedNetwork: Network {
    public var live: LiveNetwork
    public let map: OriginMap
    public let prefix: String
    /// `METHOD URL` keys whose scripted responses carry their own `Content-Length`; on the others the
    /// server adds one, which is dropped here (a browser could read it; the script has none).
    public let keysScriptingLength: Set<String>

    public init(live: LiveNetwork, map: OriginMap, prefix: String, keysScriptingLength: Set<String>) {
        self.live = live; self.map = map; self.prefix = prefix; self.keysScriptingLength = keysScriptingLength
    }

    /// The keys of `c` whose responses script `Content-Length`.
    public static func keysScriptingLength(_ c: Case) -> Set<String> {
        Set(c.server.responses.filter { $0.value.contains { $0.headers.contains("content-length") } }.map(\.key))
    }

    public mutating func send(_ r: HTTPRequest) -> Result<HTTPResponse, NetworkFailure> {
        guard let local = map.localURL(r.url, prefix: prefix), let url = WebURL.parse(local) else {
            return .failure(.connection("origin \(r.url.origin.serialized) is not served"))
        }
        var headers = HeaderList()
        for h in r.headers { headers.append(name: h.name, value: map.toLocal(h.rawValue)) }
        switch live.send(HTTPRequest(method: r.method, url: url, headers: headers, body: r.body, isPreflight: r.isPreflight)) {
        case .failure(let f): return .failure(f)
        case .success(let response):
            if response.status == 404, response.body.hasPrefix("cors-harness: case '"), response.body.contains("scripts no response") {
                return .failure(.unscripted(key: r.key))   // the mock server's answer to an unscripted request
            }
            var back = HeaderList()
            let strip = !keysScriptingLength.contains(r.key)
            for h in response.headers {
                if strip && h.lowercasedName == "content-length" { continue }
                back.append(name: h.name, value: map.restoreIncoming(name: h.lowercasedName, value: h.rawValue, prefix: prefix))
            }
            return .success(HTTPResponse(status: response.status, headers: back, body: response.body))
        }
    }
}

/// Evaluates served cases over HTTP (`cors-harness serve --self-check`, and the tests): each case ×
/// browser gets its own run token, so its response sequence starts afresh as in `run`.
public enum ServedCheck {
    public static func run(server: MockServer, cases: [Case], browsers: [Browser], client: LiveClient, token: String,
                           concurrency: Int = 4) -> [CaseResult] {
        let map = server.map
        // As `Runner.run`: variants (chrome-incognito …) also run for a case that names them.
        let jobs = cases.flatMap { c in
            (browsers + (c.browsers ?? []).filter { !browsers.contains($0) && !Browser.defaultSet.contains($0) }).map { (c, $0) }
        }
        let box = NIOLockedValueBox<[Int: [CaseResult]]>([:])
        parallel(jobs.count, width: concurrency) { i in
            let (c, b) = jobs[i]
            let r = evaluate(c, browser: b, map: map, client: client, token: token)
            box.withLockedValue { $0[i] = r }
        }
        let done = box.withLockedValue { $0 }
        return (0..<jobs.count).flatMap { done[$0]! }
    }

    static func evaluate(_ c: Case, browser: Browser, map: OriginMap, client: LiveClient, token: String) -> [CaseResult] {
        let fetch = Fetch(profile: browser.profile)
        var state = BrowserState()
        let prefix = OriginMap.prefix(case: c.id, run: "\(token)-\(browser.rawValue)")
        let lengthKeys = MappedNetwork.keysScriptingLength(c)
        var out: [CaseResult] = []
        var broken = false
        for (i, step) in c.steps.enumerated() {
            let expected = step.expect.resolved(for: browser)
            func make(_ result: FetchResult?, _ verdict: Verdict, _ diffs: [String]) -> CaseResult {
                .live(caseID: c.id, title: c.title, suite: c.suite, file: c.file, location: step.location, step: i + 1,
                      stepCount: c.steps.count, browser: browser, request: step.request, page: step.page, result: result,
                      expected: expected, verdict: verdict, differences: diffs)
            }
            if !c.applies(to: browser) { out.append(make(nil, .skipped, [])); continue }
            if c.sharedCache != nil { out.append(make(nil, .skipped, ["serve does not emulate a shared cache (cache:)"])); continue }
            if broken { out.append(make(nil, .error, ["an earlier step of this case could not be evaluated"])); continue }
            state.now += step.after
            let live = LiveNetwork(client: client, browser: browser, page: step.page, request: step.request)
            var network = MappedNetwork(live: live, map: map, prefix: prefix, keysScriptingLength: lengthKeys)
            let result = fetch.run(step.request, page: step.page, state: &state, network: &network)
            if let ne = network.live.exchanges.first(where: { $0.error != nil })?.error {
                broken = true
                out.append(make(result, .error, ["network error: \(ne)"]))
                continue
            }
            let (verdict, diffs) = Judge.verdict(expected: expected, actual: result, at: step.location)
            if verdict == .error { broken = true }
            out.append(make(result, verdict, diffs))
        }
        return out
    }
}
