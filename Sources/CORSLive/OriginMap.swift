import CORSCorpus
import CORSModel

/// How `cors-harness serve` puts the origins a case names onto loopback listeners.
///
/// Every distinct origin of the served cases (page origins, request URLs, scripted URLs, redirect
/// targets) gets its own port on one loopback host, so for a real browser two origins stay two
/// origins. Its local origin is `http://HOST:PORT`. Header values that name a mapped origin are
/// rewritten to the local origin (ACAO values, `Location` targets, `${Origin}` reflections), so the
/// relationships of the case (allowed / refused, same / cross-origin, redirect chains) hold.
///
/// Limits (docs/LIVE.md): https origins are served as plain http; the registrable domain, the site
/// and cookies are not preserved (every local origin shares the host, so cookies set by one are sent
/// to all); a value that names an origin in another spelling (other case, trailing dot, `:443`) is
/// left as it is, which keeps a mismatch a mismatch.
public struct OriginMap: Sendable, Hashable {
    public struct Entry: Sendable, Hashable, Codable {
        /// The origin as the cases write it, serialized (`null` for opaque pages).
        public let origin: String
        public let port: Int
        /// `http://HOST:PORT`
        public let local: String
        /// How many served cases have a page of this origin (a runner page is served there).
        public let pages: Int
    }

    public let host: String
    public let entries: [Entry]
    private let byOrigin: [String: Int]
    private let byPort: [Int: Int]
    private let forward: TextRewriter
    private let backward: TextRewriter
    /// `backward` for prose (console lines): after a local origin's port, only a digit continues it.
    private let backwardInText: TextRewriter

    public init(host: String, origins: [(origin: String, pages: Int)], ports: [Int]) {
        precondition(origins.count == ports.count)
        self.host = host
        var entries: [Entry] = []
        for (o, p) in zip(origins, ports) {
            entries.append(Entry(origin: o.origin, port: p, local: "http://\(OriginMap.hostInURL(host)):\(p)", pages: o.pages))
        }
        self.entries = entries
        byOrigin = Dictionary(entries.enumerated().map { ($1.origin, $0) }, uniquingKeysWith: { a, _ in a })
        byPort = Dictionary(entries.enumerated().map { ($1.port, $0) }, uniquingKeysWith: { a, _ in a })
        let tuples = entries.filter { $0.origin != "null" }
        forward = TextRewriter(tuples.map { ($0.origin, $0.local) })
        backward = TextRewriter(tuples.map { ($0.local, $0.origin) })
        backwardInText = TextRewriter(tuples.map { ($0.local, $0.origin) }, portEndsOrigin: true)
    }

    static func hostInURL(_ host: String) -> String { host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host }

    // MARK: Which origins

    /// The origins of `cases` in first-seen order, with how many cases use each as their page.
    public static func origins(of cases: [Case]) -> [(origin: String, pages: Int)] {
        var order: [String] = []
        var pages: [String: Int] = [:]
        func add(_ o: String, page: Bool = false) {
            if pages[o] == nil { order.append(o); pages[o] = 0 }
            if page { pages[o, default: 0] += 1 }
        }
        func add(url: WebURL?) {
            guard let url, url.isHTTPFamily, case .tuple = url.origin else { return }
            add(url.origin.serialized)
        }
        for c in cases {
            var seenPage = Set<String>()
            for s in c.steps {
                let p = s.page.serialized
                add(p, page: seenPage.insert(p).inserted)
                add(url: s.request.url)
            }
            for (key, responses) in c.serverScript {
                let parts = key.split(separator: " ", maxSplits: 1)
                let url = parts.count == 2 ? WebURL.parse(String(parts[1])) : nil
                add(url: url)
                for r in responses {
                    for h in r.headers where h.lowercasedName == "location" {
                        add(url: WebURL.parse(h.value, base: url))
                    }
                }
            }
        }
        return order.map { ($0, pages[$0] ?? 0) }
    }

