import CORSModel

public enum Verdict: String, Sendable, Codable, CaseIterable {
    case pass, fail
    /// The case states nothing for this browser.
    case unchecked
    /// The case is incomplete (e.g. the model needed a response the case does not script).
    case error
    /// The case does not apply to this browser (`browsers:`).
    case skipped
}

/// One case × step × browser.
public struct CaseResult: Sendable {
    public let caseID: String
    public let title: String
    public let suite: String
    public let file: String
    public let location: SourceLocation
    /// 1-based step number (1 for single-request cases).
    public let step: Int
    public let stepCount: Int
    public let browser: Browser
    public let request: ScriptRequest?
    public let page: Origin
    public let result: FetchResult?
    public let expected: ExpectFields
    public let verdict: Verdict
    /// Readable differences between expectation and model, one per field.
    public let differences: [String]

    public init(caseID: String, title: String, suite: String, file: String, location: SourceLocation, step: Int, stepCount: Int,
                browser: Browser, request: ScriptRequest?, page: Origin, result: FetchResult?, expected: ExpectFields,
                verdict: Verdict, differences: [String]) {
        self.caseID = caseID; self.title = title; self.suite = suite; self.file = file; self.location = location
        self.step = step; self.stepCount = stepCount; self.browser = browser; self.request = request; self.page = page
        self.result = result; self.expected = expected; self.verdict = verdict; self.differences = differences
    }
}

/// Evaluates cases in every selected browser and judges them against their expectations.
public struct Runner {
    public var browsers: [Browser]
    public var tracing: Bool

    public init(browsers: [Browser] = Browser.defaultSet, tracing: Bool = false) {
        self.browsers = browsers
        self.tracing = tracing
    }

    public func run(_ cases: [Case]) -> [CaseResult] {
        var out: [CaseResult] = []
        out.reserveCapacity(cases.count * browsers.count)
        for c in cases {
            for b in browsers(for: c) { out += run(c, browser: b) }
        }
        return out
    }

    /// The selected browsers, plus the variants (chrome-incognito …) the case names: those run for
    /// a case that names them even when not selected.
    public func browsers(for c: Case) -> [Browser] {
        browsers + (c.browsers ?? []).filter { !browsers.contains($0) && !Browser.defaultSet.contains($0) }
    }

    /// Runs every step of one case in one browser, against one browser state and one server.
    public func run(_ c: Case, browser: Browser) -> [CaseResult] {
        if let shared = c.sharedCache {
            var network = SharedCache(base: c.server, honoursVary: shared.honoursVary)
            return run(c, browser: browser, network: &network) { $0.now = $1 }
        }
        var network = c.server
        return run(c, browser: browser, network: &network) { _, _ in }
    }

    func run<N: Network>(_ c: Case, browser: Browser, network server: inout N, setClock: (inout N, Double) -> Void) -> [CaseResult] {
        let fetch = Fetch(profile: browser.profile, tracing: tracing)
        var state = BrowserState()
        var out: [CaseResult] = []
        var broken = false
        for (i, step) in c.steps.enumerated() {
            let expected = step.expect.resolved(for: browser)
            func make(_ result: FetchResult?, _ verdict: Verdict, _ diffs: [String]) -> CaseResult {
                CaseResult(caseID: c.id, title: c.title, suite: c.suite, file: c.file, location: step.location, step: i + 1,
                           stepCount: c.steps.count, browser: browser, request: step.request, page: step.page,
                           result: result, expected: expected, verdict: verdict, differences: diffs)
            }
            if !c.applies(to: browser) { out.append(make(nil, .skipped, [])); continue }
            if broken { out.append(make(nil, .error, ["an earlier step of this case could not be evaluated"])); continue }
            state.now += step.after
            setClock(&server, state.now)
            let result = fetch.run(step.request, page: step.page, state: &state, network: &server)
            let (verdict, diffs) = Judge.verdict(expected: expected, actual: result, at: step.location)
            if verdict == .error { broken = true }
            out.append(make(result, verdict, diffs))
        }
        return out
    }
}

/// Compares what a case expects with what the model (or a real engine) did.
public enum Judge {
    public static func requestLine(_ r: HTTPRequest) -> String { "\(r.method) \(r.url.serialized)" }

    /// One evaluation's verdict: `error` when the case was incomplete, `unchecked` when it expects
    /// nothing of this browser, else `pass` or `fail` with the differences.
    public static func verdict(expected: ExpectFields, actual result: FetchResult, at location: SourceLocation) -> (Verdict, [String]) {
        if let problem = result.caseError { return (.error, ["\(location): \(problem)"]) }
        if expected.isEmpty { return (.unchecked, []) }
        let diffs = differences(expected: expected, actual: result)
        return (diffs.isEmpty ? .pass : .fail, diffs)
    }

    public static func differences(expected e: ExpectFields, actual r: FetchResult) -> [String] {
        var d: [String] = []
        func show<T>(_ v: T?) -> String { v.map { "\($0)" } ?? "none" }
        if let v = e.outcome, v != r.outcome { d.append("outcome: expected \(v.rawValue), got \(r.outcome.rawValue)") }
        if let v = e.stage, v != r.stage { d.append("stage: expected \(v.rawValue), got \(show(r.stage?.rawValue))") }
        if let v = e.reason, v != r.reason { d.append("reason: expected \(v.rawValue), got \(show(r.reason?.rawValue))") }
        if let v = e.preflight, v != r.preflightSent { d.append("preflight: expected \(v), got \(r.preflightSent)") }
        if let v = e.status, v != r.status { d.append("status: expected \(v), got \(show(r.status))") }
        if let v = e.exposed, Set(v) != Set(r.exposed) {
            d.append("exposed: expected [\(v.sorted().joined(separator: ", "))], got [\(r.exposed.joined(separator: ", "))]")
        }
        if let v = e.requests {
            let got = r.requests.map(requestLine)
            if v != got { d.append("requests: expected [\(v.joined(separator: "; "))], got [\(got.joined(separator: "; "))]") }
        }
        if let v = e.messages, v != r.messages { d.append(messageDifference(expected: v, actual: r.messages)) }
        if let v = e.fromCache, v != r.fromCache { d.append("fromCache: expected \(v), got \(r.fromCache)") }
        func names(_ label: String, _ expected: [String]?, _ actual: [String]) {
            if let expected, Set(expected) != Set(actual) {
                d.append("cookies.\(label): expected [\(expected.sorted().joined(separator: ", "))], got [\(Set(actual).sorted().joined(separator: ", "))]")
            }
        }
        names("stored", e.cookiesStored, r.cookiesStored)
        names("sent", e.cookiesSent, r.cookiesSent)
        names("rejected", e.cookiesRejected, r.cookieDecisions.filter { $0.outcome == .rejected }.map(\.name))
        return d
    }

    static func messageDifference(expected: [String], actual: [String]) -> String {
        for i in 0..<max(expected.count, actual.count) {
            let ex = i < expected.count ? expected[i] : nil
            let ac = i < actual.count ? actual[i] : nil
            if ex != ac {
                return "messages: line \(i + 1) differs (expected \(expected.count) lines, got \(actual.count))\n  expected: \(ex.map { "\"\($0)\"" } ?? "(no line)")\n  got:      \(ac.map { "\"\($0)\"" } ?? "(no line)")"
            }
        }
        return "messages differ"
    }
}
