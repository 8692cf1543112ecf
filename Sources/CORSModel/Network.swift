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

/// A case's scripted server: responses keyed `METHOD URL`; with several responses for one key the
/// n-th request gets the n-th and the last one repeats.
public struct ScriptedServer: Network, Sendable {
    /// Method and fragment-less URL: hashed as two strings, so no key string is built per request.
    struct Key: Hashable, Sendable {
        let method: String
        let url: String
    }

    private let script: [Key: [HTTPResponse]]
    private var served: [Key: Int] = [:]

    /// Responses keyed `METHOD URL` (as `key(method:url:)` writes them).
    public init(_ responses: [String: [HTTPResponse]]) {
        var script: [Key: [HTTPResponse]] = [:]
        for (k, v) in responses {
            let parts = k.split(separator: " ", maxSplits: 1)
            script[Key(method: String(parts[0]), url: parts.count > 1 ? String(parts[1]) : "")] = v
        }
        self.script = script
    }

    public var responses: [String: [HTTPResponse]] {
        Dictionary(uniqueKeysWithValues: script.map { ($0.key.method + " " + $0.key.url, $0.value) })
    }

    public static func key(method: String, url: WebURL) -> String { method + " " + url.withoutFragment.serialized }

    public mutating func send(_ request: HTTPRequest) -> Result<HTTPResponse, NetworkFailure> {
        let url = request.url.fragment == nil ? request.url.serialized : request.url.withoutFragment.serialized
        let key = Key(method: request.method, url: url)
        guard let list = script[key], let last = list.last else { return .failure(.unscripted(key: request.key)) }
        if list.count == 1 { return .success(last) }
        let n = served[key, default: 0]
        served[key] = n + 1
        return .success(n < list.count ? list[n] : last)
    }
}
