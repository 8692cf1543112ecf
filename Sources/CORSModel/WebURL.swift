/// A parsed URL, enough of the WHATWG URL Standard for CORS: special schemes with authority,
/// userinfo, default-port elision, dot-segment removal and relative resolution (for `Location`).
/// Non-special schemes (`data:`, `mailto:`, `blob:` …) keep an opaque path and an opaque origin.
public struct WebURL: Hashable, Sendable, CustomStringConvertible {
    public let scheme: String
    public let username: String
    public let password: String
    public let host: String?
    public let port: Int?          // nil when absent or the scheme's default (url.spec.whatwg.org#concept-url-port)
    public let path: String
    public let query: String?
    public let fragment: String?
    public let serialized: String

    public var description: String { serialized }
    public var includesCredentials: Bool { !username.isEmpty || !password.isEmpty }
    public var isHTTPFamily: Bool { scheme == "http" || scheme == "https" }

    /// url.spec.whatwg.org#concept-url-origin
    public var origin: Origin {
        if let host, WebURL.defaultPorts[scheme] != nil, scheme != "file" {
            return .tuple(scheme: scheme, host: host, port: port)
        }
        return .opaque(serialized)
    }

    static let defaultPorts: [String: Int?] = ["http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21, "file": nil]
    static var specialSchemes: Set<String> { ["http", "https", "ws", "wss", "ftp", "file"] }

    init(scheme: String, username: String, password: String, host: String?, port: Int?, path: String, query: String?, fragment: String?) {
        self.scheme = scheme; self.username = username; self.password = password
        self.host = host; self.port = port; self.path = path; self.query = query; self.fragment = fragment
        var s = scheme + ":"
        if let host {
            s += "//"
            if !username.isEmpty || !password.isEmpty {
                s += username
                if !password.isEmpty { s += ":" + password }
                s += "@"
            }
            s += host
            if let port { s += ":" + String(port) }
        }
        s += path
        if let query { s += "?" + query }
        if let fragment { s += "#" + fragment }
        serialized = s
    }

    /// Returns the URL without its fragment (the preflight cache and scripted servers key on it).
    public var withoutFragment: WebURL {
        fragment == nil ? self : WebURL(scheme: scheme, username: username, password: password, host: host, port: port, path: path, query: query, fragment: nil)
    }

    /// Parses `input`, resolving it against `base` when it is relative. Returns nil on failure.
    public static func parse(_ input: String, base: WebURL? = nil) -> WebURL? {
        // Strip leading/trailing C0 controls and spaces, and every tab or newline (url.spec.whatwg.org#concept-basic-url-parser).
        let text: String
        let bytes = input.utf8
        if let f = bytes.first, let l = bytes.last, f > 0x20, l > 0x20, !bytes.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            text = input   // the common case: nothing to strip
        } else {
            var scalars = Array(input.unicodeScalars)
            while let f = scalars.first, f.value <= 0x20 { scalars.removeFirst() }
            while let l = scalars.last, l.value <= 0x20 { scalars.removeLast() }
            scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
            text = String(String.UnicodeScalarView(scalars))
        }

        if let colon = schemeEnd(text) {
            let scheme = text[..<colon].lowercased()
            let rest = String(text[text.index(after: colon)...])
            if specialSchemes.contains(scheme) {
                if let base, base.scheme == scheme, !rest.hasPrefix("/"), !rest.hasPrefix("\\") {
                    return resolveRelative(rest, base: base)   // "http:foo" relative to an http base
                }
                return parseSpecialAuthority(scheme: scheme, rest)
            }
            return parseOpaque(scheme: scheme, rest)
        }
        guard let base else { return nil }
        return resolveRelative(text, base: base)
    }

