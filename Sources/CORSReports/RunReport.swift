import CORSCorpus
import CORSModel

/// The document every report format renders: `--format json` prints it as is (docs/JSON-SCHEMA.md).
public struct RunReport: Codable, Sendable {
    public static let currentSchemaVersion = 1

    public struct BrowserInfo: Codable, Sendable {
        public let name: String
        public let displayName: String
        public let engine: String
        public let modelledVersion: String
    }

    public struct RequestLine: Codable, Sendable, Equatable {
        public let method: String
        public let url: String
        public let headers: [String]
        public let preflight: Bool
    }

    public struct ResponseLine: Codable, Sendable, Equatable {
        public let status: Int
        public let headers: [String]
        /// Only for scripted responses (`cases[].server`), and only when the case scripts a body.
        public var body: String? = nil
    }

    /// What a case file says about one case, independent of the browser: reports show it next to the
    /// results (refs, the scripted responses, the script's request per step). Optional in the document.
    public struct CaseInfo: Codable, Sendable {
        public struct ScriptRequestInfo: Codable, Sendable {
            public let api: String
            public let method: String
            public let url: String
            public let headers: [String]
            public let credentials: String
            public let withCredentials: Bool
            public let mode: String
            public let redirect: String
            public let body: String?
            public let uploadListener: Bool
        }
        public struct StepInfo: Codable, Sendable {
            public let page: String
            /// Seconds the clock advances before the step.
            public let after: Double
            public let line: Int
            public let request: ScriptRequestInfo
        }
        public struct Scripted: Codable, Sendable {
            /// `METHOD URL`
            public let key: String
            public let responses: [ResponseLine]
        }
        public let id: String
        public let title: String
        public let suite: String
        public let file: String
        public let line: Int
        public let refs: [String]
        /// The browsers the case applies to; nil: all.
        public let browsers: [String]?
        public let divergence: String?
        public let verified: Bool
        public let verifiedNote: String?
        public let notes: String?
        public let steps: [StepInfo]
        public let server: [Scripted]
    }

    public struct Step: Codable, Sendable, Equatable {
        public let anchor: String
        public let text: String
    }

    public struct Expected: Codable, Sendable, Equatable {
        public var outcome: String?
        public var stage: String?
        public var reason: String?
        public var preflight: Bool?
        public var status: Int?
        public var exposed: [String]?
        public var requests: [String]?
        public var messages: [String]?
    }

    public struct Result: Codable, Sendable {
        public let `case`: String
        public let title: String
        public let suite: String
        public let file: String
        public let line: Int
        public let step: Int
        public let steps: Int
        public let browser: String
        public let page: String
        public let outcome: String?
        public let stage: String?
        public let reason: String?
        public let preflight: Bool
        public let status: Int?
        public let responseType: String?
        public let requests: [RequestLine]
        public let responses: [ResponseLine]
        public let exposed: [String]
        public let messages: [String]
        public let trace: [Step]
        public let expected: Expected
        public let verdict: String
        public let differences: [String]
        /// Seconds the evaluation of this case × browser × step took, when measured.
        public var time: Double? = nil
        /// Cookie activity, when there was any (sent, stored, and every Set-Cookie decision).
        public var cookies: CookieActivity? = nil
        /// True when the final response came from the browser's HTTP cache (absent otherwise).
        public var fromCache: Bool? = nil

        /// Same evaluation, whichever browser and however long it took (Chrome and Edge often are).
        func sameEvaluation(as b: borrowing Result) -> Bool {
            step == b.step && line == b.line && verdict == b.verdict && outcome == b.outcome && stage == b.stage
                && reason == b.reason && preflight == b.preflight && status == b.status && responseType == b.responseType
                && page == b.page && exposed == b.exposed && messages == b.messages && differences == b.differences
                && requests == b.requests && responses == b.responses && trace == b.trace && expected == b.expected
                && cookies == b.cookies && fromCache == b.fromCache
        }
    }

    public struct CookieActivity: Codable, Sendable, Equatable {
        public struct EngineMessage: Codable, Sendable, Equatable {
            public let identifier: String
            public let devToolsReason: String?
            public let text: String?
        }
        public struct Decision: Codable, Sendable, Equatable {
            public let name: String
            public let outcome: String
            public let reasons: [String]
            public let engine: [EngineMessage]
        }
        public let sent: [String]
        public let stored: [String]
        public let decisions: [Decision]
    }

    public struct Totals: Codable, Sendable {
        public var pass = 0, fail = 0, error = 0, unchecked = 0, skipped = 0
        public var total: Int { pass + fail + error + unchecked + skipped }

        mutating func add(_ v: Verdict) {
            switch v {
            case .pass: pass += 1
            case .fail: fail += 1
            case .error: error += 1
            case .unchecked: unchecked += 1
            case .skipped: skipped += 1
            }
        }
    }

