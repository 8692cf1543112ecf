import CORSCorpus
import CORSModel
import Foundation
import NIOConcurrencyHelpers

/// Something a reviewer should know about a response even when the browser accepts it.
public struct ReviewerFlag: Sendable, Hashable, Codable {
    /// `reflects-any-origin`, `allows-null-origin`, `vary-origin-missing`, `cors-missing-on-error`, `duplicate-cors-header`.
    public let id: String
    public let message: String
    public init(id: String, message: String) { self.id = id; self.message = message }
}

/// One check: an endpoint's request from one origin in one browser, and the policy for that origin.
public struct ProbeCheck: Sendable, Hashable {
    public let endpoint: Int
    public let origin: Origin
    /// true: the origin must be allowed; false: it must be refused.
    public let mustAllow: Bool
    public let browser: Browser
}

public struct CheckReport: Sendable {
    public let check: ProbeCheck
    public let endpointName: String
    public let result: FetchResult
    public let expected: ExpectFields
    public let verdict: Verdict
    public let differences: [String]
    public let flags: [ReviewerFlag]
    public let exchanges: [Exchange]
    public let seconds: Double
    /// The transport error that stopped the check (refused, reset, timeout, not HTTP…), if any.
    public var networkError: String? { result.reason == .networkFailure ? (result.failure?.detail ?? "network failure") : nil }
}

/// Runs a probe plan against the live server and judges every check.
public struct Prober: Sendable {
    public let plan: ProbePlan
    /// The origin the reflection check sends: no allowlist should contain it.
    public static let arbitraryOrigin = Origin.parse("https://attacker.cors-harness.invalid")!

    public init(plan: ProbePlan) { self.plan = plan }

    public var checks: [ProbeCheck] {
        var out: [ProbeCheck] = []
        for (i, e) in plan.endpoints.enumerated() {
            for o in e.allowed { for b in plan.browsers { out.append(ProbeCheck(endpoint: i, origin: o, mustAllow: true, browser: b)) } }
            for o in e.refused { for b in plan.browsers { out.append(ProbeCheck(endpoint: i, origin: o, mustAllow: false, browser: b)) } }
        }
        return out
    }

    enum Task: Sendable { case check(ProbeCheck), reflection(endpoint: Int, origin: Origin) }

    /// Runs every check (and the reflection checks) on `plan.concurrency` threads, blocking.
    public func run(client: LiveClient) -> ProbeReport {
        let checks = self.checks
        var tasks = checks.map { Task.check($0) }
        if plan.reflectionChecks {
            for (i, e) in plan.endpoints.enumerated() {
                tasks.append(.reflection(endpoint: i, origin: Prober.arbitraryOrigin))
                if !e.allowed.contains(where: \.isOpaque) { tasks.append(.reflection(endpoint: i, origin: Origin.parse("null")!)) }
            }
        }
        let allTasks = tasks
        let box = NIOLockedValueBox<[Int: (FetchResult, [Exchange], Double)]>([:])
        let started = Date()
        parallel(tasks.count, width: plan.concurrency) { i in
            let t0 = Date()
            let (r, x) = execute(allTasks[i], client: client)
            let seconds = Date().timeIntervalSince(t0)
            box.withLockedValue { $0[i] = (r, x, seconds) }
        }
        let done = box.withLockedValue { $0 }
        // Endpoint-level flags from the reflection checks.
        var endpointFlags: [Int: [ReviewerFlag]] = [:]
        for (i, t) in tasks.enumerated() {
            guard case let .reflection(e, origin) = t, let (r, x, _) = done[i] else { continue }
            endpointFlags[e, default: []] += Prober.reflectionFlags(origin: origin, result: r, exchanges: x)
        }
        var reports: [CheckReport] = []
        for (i, c) in checks.enumerated() {
            let (r, x, s) = done[i]!
            reports.append(judge(c, result: r, exchanges: x, seconds: s, extraFlags: endpointFlags[c.endpoint] ?? []))
        }
        return ProbeReport(plan: plan, checks: reports, seconds: Date().timeIntervalSince(started))
    }

    func execute(_ task: Task, client: LiveClient) -> (FetchResult, [Exchange]) {
        let endpoint: ProbeEndpoint
        let origin: Origin
        let browser: Browser
        switch task {
        case .check(let c): endpoint = plan.endpoints[c.endpoint]; origin = c.origin; browser = c.browser
        case let .reflection(e, o): endpoint = plan.endpoints[e]; origin = o; browser = .chrome
        }
        let request = endpoint.scriptRequest
        var network = LiveNetwork(client: client, browser: browser, page: origin, request: request, cookie: endpoint.cookie)
        var state = BrowserState()
        let result = Fetch(profile: browser.profile, tracing: true).run(request, page: origin, state: &state, network: &network)
        return (result, network.exchanges)
    }