    /// Whether `text` would parse as an absolute URL, without building one: special schemes need a
    /// non-empty host with allowed code points and a valid port. (Chromium classifies ACAO values this way.)
    public static func isValidAbsolute(_ text: String) -> Bool {
        // The URL parser first strips leading/trailing C0 controls and spaces, and drops tab/CR/LF.
        var b = Array(text.utf8)
        while let f = b.first, f <= 0x20 { b.removeFirst() }
        while let l = b.last, l <= 0x20 { b.removeLast() }
        b.removeAll { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = b.first, (first | 0x20) >= 0x61, (first | 0x20) <= 0x7A else { return false }
        var i = 1
        while i < b.count, b[i] != UInt8(ascii: ":") {
            let c = b[i]
            let ok = ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2D || c == 0x2E
            if !ok { return false }
            i += 1
        }
        guard i < b.count else { return false }
        let scheme = String(decoding: b[0..<i], as: UTF8.self).lowercased()
        guard specialSchemes.contains(scheme), scheme != "file" else { return true }
        i += 1
        while i < b.count, b[i] == 0x2F || b[i] == 0x5C { i += 1 }
        var end = i
        while end < b.count, b[end] != 0x2F, b[end] != 0x5C, b[end] != 0x3F, b[end] != 0x23 { end += 1 }
        var hostStart = i
        if let at = b[i..<end].lastIndex(of: 0x40) { hostStart = at + 1 }
        var hostEnd = end
        if hostStart < end, b[hostStart] == 0x5B {
            guard let close = b[hostStart..<end].firstIndex(of: 0x5D) else { return false }
            hostEnd = close + 1
            if hostEnd < end && b[hostEnd] != 0x3A { return false }
        } else if let colon = b[hostStart..<end].lastIndex(of: 0x3A) {
            hostEnd = colon
        }
        guard hostEnd > hostStart else { return false }
        for c in b[hostStart..<hostEnd] where c < 0x21 || c == 0x7F || c == 0x3C || c == 0x3E || c == 0x5E || c == 0x7C || c == 0x25 || c == 0x22 { return false }
        if hostEnd < end {
            let port = b[(hostEnd + 1)..<end]
            if !port.isEmpty {
                guard port.count <= 5, port.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), Int(String(decoding: port, as: UTF8.self))! <= 65535 else { return false }
            }
        }
        return true
    }

