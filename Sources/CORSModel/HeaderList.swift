/// One header line as received or scripted: the raw name and raw value are kept byte for byte
/// (a mock server replays them), the value is also kept normalised (fetch#concept-header-value-normalize).
public struct Header: Hashable, Sendable {
    public let name: String
    public let rawValue: String
    /// The value with leading/trailing HTTP whitespace (HT, SP, CR, LF) removed. VT and FF are kept.
    public let value: String
    /// `name` lower-cased once, so lookups do not lower-case on every comparison.
    public let lowercasedName: String

    public init(name: String, value: String) {
        self.name = name
        self.rawValue = value
        self.value = Header.normalize(value)
        self.lowercasedName = HeaderList.lower(name)
    }

    /// A header the model itself adds (`Referer`, say): name and value known to be clean, so no
    /// lower-casing or trimming on the hot path.
    init(modelName name: String, lowercasedName: String, value: String) {
        self.name = name
        self.rawValue = value
        self.value = value
        self.lowercasedName = lowercasedName
    }

    /// Parses a raw `Name: value` line. The name runs to the first colon; nil when there is no colon
    /// or the name is not an HTTP token.
    public init?(line: String) {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = String(line[..<colon])
        guard HTTPToken.isToken(name) else { return nil }
        var value = String(line[line.index(after: colon)...])
        // One optional space after the colon is the line's punctuation, not the value.
        if value.hasPrefix(" ") { value.removeFirst() }
        self.init(name: name, value: value)
    }

    public var line: String { "\(name): \(rawValue)" }

    static func normalize(_ v: String) -> String {
        let u = v.utf8
        guard let first = u.first, let last = u.last else { return v }
        if !isHTTPWhitespace(first) && !isHTTPWhitespace(last) { return v }
        var start = u.startIndex, end = u.endIndex
        while start < end, isHTTPWhitespace(u[start]) { start = u.index(after: start) }
        while end > start, isHTTPWhitespace(u[u.index(before: end)]) { end = u.index(before: end) }
        return String(v[start..<end])
    }

    static func isHTTPWhitespace(_ b: UInt8) -> Bool { b == 0x09 || b == 0x20 || b == 0x0A || b == 0x0D }
}

/// An ordered list of headers, duplicates and casing kept (fetch#concept-header-list).
public struct HeaderList: Hashable, Sendable, Sequence {
    public private(set) var headers: [Header]

    public init(_ headers: [Header] = []) { self.headers = headers }

    public func makeIterator() -> IndexingIterator<[Header]> { headers.makeIterator() }
    public var isEmpty: Bool { headers.isEmpty }
    public var count: Int { headers.count }

    public mutating func append(_ header: Header) { headers.append(header) }
    public mutating func append(name: String, value: String) { headers.append(Header(name: name, value: value)) }
    /// A header the model adds: `lowercasedName` given, the value known to be trimmed (no
    /// lower-casing of long names on the hot path: `access-control-request-method` is not a small string).
    mutating func append(modelName name: String, lowercasedName: String, value: String) {
        headers.append(Header(modelName: name, lowercasedName: lowercasedName, value: value))
    }

    /// Removes every header named `name` (case-insensitively).
    public mutating func remove(_ name: String) {
        let lower = HeaderList.lower(name)
        headers.removeAll { HeaderList.same($0.lowercasedName, lower) }
    }

    public func contains(_ name: String) -> Bool {
        let lower = HeaderList.lower(name)
        return headers.contains { HeaderList.same($0.lowercasedName, lower) }
    }

    /// How many lines carry this name (Gecko counts `Access-Control-Allow-Origin` lines).
    public func lineCount(_ name: String) -> Int {
        let lower = HeaderList.lower(name)
        var n = 0
        for h in headers where HeaderList.same(h.lowercasedName, lower) { n += 1 }
        return n
    }

    /// Name equality with the length compared first: most names looked for are absent, and Swift's
    /// `==` on two different short strings takes its slow path (seen in `perf` on the bench).
    @inline(__always)
    public static func same(_ a: String, _ b: String) -> Bool { a.utf8.count == b.utf8.count && a == b }

    /// Lower-cases only when needed: the model passes lower-case literals on its hot path.
    @inline(__always)
    static func lower(_ name: String) -> String {
        name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? name.lowercased() : name
    }

    /// fetch#concept-header-list-get: the values of every header with this name joined with ", ",
    /// or nil when none is present. Two ACAO lines therefore read as one value such as `*, *`.
    public func get(_ name: String) -> String? {
        let lower = HeaderList.lower(name)
        var result: String? = nil
        for h in headers where HeaderList.same(h.lowercasedName, lower) {
            if result == nil { result = h.value } else { result! += ", " + h.value }
        }
        return result
    }

    /// `get` and `lineCount` in one pass (the CORS check needs both for ACAO).
    public func getCounting(_ lowercasedName: String) -> (value: String?, lines: Int) {
        var result: String? = nil
        var n = 0
        for h in headers where HeaderList.same(h.lowercasedName, lowercasedName) {
            n += 1
            if result == nil { result = h.value } else { result! += ", " + h.value }
        }
        return (result, n)
    }

    /// The distinct lower-cased names present, in first-seen order.
    public var lowercasedNames: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for h in headers where seen.insert(h.lowercasedName).inserted { out.append(h.lowercasedName) }
        return out
    }
}

/// RFC 9110 tokens (fetch#concept-method, header names, list items of ACAM/ACAH/ACEH).
public enum HTTPToken {
    public static func isToken(_ s: String) -> Bool { isToken(Substring(s)) }

    public static func isToken(_ s: Substring) -> Bool {
        if s.isEmpty { return false }
        for b in s.utf8 where !isTokenByte(b) { return false }
        return true
    }

    @inline(__always)
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }
}

/// The result of extracting a `#token` list header (fetch#extract-header-list-values).
public enum HeaderListValues: Equatable, Sendable {
    case absent
    case values([String])
    /// `token` is the first item that is not a token; `value` is the joined header value.
    case failure(token: String, value: String)

    /// Parses the comma-separated token list of `name`: empty items and optional whitespace around
    /// commas are tolerated, anything that is not a token fails the whole list.
    public static func extract(_ name: String, from headers: HeaderList) -> HeaderListValues {
        guard let joined = headers.get(name) else { return .absent }
        // On UTF-8 bytes, without `split`: this runs for ACAM, ACAH and ACEH of most evaluations.
        var items: [String] = []
        let u = joined.utf8
        var start = u.startIndex
        while true {
            let end = u[start...].firstIndex(of: UInt8(ascii: ",")) ?? u.endIndex
            let item = Substring(u[start..<end]).trimmingSpacesAndTabs()
            if !item.isEmpty {
                guard HTTPToken.isToken(item) else { return .failure(token: String(item), value: joined) }
                items.append(String(item))
            }
            if end == u.endIndex { break }
            start = u.index(after: end)
        }
        return .values(items)
    }
}

extension Substring {
    /// Without SP and HT at either end; on bytes (Character iteration segments graphemes).
    func trimmingSpacesAndTabs() -> Substring {
        let u = utf8
        var a = u.startIndex, b = u.endIndex
        while a < b, u[a] == 0x20 || u[a] == 0x09 { a = u.index(after: a) }
        while a < b {
            let p = u.index(before: b)
            guard u[p] == 0x20 || u[p] == 0x09 else { break }
            b = p
        }
        return Substring(u[a..<b])
    }
}
