import CORSModel

/// A real browser engine `cors-harness verify` drives, and the browser profiles it stands for.
public enum Engine: String, CaseIterable, Sendable, Codable {
    /// Debian's `chromium` (Blink): Chrome and Edge.
    case chromium
    /// Debian's `firefox-esr` (Gecko): Firefox.
    case firefox
    /// WebKitGTK (`gir1.2-webkit2-4.1`), the engine Safari is built on: Safari.
    case webkit

    public var browsers: [Browser] {
        switch self {
        case .chromium: return [.chrome, .edge]
        case .firefox: return [.firefox]
        case .webkit: return [.safari]
        }
    }
}

/// What one engine did with one case, in the case's terms (local origins, ports and the
/// `/c/<id>/<run>` prefix already mapped back to the case's origins and URLs).
public struct EngineObservation: Codable, Sendable, Equatable {
    /// What the page script saw for one step.
    public struct ScriptStep: Codable, Sendable, Equatable {
        /// `resolved` or `rejected`; anything else (`step-timeout`, `frame-timeout`, `not-run`) means not observed.
        public var outcome: String
        public var status: Int?
        /// Readable response headers as the script listed them, lower-cased names.
        public var headers: [[String]]?
        /// The exception text when the script's call threw or rejected.
        public var error: String?
        public init(outcome: String, status: Int? = nil, headers: [[String]]? = nil, error: String? = nil) {
            self.outcome = outcome; self.status = status; self.headers = headers; self.error = error
        }
    }

    /// One request the mock server received for the case.
    public struct Received: Codable, Sendable, Equatable {
        public var method: String
        /// The case URL it was matched as (nil when it matched none).
        public var url: String?
        /// Header lines as received, local origins mapped back.
        public var headers: [String]
        public init(method: String, url: String?, headers: [String]) { self.method = method; self.url = url; self.headers = headers }

        /// A header's value as the model reads one (fetch#concept-header-list-get: repeats joined).
        public func header(_ name: String) -> String? { HeaderList(headers.compactMap { Header(line: $0) }).get(name) }
        public var isPreflight: Bool { method == "OPTIONS" && header("access-control-request-method") != nil }
    }

    /// One console message, text verbatim (mapped back).
    public struct ConsoleLine: Codable, Sendable, Equatable {
        public var level: String?
        public var source: String?
        public var text: String
        public init(level: String? = nil, source: String? = nil, text: String) { self.level = level; self.source = source; self.text = text }
    }

    public var steps: [ScriptStep]
    public var requests: [Received]
    public var console: [ConsoleLine]
    /// Set when the run did not complete (driver error, time-out, no report from the page).
    public var problem: String?
    /// Prompts or alerts the driver had to dismiss (HTTP authentication, say).
    public var dialogs: [String]
    public var seconds: Double

    public init(steps: [ScriptStep], requests: [Received], console: [ConsoleLine], problem: String? = nil,
                dialogs: [String] = [], seconds: Double = 0) {
        self.steps = steps; self.requests = requests; self.console = console; self.problem = problem
        self.dialogs = dialogs; self.seconds = seconds
    }
}

/// Why a case × engine is not compared. Every gap has a reason that reports show; none is silent.
public struct VerifyGap: Sendable, Equatable, Codable {
    /// `case` (declared in the case file with `gaps:`) or the rule's name.
    public var rule: String
    public var reason: String
    public init(rule: String, reason: String) { self.rule = rule; self.reason = reason }
}

/// The rules of `verify`: which case × engine pairs can be compared over the mock server, and how
/// an observation is compared with the model's prediction for the engine's browser.
public enum Verification {
    /// The longest a case may wait in real time (`after:` summed over its steps).
    public static let realTimeLimit = 65.0

    /// The gap that keeps `c` from being compared in `engine`, if any: the case's own `gaps:`
    /// declaration first, then the rules that follow from how `serve` maps a case onto loopback.
    public static func gap(for c: Case, engine: Engine) -> VerifyGap? {
        if let why = c.gaps[engine.rawValue] ?? c.gaps["all"] { return VerifyGap(rule: "case", reason: why) }
        if usesCookies(c) {
            return VerifyGap(rule: "cookies", reason: "the mock server puts every origin on one loopback host over http, so sites, https and cookie scoping are not those of the case; the cookie cases were run in the engines over https with real host names instead (tools/engine-probe round 4, docs/engine-observations.md)")
        }
        if c.sharedCache != nil {
            return VerifyGap(rule: "shared-cache", reason: "the case puts a shared cache (CDN) in front of the server; the mock server does not emulate one")
        }
        if c.steps.contains(where: { $0.page.scheme == "https" && $0.request.url.scheme == "http" }) {
            return VerifyGap(rule: "downgrade", reason: "an https page requests an http URL: the mock server serves every origin over http, so the downgrade (mixed content, referrer policy) is not reproduced")
        }
        if usesHTTPCache(c) && Set(c.steps.map(\.page.siteKey)).count > 1 {
            return VerifyGap(rule: "cache-partition", reason: "the steps' pages are on different sites and a response is cacheable: a browser's HTTP cache is partitioned by site, but the mock server's origins all share one site (127.0.0.1) and later pages run in frames of the first")
        }
        let wait = c.steps.reduce(0) { $0 + $1.after }
        if wait > realTimeLimit {
            return VerifyGap(rule: "real-time", reason: "the case waits \(Int(wait)) s between steps (the model's clock is virtual); verify runs cases in real time up to \(Int(realTimeLimit)) s")
        }
        return nil
    }