    private static func schemeEnd(_ s: String) -> String.Index? {
        guard let first = s.unicodeScalars.first, isASCIIAlpha(first) else { return nil }
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == ":" { return i }
            guard let a = c.asciiValue, isASCIIAlpha(Unicode.Scalar(a)) || (a >= 0x30 && a <= 0x39) || c == "+" || c == "-" || c == "." else { return nil }
            i = s.index(after: i)
        }
        return nil
    }

    private static func isASCIIAlpha(_ u: Unicode.Scalar) -> Bool { (u.value >= 0x41 && u.value <= 0x5A) || (u.value >= 0x61 && u.value <= 0x7A) }

    private static func parseOpaque(scheme: String, _ rest: String) -> WebURL? {
        var body = rest
        var fragment: String? = nil
        var query: String? = nil
        if let h = body.firstIndex(of: "#") { fragment = String(body[body.index(after: h)...]); body = String(body[..<h]) }
        if let q = body.firstIndex(of: "?") { query = String(body[body.index(after: q)...]); body = String(body[..<q]) }
        if body.hasPrefix("//") {
            // A non-special URL with an authority (e.g. "foo://host/x"): keep the host, opaque origin.
            let after = body.dropFirst(2)
            let end = after.firstIndex(of: "/") ?? after.endIndex
            let host = String(after[..<end]).lowercased()
            return WebURL(scheme: scheme, username: "", password: "", host: host, port: nil, path: String(after[end...]), query: query, fragment: fragment)
        }
        return WebURL(scheme: scheme, username: "", password: "", host: nil, port: nil, path: percentEncode(body, keepSlash: true), query: query, fragment: fragment)
    }

    private static func parseSpecialAuthority(scheme: String, _ rest: String) -> WebURL? {
        var s = Substring(rest)
        while let f = s.first, f == "/" || f == "\\" { s = s.dropFirst() }
        let authEnd = s.firstIndex(where: { $0 == "/" || $0 == "\\" || $0 == "?" || $0 == "#" }) ?? s.endIndex
        var authority = s[..<authEnd]
        let remainder = s[authEnd...]
        var username = "", password = ""
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let c = userinfo.firstIndex(of: ":") {
                username = percentEncode(String(userinfo[..<c]), keepSlash: false)
                password = percentEncode(String(userinfo[userinfo.index(after: c)...]), keepSlash: false)
            } else {
                username = percentEncode(String(userinfo), keepSlash: false)
            }
        }
        var hostPart = authority
        var portText: Substring? = nil
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { return nil }
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
            hostPart = hostPart[...close]
        } else if let c = hostPart.lastIndex(of: ":") {
            portText = hostPart[hostPart.index(after: c)...]
            hostPart = hostPart[..<c]
        }
        let host: String
        if hostPart.utf8.contains(where: { $0 >= 0x80 }) {
            host = IDNA.toASCII(String(hostPart))   // url.spec.whatwg.org#concept-domain-to-ascii
        } else {
            host = hostPart.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? hostPart.lowercased() : String(hostPart)
        }
        if host.isEmpty && scheme != "file" { return nil }
        // Forbidden host code points (url.spec.whatwg.org#forbidden-host-code-point).
        if !host.hasPrefix("[") && host.unicodeScalars.contains(where: { " <>^|%\"".unicodeScalars.contains($0) || $0.value < 0x20 || $0.value == 0x7F }) { return nil }
        var port: Int? = nil
        if let portText, !portText.isEmpty {
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let p = Int(portText), p <= 65535 else { return nil }
            port = (defaultPorts[scheme] ?? nil) == p ? nil : p
        }
        let (path, query, fragment) = splitPathQueryFragment(String(remainder))
        return WebURL(scheme: scheme, username: username, password: password, host: host, port: port,
                      path: normalizePath(path.isEmpty ? "/" : path), query: query, fragment: fragment)
    }

    private static func splitPathQueryFragment(_ s: String) -> (String, String?, String?) {
        var body = s
        var fragment: String? = nil
        var query: String? = nil
        if let h = body.firstIndex(of: "#") { fragment = String(body[body.index(after: h)...]); body = String(body[..<h]) }
        if let q = body.firstIndex(of: "?") { query = percentEncode(String(body[body.index(after: q)...]), keepSlash: true); body = String(body[..<q]) }
        if !body.utf8.contains(UInt8(ascii: "\\")) { return (body, query, fragment) }
        return (String(body.map { $0 == "\\" ? "/" : $0 }), query, fragment)
    }

    private static func resolveRelative(_ input: String, base: WebURL) -> WebURL? {
        guard base.host != nil else { return nil }   // cannot resolve against an opaque-path URL
        if input.hasPrefix("//") || input.hasPrefix("\\\\") { return parseSpecialAuthority(scheme: base.scheme, input) }
        if input.isEmpty {
            return WebURL(scheme: base.scheme, username: base.username, password: base.password, host: base.host, port: base.port, path: base.path, query: base.query, fragment: nil)
        }
        if input.hasPrefix("#") {
            return WebURL(scheme: base.scheme, username: base.username, password: base.password, host: base.host, port: base.port, path: base.path, query: base.query, fragment: String(input.dropFirst()))
        }
        if input.hasPrefix("?") {
            let (_, q, f) = splitPathQueryFragment(input)
            return WebURL(scheme: base.scheme, username: base.username, password: base.password, host: base.host, port: base.port, path: base.path, query: q, fragment: f)
        }
        let (p, q, f) = splitPathQueryFragment(input)
        let path: String
        if p.hasPrefix("/") { path = p } else {
            let dir = base.path.lastIndex(of: "/").map { String(base.path[...$0]) } ?? "/"
            path = dir + p
        }
        return WebURL(scheme: base.scheme, username: base.username, password: base.password, host: base.host, port: base.port, path: normalizePath(path), query: q, fragment: f)
    }

    /// Removes `.` and `..` segments and percent-encodes what the path percent-encode set requires.
    private static func normalizePath(_ path: String) -> String {
        if !path.contains(".") && path.allSatisfy({ $0.isASCII && $0 != " " && $0 != "\"" && $0 != "<" && $0 != ">" && $0 != "`" && $0 != "{" && $0 != "}" }) {
            return path
        }
        var out: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (i, seg) in segments.enumerated() {
            let isLast = i == segments.count - 1
            let lower = seg.lowercased()
            if lower == ".." || lower == ".%2e" || lower == "%2e." || lower == "%2e%2e" {
                if !out.isEmpty { out.removeLast() }
                if isLast { out.append("") }
            } else if lower == "." || lower == "%2e" {
                if isLast { out.append("") }
            } else {
                out.append(seg)
            }
        }
        return percentEncode("/" + out.joined(separator: "/"), keepSlash: true)
    }

    @inline(__always)
    private static func needsEncoding(_ byte: UInt8, keepSlash: Bool) -> Bool {
        byte < 0x21 || byte > 0x7E || byte == 0x22 || byte == 0x3C || byte == 0x3E || byte == 0x60 || byte == 0x7B || byte == 0x7D || (!keepSlash && (byte == 0x2F || byte == 0x40))
    }

    private static func percentEncode(_ s: String, keepSlash: Bool) -> String {
        if !s.utf8.contains(where: { needsEncoding($0, keepSlash: keepSlash) }) { return s }
        var out = ""
        for byte in s.utf8 {
            if needsEncoding(byte, keepSlash: keepSlash) {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to n: Int, with c: Character = "0") -> String {
        count >= n ? self : String(repeating: c, count: n - count) + self
    }
}
