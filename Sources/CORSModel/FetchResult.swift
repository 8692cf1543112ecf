public enum OutcomeKind: String, Sendable, Codable, CaseIterable {
    /// The script reads the response (basic or CORS-filtered).
    case allowed
    /// A network error: `fetch()` rejects, XHR fires `error`.
    case blocked
    /// `no-cors` cross-origin: an opaque filtered response (status 0, no headers).
    case opaque
    /// `redirect: "manual"` met a redirect: an opaque-redirect filtered response.
    case opaqueRedirect = "opaque-redirect"
}

/// One step of the algorithm as `explain` shows it.
public struct TraceStep: Sendable, Hashable {
    public let anchor: String
    public let text: String
    public init(anchor: String, text: String) { self.anchor = anchor; self.text = text }
}

/// What happened to one request in one browser.
public struct FetchResult: Sendable, Hashable {
    public var outcome: OutcomeKind
    public var failure: Failure?
    /// The status script sees (0 for opaque responses; nil when blocked).
    public var status: Int?
    /// fetch#concept-response-type of what script gets: basic, cors, opaque, opaqueredirect, error.
    public var responseType: String
    /// Lower-cased response header names script can read, sorted.
    public var exposed: [String]
    /// Every request the browser sent, in order.
    public var requests: [HTTPRequest]
    /// Every response the browser received, parallel to `requests`.
    public var responses: [HTTPResponse]
    /// The console lines the browser prints, verbatim.
    public var messages: [String]
    /// False when the engine's lines for this failure are not modelled (docs/MESSAGES.md lists them).
    public var messagesModelled: Bool = true
    /// Steps of the algorithm with spec anchors (only filled when tracing).
    public var trace: [TraceStep]
    /// Names of the cookies the browser attached to its requests (first hop first), unique.
    public var cookiesSent: [String] = []
    /// Cookies in the jar that a request did not carry, with why (for `explain`).
    public var cookiesExcluded: [ExcludedCookie] = []
    /// What happened to every `Set-Cookie` the browser received, in order.
    public var cookieDecisions: [CookieDecision] = []
    public var cookiesStored: [String] { cookieDecisions.filter(\.stored).map(\.name) }
    /// The final response came from the browser's HTTP cache without contacting the server.
    public var fromCache: Bool = false
    /// Set when the evaluation could not complete because the case is incomplete (an unscripted request).
    public var caseError: String?

    public var preflightSent: Bool { requests.contains { $0.isPreflight } }
    public var reason: Reason? { failure?.reason }
    public var stage: Stage? { failure?.stage }
}