    func judge(_ c: ProbeCheck, result: FetchResult, exchanges: [Exchange], seconds: Double, extraFlags: [ReviewerFlag]) -> CheckReport {
        let e = plan.endpoints[c.endpoint]
        var expected = ExpectFields()
        expected.outcome = c.mustAllow ? .allowed : .blocked
        if c.mustAllow, let ex = e.expect { expected = expected.overlaid(by: ex.resolved(for: c.browser)) }
        var flags = Prober.responseFlags(exchanges, origin: c.origin, mustAllow: c.mustAllow) + extraFlags
        var seen = Set<ReviewerFlag>()
        flags = flags.filter { seen.insert($0).inserted }
        var verdict: Verdict
        var diffs: [String]
        if result.reason == .networkFailure {
            let x = exchanges.last
            verdict = .error
            diffs = ["network error: \(result.failure?.detail ?? "failure")\(x.map { " (\($0.method) \($0.url))" } ?? "")"]
        } else {
            diffs = Judge.differences(expected: expected, actual: result)
            if c.mustAllow && result.outcome == .blocked, let f = result.failure {
                diffs.insert("policy: \(c.origin.serialized) must be allowed, but \(c.browser.profile.displayName) blocks it (\(f.reason.rawValue) at \(f.stage.rawValue))", at: 0)
                diffs.removeAll { $0.hasPrefix("outcome:") }
            } else if !c.mustAllow && result.outcome != .blocked {
                diffs.insert("policy: \(c.origin.serialized) must be refused, but \(c.browser.profile.displayName) lets the script read the response (\(result.outcome.rawValue), status \(result.status.map(String.init) ?? "-"))", at: 0)
                diffs.removeAll { $0.hasPrefix("outcome:") }
            }
            if plan.strict { diffs += flags.map { "reviewer flag [\($0.id)]: \($0.message)" } }
            verdict = diffs.isEmpty ? .pass : .fail
        }
        return CheckReport(check: c, endpointName: e.name, result: result, expected: expected, verdict: verdict, differences: diffs,
                           flags: flags, exchanges: exchanges, seconds: seconds)
    }

    // MARK: Reviewer flags

    static func describe(_ x: Exchange) -> String {
        "\(x.method) \(x.url)"
    }

