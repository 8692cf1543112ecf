public enum API: String, Sendable, Codable, CaseIterable {
    case fetch, xhr
}

/// fetch#concept-request-mode (the modes a script can choose).
public enum RequestMode: String, Sendable, Codable, CaseIterable {
    case cors, noCORS = "no-cors", sameOrigin = "same-origin"
}

/// fetch#concept-request-credentials-mode
public enum CredentialsMode: String, Sendable, Codable, CaseIterable {
    case omit, sameOrigin = "same-origin", include
}

/// fetch#concept-request-redirect-mode
public enum RedirectMode: String, Sendable, Codable, CaseIterable {
    case follow, error, manual
}

/// referrer-policy: only decides, here, when a non-CORS request's `Origin` is `null` (fetch#append-a-request-origin-header).
public enum ReferrerPolicy: String, Sendable, Codable, CaseIterable {
    case noReferrer = "no-referrer", noReferrerWhenDowngrade = "no-referrer-when-downgrade", sameOrigin = "same-origin",
         origin, strictOrigin = "strict-origin", originWhenCrossOrigin = "origin-when-cross-origin",
         strictOriginWhenCrossOrigin = "strict-origin-when-cross-origin", unsafeURL = "unsafe-url"
}

/// What the page's script asks for: `fetch(url, init)` or an `XMLHttpRequest`.
public struct ScriptRequest: Sendable, Hashable {
    public var api: API
    public var url: WebURL
    public var method: String
    /// Header lines in the order the script sets them.
    public var headers: [Header]
    public var credentials: CredentialsMode
    public var withCredentials: Bool
    public var mode: RequestMode
    public var redirect: RedirectMode
    public var body: String?
    /// XHR: an event listener on `xhr.upload` sets the use-CORS-preflight flag.
    public var uploadListener: Bool
    /// fetch `referrerPolicy` (default: the document's, strict-origin-when-cross-origin).
    public var referrerPolicy: ReferrerPolicy = .strictOriginWhenCrossOrigin
    /// fetch `cache`.
    public var cache: CacheMode = .default
    /// fetch: the body is sent as a `ReadableStream` (with `duplex: "half"`), whose source is null:
    /// it cannot be sent again, so a redirect other than 303 fails (fetch#http-redirect-fetch).
    public var bodyIsStream = false

    public init(api: API = .fetch, url: WebURL, method: String = "GET", headers: [Header] = [],
                credentials: CredentialsMode = .sameOrigin, withCredentials: Bool = false,
                mode: RequestMode = .cors, redirect: RedirectMode = .follow, body: String? = nil, uploadListener: Bool = false) {
        self.api = api; self.url = url; self.method = method; self.headers = headers
        self.credentials = credentials; self.withCredentials = withCredentials; self.mode = mode
        self.redirect = redirect; self.body = body; self.uploadListener = uploadListener
    }

    /// The credentials mode the browser uses: XHR maps `withCredentials` (xhr#the-withcredentials-attribute).
    public var effectiveCredentials: CredentialsMode {
        api == .xhr ? (withCredentials ? .include : .sameOrigin) : credentials
    }
}

/// Per-browser state that outlives one request: the clock and the preflight cache.
public struct BrowserState: Sendable, Hashable {
    /// Seconds since the state was created.
    public var now: Double = 0
    public var preflightCache = PreflightCache()
    public var httpCache = HTTPCache()
    public var cookies = CookieJar()
    /// Wall-clock seconds (Unix time) at `now == 0`, for cookie expiry dates: 2026-11-30T00:00:00Z.
    public var epoch: Double = 1_795_996_800
    public var wallClock: Double { epoch + now }

    public init() {}
}
