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

    public struct RequestLine: Codable, Sendable {
        public let method: String
        public let url: String
        public let headers: [String]
        public let preflight: Bool
    }

    public struct ResponseLine: Codable, Sendable {
        public let status: Int
        public let headers: [String]
    }

    public struct Step: Codable, Sendable {
        public let anchor: String
        public let text: String
    }

    public struct Expected: Codable, Sendable {
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

    public init(results: [CaseResult], browsers: [Browser], generated: String, command: String) {
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
        self.results = results.map(RunReport.result)
    }

    static func result(_ r: CaseResult) -> Result {
        let f = r.result
        let e = r.expected
        return Result(
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
    }
}