    /// The port each origin asks for: `pinned` wins; an origin that already is `http://<host>:N` is
    /// served on N, unchanged; the others take the next free port from `basePort` (0: any free port).
    public static func plannedPorts(for origins: [String], host: String, pinned: [String: Int], basePort: Int) -> [Int] {
        var used = Set<Int>()
        var out = Array(repeating: -1, count: origins.count)
        for (i, o) in origins.enumerated() {
            if let p = pinned[o] { out[i] = p; used.insert(p); continue }
            if let u = WebURL.parse(o), u.scheme == "http", u.host == host || (u.host == "127.0.0.1" && host == "127.0.0.1"),
               let port = u.port, !used.contains(port) {
                out[i] = port; used.insert(port)
            }
        }
        var next = basePort
        for i in out.indices where out[i] == -1 {
            if basePort == 0 { out[i] = 0; continue }
            while used.contains(next) { next += 1 }
            out[i] = next; used.insert(next); next += 1
        }
        return out
    }

    // MARK: Lookups

    public func entry(forOrigin origin: String) -> Entry? { byOrigin[origin].map { entries[$0] } }
    public func entry(forPort port: Int) -> Entry? { byPort[port].map { entries[$0] } }
    public func localOrigin(_ origin: String) -> String? { entry(forOrigin: origin)?.local }

    /// The path prefix that selects case `id` and run token `run` on every listener.
    public static func prefix(case id: String, run: String) -> String { "/c/\(id)/\(run)" }

    /// A case URL as the browser must request it: local origin, case prefix, then the case's path.
    public func localURL(_ url: WebURL, prefix: String) -> String? {
        guard url.isHTTPFamily, let e = entry(forOrigin: url.origin.serialized) else { return nil }
        var s = "http://"
        if !url.username.isEmpty || !url.password.isEmpty {
            s += url.username + (url.password.isEmpty ? "" : ":" + url.password) + "@"
        }
        s += "\(OriginMap.hostInURL(host)):\(e.port)" + prefix + url.path
        if let q = url.query { s += "?" + q }
        if let f = url.fragment { s += "#" + f }
        return s
    }

    // MARK: Rewriting header values

    /// A scripted header value as the server sends it: every mapped origin named in it becomes its
    /// local origin; a `Location` target on a mapped origin becomes its local URL with the prefix.
    public func rewriteOutgoing(name lowercasedName: String, value: String, prefix: String, base: WebURL?) -> String {
        if lowercasedName == "location" { return rewriteLocation(value, prefix: prefix, base: base) }
        return forward.rewrite(value)
    }

    /// A request header value as the browser sent it, back in the case's terms (for `when:` and
    /// `${Origin}` templates): local origins become the origins they stand for.
    public func rewriteIncoming(_ value: String) -> String { backward.rewrite(value) }

    /// The case origins in a value, as local origins (the probe's view of a mapped request).
    public func toLocal(_ value: String) -> String { forward.rewrite(value) }

    func rewriteLocation(_ value: String, prefix: String, base: WebURL?) -> String {
        let lead = value.prefix { $0 == " " || $0 == "\t" }
        let rest = value.dropFirst(lead.count)
        if rest.hasPrefix("/") && !rest.hasPrefix("//") && !rest.hasPrefix("/\\") {
            return String(lead) + prefix + rest   // path-absolute: stays on the same listener
        }
        guard let target = WebURL.parse(String(rest)), target.isHTTPFamily, let local = localURL(target, prefix: prefix) else {
            return value   // relative path, other scheme, unmapped origin: as scripted
        }
        return String(lead) + local
    }

    /// A text an engine printed about a served case (a console line), back in the case's terms:
    /// local URLs with the case prefix become case URLs, then local origins become case origins.
    public func restoreText(_ text: String, prefix: String) -> String {
        var s = text
        for e in entries where e.origin != "null" {
            if s.contains(e.local + prefix) { s = s.replacingOccurrences(of: e.local + prefix, with: e.origin) }
            // A URL with userinfo (`http://user:pw@127.0.0.1:P/c/…`): keep the userinfo, restore the rest.
            let hostPart = String(e.local.dropFirst("http://".count))
            while let at = s.range(of: "@" + hostPart + prefix) {
                guard let scheme = s[..<at.lowerBound].range(of: "http://", options: .backwards),
                      !s[scheme.upperBound..<at.lowerBound].contains(where: { $0 == "/" || $0 == " " }),
                      let sep = e.origin.range(of: "://") else { break }
                let userinfo = s[scheme.upperBound..<at.lowerBound]
                s.replaceSubrange(scheme.lowerBound..<at.upperBound,
                                  with: e.origin[..<sep.upperBound] + userinfo + "@" + e.origin[sep.upperBound...])
            }
        }
        return backwardInText.rewrite(s)
    }