    /// A case whose outcome involves cookies: it scripts `Set-Cookie`, expects cookie activity, or
    /// names a browser variant that differs from its browser only in cookie policy.
    static func usesCookies(_ c: Case) -> Bool {
        if c.browsers?.contains(where: { !Browser.defaultSet.contains($0) }) == true { return true }
        if c.serverScript.contains(where: { $0.responses.contains { r in r.headers.contains("set-cookie") } }) { return true }
        if c.steps.contains(where: { $0.request.headers.contains { $0.lowercasedName == "cookie" } }) { return true }
        return c.steps.contains { s in
            let e = s.expect
            return ([e.shared] + [e.chromium].compactMap { $0 } + Array(e.perBrowser.values)).contains {
                $0.cookiesSent != nil || $0.cookiesStored != nil || $0.cookiesRejected != nil
            }
        }
    }

    /// A case whose responses a browser's HTTP cache may store or revalidate.
    static func usesHTTPCache(_ c: Case) -> Bool {
        if c.steps.contains(where: { s in ([s.expect.shared] + Array(s.expect.perBrowser.values)).contains { $0.fromCache != nil } }) { return true }
        return c.serverScript.contains { $0.responses.contains { r in
            ["cache-control", "expires", "etag", "last-modified"].contains { r.headers.contains($0) }
        } }
    }

    /// `resolved`/`rejected`: what a script sees for a model outcome.
    public static func scriptOutcome(_ o: OutcomeKind) -> String { o == .blocked ? "rejected" : "resolved" }

    /// Differences between what the script saw in one step and the model's result for it.
    /// `serverAddsLength`: the case scripts no `Content-Length`, so the mock server added one, which
    /// the engine may expose although the model (reading the script) does not.
    public static func stepDifferences(model r: FetchResult, observed o: EngineObservation.ScriptStep, serverAddsLength: Bool) -> [String] {
        guard o.outcome == "resolved" || o.outcome == "rejected" else {
            return ["script: not observed (\(o.outcome)\(o.error.map { ": " + $0 } ?? ""))"]
        }
        var d: [String] = []
        let want = scriptOutcome(r.outcome)
        if want != o.outcome {
            d.append("outcome: model \(r.outcome.rawValue) (script \(want)), engine's script \(o.outcome)\(o.error.map { " (\($0))" } ?? "")")
            return d
        }
        guard o.outcome == "resolved" else { return d }
        if let s = r.status, s != o.status { d.append("status: model \(s), engine \(o.status.map(String.init) ?? "none")") }
        var seen = Set((o.headers ?? []).compactMap { $0.first?.lowercased() })
        if serverAddsLength && !r.exposed.contains("content-length") { seen.remove("content-length") }
        let modelNames = Set(r.exposed)
        if seen != modelNames {
            d.append("readable headers: model [\(modelNames.sorted().joined(separator: ", "))], engine [\(seen.sorted().joined(separator: ", "))]")
        }
        return d
    }

    /// A request as `verify` compares it: kind, method, URL, the Origin header, the Referer header
    /// (when `referer`), the preflight's `Access-Control-Request-*` values and the cookie names sent.
    public static func requestSummary(method: String, url: String, preflight: Bool, referer: Bool = false, header: (String) -> String?) -> String {
        var s = (preflight ? "preflight " : "") + method + " " + url
        s += " origin=" + (header("origin") ?? "(none)")
        if referer { s += " referer=" + (header("referer") ?? "(none)") }
        if preflight {
            s += " acrm=" + (header("access-control-request-method") ?? "(none)")
            s += " acrh=" + (header("access-control-request-headers") ?? "(none)")
        }
        if let cookie = header("cookie") {
            let names = cookie.split(separator: ";").map { $0.split(separator: "=", maxSplits: 1).first.map { String($0).trimmingSet(" ") } ?? "" }
            s += " cookies=" + names.joined(separator: ",")
        }
        return s
    }

