/// Where a request failed.
public enum Stage: String, Sendable, Codable, CaseIterable {
    /// Before anything was sent (a TypeError from `fetch()`, an exception from XHR `open()`).
    case request
    case preflight
    /// A redirect hop's own response failed, or following it was refused.
    case redirect
    case actual
}

/// The documented, stable failure kinds (docs/REASONS.md).
public enum Reason: String, Sendable, Codable, CaseIterable {
    case missingAllowOrigin = "missing-allow-origin"
    case multipleAllowOrigin = "multiple-allow-origin"
    case invalidAllowOrigin = "invalid-allow-origin"
    case allowOriginMismatch = "allow-origin-mismatch"
    case wildcardOriginWithCredentials = "wildcard-origin-with-credentials"
    case invalidAllowCredentials = "invalid-allow-credentials"
    case preflightStatus = "preflight-status"
    case preflightRedirect = "preflight-redirect"
    case invalidAllowMethods = "invalid-allow-methods"
    case invalidAllowHeaders = "invalid-allow-headers"
    case methodNotAllowed = "method-not-allowed"
    case headerNotAllowed = "header-not-allowed"
    case redirectCredentials = "redirect-credentials"
    case redirectScheme = "redirect-scheme"
    case redirectLocationInvalid = "redirect-location-invalid"
    case tooManyRedirects = "too-many-redirects"
    case redirectModeError = "redirect-mode-error"
    /// A redirect other than 303 for a request whose body is a stream (fetch#http-redirect-fetch).
    case redirectStreamBody = "redirect-stream-body"
    /// The engine cannot upload a `ReadableStream` body at all (WebKit: NotSupportedError).
    case streamBodyUnsupported = "stream-body-unsupported"
    case noCORSRedirectMode = "no-cors-redirect-mode"
    case disallowedByMode = "disallowed-by-mode"
    case corsDisabledScheme = "cors-disabled-scheme"
    case forbiddenMethod = "forbidden-method"
    case invalidMethod = "invalid-method"
    case noCORSMethod = "no-cors-method"
    case bodyWithGetOrHead = "body-with-get-or-head"
    case urlCredentials = "url-credentials"
    case invalidURL = "invalid-url"
    case onlyIfCachedMode = "only-if-cached-mode"
    case networkFailure = "network-failure"

    /// The Fetch Standard anchor that defines the failing rule.
    public var specAnchor: String {
        switch self {
        case .missingAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch, .wildcardOriginWithCredentials, .invalidAllowCredentials:
            return "fetch#concept-cors-check"
        case .multipleAllowOrigin: return "fetch#concept-header-list-get"
        case .preflightStatus, .preflightRedirect, .methodNotAllowed, .headerNotAllowed: return "fetch#cors-preflight-fetch-0"
        case .invalidAllowMethods, .invalidAllowHeaders: return "fetch#extract-header-list-values"
        case .redirectCredentials, .redirectScheme, .tooManyRedirects, .redirectStreamBody: return "fetch#http-redirect-fetch"
        case .redirectLocationInvalid: return "fetch#concept-response-location-url"
        case .redirectModeError: return "fetch#concept-http-fetch"
        case .noCORSRedirectMode, .disallowedByMode, .corsDisabledScheme: return "fetch#concept-main-fetch"
        case .forbiddenMethod: return "fetch#forbidden-method"
        case .invalidMethod: return "fetch#concept-method"
        case .noCORSMethod, .bodyWithGetOrHead, .urlCredentials, .invalidURL, .onlyIfCachedMode, .streamBodyUnsupported: return "fetch#dom-request"
        case .networkFailure: return "fetch#concept-network-error"
        }
    }

    /// Whether this is a CORS-protocol failure (the kind engines describe as an access-control error).
    public var isCORSProtocolFailure: Bool {
        switch self {
        case .missingAllowOrigin, .multipleAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch,
             .wildcardOriginWithCredentials, .invalidAllowCredentials, .preflightStatus, .preflightRedirect,
             .invalidAllowMethods, .invalidAllowHeaders, .methodNotAllowed, .headerNotAllowed:
            return true
        default: return false
        }
    }
}

/// A failure with the values the engines put into their messages.
public struct Failure: Sendable, Hashable {
    public var reason: Reason
    public var stage: Stage
    /// The URL of the request that failed (for a preflight failure: the actual request's URL).
    public var url: WebURL
    /// Status of the response that failed the check, when there was one.
    public var status: Int? = nil
    /// The joined `Access-Control-Allow-Origin` value, and how many lines carried it.
    public var allowOrigin: String? = nil
    public var allowOriginLines: Int = 0
    /// The joined `Access-Control-Allow-Credentials` value (nil when absent).
    public var allowCredentials: String? = nil
    /// The whole ACAM/ACAH value and its first invalid item, for parse failures.
    public var listValue: String? = nil
    public var invalidToken: String? = nil
    /// The method or header (lower-cased, and as the script wrote it) a preflight did not allow.
    public var method: String? = nil
    public var headerName: String? = nil
    public var headerNameAsSent: String? = nil
    /// The redirect target, for redirect failures.
    public var location: String? = nil
    /// A network-level description (live probes: refused, reset, timeout).
    public var detail: String? = nil

    public init(reason: Reason, stage: Stage, url: WebURL) {
        self.reason = reason; self.stage = stage; self.url = url
    }
}