    /// Flags read off the responses one check received.
    public static func responseFlags(_ exchanges: [Exchange], origin: Origin, mustAllow: Bool) -> [ReviewerFlag] {
        var out: [ReviewerFlag] = []
        for x in exchanges {
            guard let r = x.response else { continue }
            let isPreflight = x.method == "OPTIONS" && x.requestHeaders.contains { $0.name.lowercased() == "access-control-request-method" }
            var lines: [String: [String]] = [:]
            var order: [String] = []
            for h in r.headers where h.lowercasedName.hasPrefix("access-control-") {
                if lines[h.lowercasedName] == nil { order.append(h.lowercasedName) }
                lines[h.lowercasedName, default: []].append(h.line)
            }
            for name in order where lines[name]!.count > 1 {
                let shown = lines[name]!.map { "'\($0)'" }.joined(separator: ", ")
                let hint = name == "access-control-allow-origin"
                    ? " Two layers add it (typically a reverse proxy and the application): browsers refuse two values, so remove one."
                    : " Usually two layers (proxy and application) both add it."
                out.append(ReviewerFlag(id: "duplicate-cors-header",
                                        message: "The response to \(isPreflight ? "the preflight " : "")\(describe(x)) has \(lines[name]!.count) \(canonical(name)) lines: \(shown).\(hint)"))
            }
            let acao = r.headers.get("access-control-allow-origin")
            if !isPreflight, let acao, acao != "*", !acao.isEmpty {
                let vary = (r.headers.get("vary") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                if !vary.contains("origin") && !vary.contains("*") {
                    out.append(ReviewerFlag(id: "vary-origin-missing",
                                            message: "The response to \(describe(x)) names the origin ('Access-Control-Allow-Origin: \(acao)') but has no 'Vary: Origin': a shared cache can serve it to another origin, which the browser then refuses (or worse, serves another origin's allowed copy)."))
                }
            }
            if !isPreflight && r.status >= 400 && acao == nil && mustAllow
                && x.requestHeaders.contains(where: { $0.name.lowercased() == "origin" }) {
                out.append(ReviewerFlag(id: "cors-missing-on-error",
                                        message: "The \(r.status) response to \(describe(x)) carries no Access-Control-Allow-Origin, so the script of an allowed origin cannot read the error status or body (a CORS error hides it). With nginx, add_header applies to error responses only with 'always'."))
            }
        }
        return out
    }

    /// Flags from the checks sent from an arbitrary origin and from `null`.
    public static func reflectionFlags(origin: Origin, result: FetchResult, exchanges: [Exchange]) -> [ReviewerFlag] {
        let serialized = origin.serialized
        guard let x = exchanges.first(where: { $0.response?.headers.get("access-control-allow-origin") == serialized }),
              let r = x.response else { return [] }
        let credentials = r.headers.get("access-control-allow-credentials") == "true"
        if origin.isOpaque {
            return [ReviewerFlag(id: "allows-null-origin",
                                 message: "Origin 'null' is allowed\(credentials ? " with credentials" : "") ('Access-Control-Allow-Origin: null' on \(describe(x))): sandboxed iframes, file: pages and data: URLs of any site send it\(credentials ? ", and can read responses made with the user's cookies" : "").")]
        }
        return [ReviewerFlag(id: "reflects-any-origin",
                             message: "An arbitrary origin (\(serialized)) is echoed in Access-Control-Allow-Origin\(credentials ? " with 'Access-Control-Allow-Credentials: true'" : "") on \(describe(x)): the server reflects Origin without an allowlist\(credentials ? ", so any site can read responses made with the user's cookies" : ""). \(result.outcome == .allowed ? "The browser allows it." : "The browser still blocks this request (\(result.reason?.rawValue ?? "?")).") Check Origin against an allowlist.")]
    }

    static func canonical(_ lower: String) -> String {
        lower.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
    }
}

/// Runs `body(i)` for every i in 0..<count on `width` threads and waits for all of them.
func parallel(_ count: Int, width: Int, _ body: @escaping @Sendable (Int) -> Void) {
    if count == 0 { return }
    let next = NIOLockedValueBox(0)
    let group = DispatchGroup()
    for _ in 0..<max(1, min(width, count)) {
        group.enter()
        let t = Thread {
            while true {
                let i = next.withLockedValue { v -> Int in let i = v; v += 1; return i }
                if i >= count { break }
                body(i)
            }
            group.leave()
        }
        t.stackSize = 1 << 20
        t.start()
    }
    group.wait()
}

/// The outcome of a probe: every check, judged, with reviewer flags; the same results `run` reports.
public struct ProbeReport: Sendable {
    public let plan: ProbePlan
    public let checks: [CheckReport]
    public let seconds: Double

    /// Some check could not reach the server, or got no HTTP answer.
    public var unreachable: Bool { checks.contains { $0.networkError != nil } }
    public var failed: Bool { checks.contains { $0.verdict == .fail } }

    /// 3 when a check could not reach the server, 1 when a policy check failed, else 0.
    public var exitStatus: Int32 { unreachable ? 3 : failed ? 1 : 0 }

    public func rowID(_ c: CheckReport) -> String { "\(c.endpointName) from \(c.check.origin.serialized)" }

    /// The checks as `run` results (one row per endpoint × origin, one column per browser).
    public var results: [CaseResult] {
        checks.map { c in
            let e = plan.endpoints[c.check.endpoint]
            return CaseResult.live(caseID: rowID(c), title: "\(c.endpointName) from \(c.check.origin.serialized) must be \(c.check.mustAllow ? "allowed" : "refused")",
                                   suite: "probe \(plan.base.origin.serialized)", file: plan.file, location: e.location, browser: c.check.browser,
                                   request: e.scriptRequest, page: c.check.origin, result: c.result, expected: c.expected,
                                   verdict: c.verdict, differences: c.differences)
        }
    }

    public var times: [Double] { checks.map(\.seconds) }

    /// One report-only case per row, its notes listing the reviewer flags (reports show them).
    public var cases: [Case] {
        var out: [Case] = []
        var seen = Set<String>()
        for c in checks where seen.insert(rowID(c)).inserted {
            let e = plan.endpoints[c.check.endpoint]
            var flags: [ReviewerFlag] = []
            for other in checks where rowID(other) == rowID(c) { for f in other.flags where !flags.contains(f) { flags.append(f) } }
            let notes = flags.isEmpty ? nil : "Reviewer flags:\n" + flags.map { "- [\($0.id)] \($0.message)" }.joined(separator: "\n")
            out.append(Case.reportOnly(id: rowID(c), title: "\(c.endpointName) from \(c.check.origin.serialized) must be \(c.check.mustAllow ? "allowed" : "refused")",
                                       suite: "probe \(plan.base.origin.serialized)", file: plan.file, location: e.location,
                                       page: c.check.origin, request: e.scriptRequest, refs: flags.map { "flag: \($0.id)" }, notes: notes))
        }
        return out
    }

    // MARK: probe.json

    public struct Document: Codable, Sendable {
        public struct ExchangeInfo: Codable, Sendable {
            public let method: String
            public let url: String
            public let request: [String]
            public let status: Int?
            public let response: [String]?
            public let error: String?
            public let seconds: Double
        }
        public struct Check: Codable, Sendable {
            public let row: String
            public let endpoint: String
            public let origin: String
            public let policy: String
            public let browser: String
            public let verdict: String
            public let outcome: String
            public let reason: String?
            public let stage: String?
            public let status: Int?
            public let exposed: [String]
            public let messages: [String]
            public let differences: [String]
            public let flags: [ReviewerFlag]
            public let networkError: String?
            public let exchanges: [ExchangeInfo]
            public let seconds: Double
        }
        public let tool: String
        public let base: String
        public let file: String
        public let browsers: [String]
        public let seconds: Double
        public let exitStatus: Int32
        public let totals: [String: Int]
        public let checks: [Check]
    }

    public var document: Document {
        var totals: [String: Int] = [:]
        for c in checks { totals[c.verdict.rawValue, default: 0] += 1 }
        return Document(
            tool: "cors-harness probe", base: plan.base.serialized, file: plan.file, browsers: plan.browsers.map(\.rawValue),
            seconds: seconds, exitStatus: exitStatus, totals: totals,
            checks: checks.map { c in
                Document.Check(
                    row: rowID(c), endpoint: c.endpointName, origin: c.check.origin.serialized, policy: c.check.mustAllow ? "allowed" : "refused",
                    browser: c.check.browser.rawValue, verdict: c.verdict.rawValue, outcome: c.result.outcome.rawValue,
                    reason: c.result.reason?.rawValue, stage: c.result.stage?.rawValue, status: c.result.status, exposed: c.result.exposed,
                    messages: c.result.messages, differences: c.differences, flags: c.flags, networkError: c.networkError,
                    exchanges: c.exchanges.map { x in
                        Document.ExchangeInfo(method: x.method, url: x.url, request: x.requestHeaders.map { "\($0.name): \($0.value)" },
                                              status: x.response?.status, response: x.response?.headers.map(\.line), error: x.error,
                                              seconds: x.seconds)
                    },
                    seconds: c.seconds)
            })
    }

    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(document) + Data("\n".utf8)
    }

    /// The human report: per row, each browser's outcome and console lines, the flags.
    public func detailText() -> String {
        var out = ""
        var order: [String] = []
        var rows: [String: [CheckReport]] = [:]
        for c in checks {
            if rows[rowID(c)] == nil { order.append(rowID(c)) }
            rows[rowID(c), default: []].append(c)
        }
        for id in order {
            let list = rows[id]!
            let first = list[0]
            out += "\(id)  (must be \(first.check.mustAllow ? "allowed" : "refused"))\n"
            for c in list {
                var line = "  \(c.check.browser.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(c.verdict == .pass ? "pass" : c.verdict == .fail ? "FAIL" : "ERROR")  "
                if let ne = c.networkError {
                    line += "network error: \(ne)"
                } else {
                    line += c.result.outcome.rawValue
                    if let f = c.result.failure { line += " (\(f.reason.rawValue) at \(f.stage.rawValue))" }
                    if let s = c.result.status { line += ", status \(s)" }
                    if c.result.outcome == .allowed { line += ", readable: " + (c.result.exposed.isEmpty ? "(none)" : c.result.exposed.joined(separator: ", ")) }
                }
                out += line + "\n"
                for m in c.result.messages { out += "      console: \(m)\n" }
            }
            var flags: [ReviewerFlag] = []
            for c in list { for f in c.flags where !flags.contains(f) { flags.append(f) } }
            for f in flags { out += "  flag [\(f.id)] \(f.message)\n" }
            out += "\n"
        }
        return out
    }
}