    public static func modelRequests(_ results: [FetchResult], referer: Bool = false) -> [String] {
        results.flatMap { r in
            r.requests.map { q in
                requestSummary(method: q.method, url: q.url.withoutFragment.serialized, preflight: q.isPreflight, referer: referer) { q.headers.get($0) }
            }
        }
    }

    public static func observedRequests(_ o: EngineObservation, referer: Bool = false) -> [String] {
        o.requests.map { q in requestSummary(method: q.method, url: q.url ?? "(unmatched)", preflight: q.isPreflight, referer: referer, header: q.header) }
    }

    /// Referer is compared unless a step runs in an opaque (`null`) page, whose document URL the
    /// model does not know.
    public static func comparesReferer(_ c: Case) -> Bool { !c.steps.contains { $0.page.serialized == "null" } }

    /// Console lines that belong to the request under test. Engines also print lines about the page
    /// itself; those listed here are dropped before comparing (docs/VERIFY.md lists them).
    public static func isAboutRequest(_ line: EngineObservation.ConsoleLine, engine: Engine) -> Bool {
        let t = line.text
        switch engine {
        case .firefox:
            // Firefox's own notes about the page (layout, quirks, CSP of data: icons) and the cookie
            // warnings, which the model keeps in cookie decisions (docs/COOKIES.md), not in messages.
            if t.hasPrefix("Layout was forced") || t.contains("Quirks Mode") { return false }
            if t.hasPrefix("Cookie “") { return false }
            // XMLHttpRequest's attempt to parse a body without Content-Type as XML (responseXML), not CORS.
            if t.hasPrefix("XML Parsing Error:") { return false }
            return true
        case .chromium, .webkit:
            return true
        }
    }

    /// Whether the model knows the engine's lines for every step of the case.
    public static func messagesModelled(_ results: [FetchResult]) -> Bool { results.allSatisfy(\.messagesModelled) }

    public static func consoleDifferences(model results: [FetchResult], observed o: EngineObservation, engine: Engine) -> [String] {
        guard messagesModelled(results) else { return [] }
        let want = results.flatMap(\.messages)
        let got = o.console.filter { isAboutRequest($0, engine: engine) }.map(\.text)
        if want == got { return [] }
        // Firefox logs from its network and content processes; their relative order varies from run
        // to run (seen on wpt-r8-redirect-to-data-url). WebKit's `Failed to load resource` line comes
        // from the inspector's network agent, and lands before the API's line for some responses
        // (a 304: wpt-p19-if-none-match-304-without-acao). For these two the same lines in any order agree.
        if engine != .chromium && want.sorted() == got.sorted() { return [] }
        return [Judge.messageDifference(expected: want, actual: got).replacingOccurrences(of: "messages:", with: "console:", options: [], range: nil)
            .replacingOccurrences(of: "expected:", with: "model: ").replacingOccurrences(of: "got:     ", with: "engine:")]
    }

    /// Every difference between the engine's observation of a case and the model's results for
    /// one browser (one per step, in order): per step what the script saw, then the requests the
    /// server received and the console lines, over the whole case.
    /// - Returns: per step, its differences (the case-wide ones are on the last step).
    public static func compare(_ c: Case, model results: [FetchResult], observed o: EngineObservation, engine: Engine,
                               serverAddsLength: (Int) -> Bool) -> [[String]] {
        var perStep: [[String]] = Array(repeating: [], count: results.count)
        guard !results.isEmpty else { return perStep }
        if let problem = o.problem {
            perStep[0].append("not observed: \(problem)")
            return perStep
        }
        for i in results.indices {
            guard i < o.steps.count else { perStep[i].append("script: no observation for step \(i + 1)"); continue }
            perStep[i] += stepDifferences(model: results[i], observed: o.steps[i], serverAddsLength: serverAddsLength(i))
        }
        var caseWide: [String] = []
        let referer = comparesReferer(c)
        let want = modelRequests(results, referer: referer), got = observedRequests(o, referer: referer)
        if want != got {
            caseWide.append("requests received: model [\(want.joined(separator: "; "))], server [\(got.joined(separator: "; "))]")
        }
        caseWide += consoleDifferences(model: results, observed: o, engine: engine)
        perStep[perStep.count - 1] += caseWide
        return perStep
    }
}

extension Case {
    /// The case answers 401 with `WWW-Authenticate`: a browser may put up a login prompt.
    public var asksForLogin: Bool {
        serverScript.contains { $0.responses.contains { $0.status == 401 && $0.headers.contains("www-authenticate") } }
    }
}

extension String {
    /// The string without leading and trailing characters from `chars` (HTTP whitespace, say).
    public func trimmingSet(_ chars: String) -> String {
        let set = Set(chars)
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