    public let schemaVersion: Int
    public let tool: String
    public let generated: String
    public let command: String
    public let browsers: [BrowserInfo]
    public let totals: Totals
    public let totalsByBrowser: [String: Totals]
    public let results: [Result]
    /// The cases that were run, in run order (optional: absent in documents made without them).
    public let cases: [CaseInfo]?
    /// Seconds the whole evaluation took, when measured.
    public let time: Double?

    /// - Parameters:
    ///   - cases: the cases that were run; reports then show refs, scripted responses and the script's requests.
    ///   - times: seconds per result, parallel to `results` (JUnit `time`); nil when not measured.
    public init(results: [CaseResult], browsers: [Browser], generated: String, command: String,
                cases: [Case]? = nil, times: [Double]? = nil) {
        schemaVersion = RunReport.currentSchemaVersion
        tool = "cors-harness"
        self.generated = generated
        self.command = command
        self.browsers = browsers.map {
            BrowserInfo(name: $0.rawValue, displayName: $0.profile.displayName, engine: $0.profile.family.rawValue,
                        modelledVersion: $0.profile.modelledVersion)
        }
        var totals = Totals()
        var byBrowser: [String: Totals] = [:]
        for r in results {
            totals.add(r.verdict)
            byBrowser[r.browser.rawValue, default: Totals()].add(r.verdict)
        }
        self.totals = totals
        self.totalsByBrowser = byBrowser
        var mapped = results.map(RunReport.result)
        if let times, times.count == mapped.count {
            for i in mapped.indices { mapped[i].time = times[i] }
            self.time = times.reduce(0, +)
        } else {
            self.time = nil
        }
        self.results = mapped
        self.cases = cases.map { $0.map(RunReport.caseInfo) }
    }

    static func caseInfo(_ c: Case) -> CaseInfo {
        CaseInfo(
            id: c.id, title: c.title, suite: c.suite, file: c.file, line: c.location.line, refs: c.refs,
            browsers: c.browsers?.map(\.rawValue), divergence: c.divergence, verified: c.verified,
            verifiedNote: c.verifiedNote, notes: c.notes,
            steps: c.steps.map { s in
                let r = s.request
                return CaseInfo.StepInfo(
                    page: s.page.serialized, after: s.after, line: s.location.line,
                    request: CaseInfo.ScriptRequestInfo(
                        api: r.api.rawValue, method: r.method, url: r.url.serialized, headers: r.headers.map(\.line),
                        credentials: r.credentials.rawValue, withCredentials: r.withCredentials, mode: r.mode.rawValue,
                        redirect: r.redirect.rawValue, body: r.body, uploadListener: r.uploadListener))
            },
            server: c.serverScript.map { entry in
                CaseInfo.Scripted(key: entry.key, responses: entry.responses.map {
                    ResponseLine(status: $0.status, headers: $0.headers.map(\.line), body: $0.body.isEmpty ? nil : $0.body)
                })
            })
    }

    static func result(_ r: CaseResult) -> Result {
        let f = r.result
        let e = r.expected
        var result = Result(
            case: r.caseID, title: r.title, suite: r.suite, file: r.file, line: r.location.line, step: r.step, steps: r.stepCount,
            browser: r.browser.rawValue, page: r.page.serialized,
            outcome: f?.outcome.rawValue, stage: f?.stage?.rawValue, reason: f?.reason?.rawValue,
            preflight: f?.preflightSent ?? false, status: f?.status, responseType: f?.responseType,
            requests: f?.requests.map { RequestLine(method: $0.method, url: $0.url.serialized, headers: $0.headers.map(\.line), preflight: $0.isPreflight) } ?? [],
            responses: f?.responses.map { ResponseLine(status: $0.status, headers: $0.headers.map(\.line)) } ?? [],
            exposed: f?.exposed ?? [], messages: f?.messages ?? [],
            trace: f?.trace.map { Step(anchor: $0.anchor, text: $0.text) } ?? [],
            expected: Expected(outcome: e.outcome?.rawValue, stage: e.stage?.rawValue, reason: e.reason?.rawValue, preflight: e.preflight,
                               status: e.status, exposed: e.exposed, requests: e.requests, messages: e.messages),
            verdict: r.verdict.rawValue, differences: r.differences)
        if let f, !f.cookieDecisions.isEmpty || !f.cookiesSent.isEmpty {
            result.cookies = CookieActivity(
                sent: f.cookiesSent, stored: f.cookiesStored,
                decisions: f.cookieDecisions.map { d in
                    CookieActivity.Decision(name: d.name, outcome: d.outcome.rawValue, reasons: d.reasons.map(\.rawValue),
                                            engine: d.messages.map { CookieActivity.EngineMessage(identifier: $0.identifier, devToolsReason: $0.devToolsReason, text: $0.text) })
                })
        }
        if f?.fromCache == true { result.fromCache = true }
        return result
    }
}
