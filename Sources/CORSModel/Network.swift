/// A request as the browser puts it on the wire (the CORS-relevant headers: author headers after
/// the guards, `Origin`, `Access-Control-Request-*`, `Accept` on preflights, the body's `Content-Type`).
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: WebURL
    public var headers: HeaderList
    public var body: String?
    public var isPreflight: Bool

    public init(method: String, url: WebURL, headers: HeaderList, body: String? = nil, isPreflight: Bool = false) {
        self.method = method; self.url = url; self.headers = headers; self.body = body; self.isPreflight = isPreflight
    }

    /// `METHOD URL`, the key scripted servers use.
    public var key: String { method + " " + url.withoutFragment.serialized }
}

public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: HeaderList
    public var body: String

    public init(status: Int, headers: HeaderList = HeaderList(), body: String = "") {
        self.status = status; self.headers = headers; self.body = body
    }

    /// fetch#ok-status
    public var isOK: Bool { (200...299).contains(status) }
    /// fetch#redirect-status
    public var isRedirect: Bool { [301, 302, 303, 307, 308].contains(status) }
}

public enum NetworkFailure: Error, Sendable, Hashable {
    /// The case does not script this request: a problem with the case, not a browser outcome.
    case unscripted(key: String)
    /// A live server could not be reached or did not answer HTTP (probe).
    case connection(String)
}

/// Where responses come from. The model asks; `ScriptedServer` answers from a case, a live client
/// answers from a real server. One evaluation path for `run`, `explain` and `probe`.
public protocol Network {
    mutating func send(_ request: HTTPRequest) -> Result<HTTPResponse, NetworkFailure>
}

