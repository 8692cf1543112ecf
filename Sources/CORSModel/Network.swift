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
    /// The reason phrase the mock server sends, and the one engines print after the status
    /// (`Failed to load resource: the server responded with a status of 404 (Not Found)`).
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 206: return "Partial Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 303: return "See Other"
        case 304: return "Not Modified"
        case 307: return "Temporary Redirect"
        case 308: return "Permanent Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 413: return "Content Too Large"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status"
        }
    }

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