    /// The inverse of `rewriteOutgoing` for a response received from the mock server: local origins
    /// back to case origins, local `Location` URLs back to case URLs.
    public func restoreIncoming(name lowercasedName: String, value: String, prefix: String) -> String {
        if lowercasedName == "location" {
            let lead = value.prefix { $0 == " " || $0 == "\t" }
            let rest = String(value.dropFirst(lead.count))
            if rest.hasPrefix(prefix + "/") { return String(lead) + String(rest.dropFirst(prefix.count)) }
            if let u = WebURL.parse(rest), u.scheme == "http", let port = u.port, let e = entry(forPort: port),
               u.host == host || "[\(u.host ?? "")]" == OriginMap.hostInURL(host), u.path.hasPrefix(prefix + "/") {
                var s = e.origin.replacingOccurrences(of: "://", with: "://" + (u.username.isEmpty && u.password.isEmpty ? "" :
                    u.username + (u.password.isEmpty ? "" : ":" + u.password) + "@"))
                s += String(u.path.dropFirst(prefix.count))
                if let q = u.query { s += "?" + q }
                if let f = u.fragment { s += "#" + f }
                return String(lead) + s
            }
            return value
        }
        return backward.rewrite(value)
    }
}

/// Replaces whole origins in a text in one pass (longest first): an origin matches only where it is
/// not followed by a character that would continue its host or port (`https://a.example` is not
/// replaced inside `https://a.example.evil` or `https://a.example:8443`), so a mismatch stays a
/// mismatch and nothing is replaced twice. With `portEndsOrigin` (for prose), only a digit continues
/// an origin that ends in a port, so one at the end of a sentence (`… origin http://127.0.0.1:18001.`)
/// is replaced.
struct TextRewriter: Sendable, Hashable {
    let table: [(from: [UInt8], to: [UInt8], endsWithPort: Bool)]

    init(_ pairs: [(String, String)], portEndsOrigin: Bool = false) {
        table = pairs.filter { $0.0 != $0.1 && !$0.0.isEmpty }
            .map { pair -> (from: [UInt8], to: [UInt8], endsWithPort: Bool) in
                let from = Array(pair.0.utf8)
                let digits = from.reversed().prefix { $0 >= 0x30 && $0 <= 0x39 }.count
                let endsWithPort = portEndsOrigin && digits > 0 && digits < from.count && from[from.count - digits - 1] == UInt8(ascii: ":")
                return (from, Array(pair.1.utf8), endsWithPort)
            }
            .sorted { $0.from.count > $1.from.count }
    }

    static func == (a: TextRewriter, b: TextRewriter) -> Bool {
        a.table.count == b.table.count && zip(a.table, b.table).allSatisfy { $0.from == $1.from && $0.to == $1.to }
    }
    func hash(into h: inout Hasher) { for t in table { h.combine(t.from); h.combine(t.to) } }

    static func continuesHost(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"),
             UInt8(ascii: "_"), UInt8(ascii: "@"), UInt8(ascii: "%"):
            return true
        default: return false
        }
    }

    func rewrite(_ s: String) -> String {
        if table.isEmpty { return s }
        let bytes = Array(s.utf8)
        guard bytes.contains(UInt8(ascii: ":")) else { return s }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var i = 0
        var changed = false
        outer: while i < bytes.count {
            for (from, to, endsWithPort) in table where from.count <= bytes.count - i && bytes[i] == from[0] {
                if bytes[i..<(i + from.count)].elementsEqual(from) {
                    let end = i + from.count
                    if end < bytes.count {
                        let next = bytes[end]
                        if endsWithPort ? (next >= 0x30 && next <= 0x39) : TextRewriter.continuesHost(next) { continue }
                    }
                    out += to
                    i = end
                    changed = true
                    continue outer
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return changed ? String(decoding: out, as: UTF8.self) : s
    }
}
