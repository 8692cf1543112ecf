/// `${Name}` in a scripted header value: replaced by the value of request header `Name` as the
/// browser sent it on that very request (case-insensitive name; nothing when absent). `$${` is a
/// literal `${`. This is how a case scripts a server that reflects `Origin` or
/// `Access-Control-Request-Headers`.
public enum HeaderTemplate {
    public enum Piece: Sendable, Hashable {
        case literal(String)
        case requestHeader(String)   // lower-cased name
    }

    /// Parses a value; on an unclosed `${` or an empty name returns the UTF-8 offset of the problem.
    public static func parse(_ value: String) -> Result<[Piece], TemplateError> {
        var pieces: [Piece] = []
        var literal = ""
        var i = value.startIndex
        while i < value.endIndex {
            let c = value[i]
            if c == "$" {
                let next = value.index(after: i)
                if value[next...].hasPrefix("${") {          // `$${` → literal `${`
                    literal += "${"
                    i = value.index(next, offsetBy: 2)
                    continue
                }
                if next < value.endIndex && value[next] == "{" {
                    guard let close = value[next...].firstIndex(of: "}") else {
                        return .failure(TemplateError(offset: value.utf8.distance(from: value.startIndex, to: i), message: "unclosed ${ in a header value: close it with } or write $${ for a literal ${"))
                    }
                    let name = value[value.index(after: next)..<close]
                    guard HTTPToken.isToken(name) else {
                        return .failure(TemplateError(offset: value.utf8.distance(from: value.startIndex, to: i), message: "${\(name)} does not name a request header"))
                    }
                    if !literal.isEmpty { pieces.append(.literal(literal)); literal = "" }
                    pieces.append(.requestHeader(name.lowercased()))
                    i = value.index(after: close)
                    continue
                }
            }
            literal.append(c)
            i = value.index(after: i)
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return .success(pieces)
    }

    public struct TemplateError: Error, Sendable, Hashable {
        public let offset: Int
        public let message: String
    }

    static func render(_ pieces: [Piece], request: HeaderList) -> String {
        var out = ""
        for p in pieces {
            switch p {
            case .literal(let s): out += s
            case .requestHeader(let n): out += request.get(n) ?? ""
            }
        }
        return out
    }
}

/// `when:` on a scripted response: which request it answers.
public struct ResponseCondition: Sendable, Hashable {
    public enum Test: Sendable, Hashable {
        /// The header's value (as sent) is one of these, byte for byte.
        case equals([String])
        case absent
        case present
    }
    public let header: String   // lower-cased
    public let test: Test

    public init(header: String, test: Test) { self.header = header.lowercased(); self.test = test }

    public func matches(_ headers: HeaderList) -> Bool {
        let v = headers.get(header)
        switch test {
        case .equals(let list): return v.map { list.contains($0) } ?? false
        case .absent: return v == nil
        case .present: return v != nil
        }
    }
}

/// One scripted response, whose header values may reflect the request.
public struct ScriptedResponse: Sendable, Hashable {
    public var status: Int
    public var headers: HeaderList
    public var body: String
    public var when: ResponseCondition?
    /// Parsed templates for headers whose raw value contains `$`; nil entries are plain values.
    let templates: [[HeaderTemplate.Piece]?]
    let isTemplated: Bool

    public init(status: Int, headers: HeaderList = HeaderList(), body: String = "", when: ResponseCondition? = nil) {
        self.status = status; self.headers = headers; self.body = body; self.when = when
        var templates: [[HeaderTemplate.Piece]?] = []
        var any = false
        for h in headers {
            // Only values that actually use `${…}` or `$${` are templates; a lone `$` is plain text.
            if h.rawValue.utf8.contains(UInt8(ascii: "$")), case let .success(pieces) = HeaderTemplate.parse(h.rawValue),
               pieces != [.literal(h.rawValue)] {
                templates.append(pieces); any = true
            } else {
                templates.append(nil)
            }
        }
        self.templates = templates
        self.isTemplated = any
    }

    public init(_ response: HTTPResponse) { self.init(status: response.status, headers: response.headers, body: response.body) }

    /// The response as the server sends it to this request: templates filled in.
    public func render(for request: HeaderList) -> HTTPResponse {
        guard isTemplated else { return HTTPResponse(status: status, headers: headers, body: body) }
        var out = HeaderList()
        for (h, t) in zip(headers.headers, templates) {
            if let t { out.append(name: h.name, value: HeaderTemplate.render(t, request: request)) } else { out.append(h) }
        }
        return HTTPResponse(status: status, headers: out, body: body)
    }
}

/// A case's scripted server: responses keyed `METHOD URL`. A list of responses is served in turn
/// (the last one repeats); a list whose responses carry `when:` is a set of alternatives (the first
/// that matches the request answers; one without `when:` matches any request).
public struct ScriptedServer: Network, Sendable {
    /// Method and fragment-less URL: hashed as two strings, so no key string is built per request.
    struct Key: Hashable, Sendable {
        let method: String
        let url: String
    }

    private let script: [Key: [ScriptedResponse]]
    private var served: [Key: Int] = [:]

    /// Responses keyed `METHOD URL` (as `key(method:url:)` writes them).
    public init(_ responses: [String: [HTTPResponse]]) {
        self.init(scripted: responses.mapValues { $0.map(ScriptedResponse.init) })
    }

    public init(scripted responses: [String: [ScriptedResponse]]) {
        var script: [Key: [ScriptedResponse]] = [:]
        for (k, v) in responses {
            let parts = k.split(separator: " ", maxSplits: 1)
            script[Key(method: String(parts[0]), url: parts.count > 1 ? String(parts[1]) : "")] = v
        }
        self.script = script
    }

    /// The script as written (templates unfilled), keyed `METHOD URL`.
    public var responses: [String: [ScriptedResponse]] {
        Dictionary(uniqueKeysWithValues: script.map { ($0.key.method + " " + $0.key.url, $0.value) })
    }

    public static func key(method: String, url: WebURL) -> String { method + " " + url.withoutFragment.serialized }

    /// Which scripted response answers `request` (advancing the turn counter of a sequence).
    public mutating func pick(method: String, url: WebURL, headers: HeaderList) -> ScriptedResponse? {
        let u = url.fragment == nil ? url.serialized : url.withoutFragment.serialized
        let key = Key(method: method, url: u)
        guard let list = script[key], let last = list.last else { return nil }
        if list.count == 1 && last.when == nil { return last }
        if list.contains(where: { $0.when != nil }) {
            return list.first { $0.when?.matches(headers) ?? true }
        }
        let n = served[key, default: 0]
        served[key] = n + 1
        return n < list.count ? list[n] : last
    }

    public mutating func send(_ request: HTTPRequest) -> Result<HTTPResponse, NetworkFailure> {
        guard let response = pick(method: request.method, url: request.url, headers: request.headers) else {
            return .failure(.unscripted(key: request.key))
        }
        return .success(response.render(for: request.headers))
    }
}
