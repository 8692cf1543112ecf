/// An origin: a (scheme, host, port) tuple or an opaque origin (html#concept-origin).
public enum Origin: Hashable, Sendable, CustomStringConvertible {
    case tuple(scheme: String, host: String, port: Int?)
    /// An opaque origin; the payload only distinguishes one opaque origin from another.
    case opaque(String)

    /// The ASCII serialization: `scheme://host[:port]`, or `null` when opaque
    /// (html#ascii-serialisation-of-an-origin).
    public var serialized: String {
        switch self {
        case let .tuple(scheme, host, port):
            // Concatenation, not interpolation: this runs once per evaluation.
            var s = scheme
            s += "://"
            s += host
            if let port { s += ":"; s += String(port) }
            return s
        case .opaque:
            return "null"
        }
    }

    public var description: String { serialized }
    public var isOpaque: Bool { if case .opaque = self { return true } else { return false } }
    public var scheme: String? { if case let .tuple(s, _, _) = self { return s } else { return nil } }
    public var host: String? { if case let .tuple(_, h, _) = self { return h } else { return nil } }

    /// Parses a page origin as a case states it: a serialized origin or a URL whose origin is taken,
    /// or the literal `null` for an opaque origin (sandboxed frames, `data:` and `file:` documents).
    public static func parse(_ text: String) -> Origin? {
        if text == "null" { return .opaque("page") }
        guard let url = WebURL.parse(text), url.host != nil else { return nil }
        let origin = url.origin
        return origin.isOpaque ? nil : origin
    }

    /// The site as a cache partition key: scheme and registrable domain (`null` for an opaque origin).
    public var siteKey: String {
        if case let .tuple(scheme, host, _) = self { return scheme + "://" + Site.registrableDomain(of: host) }
        return "null"
    }

    /// html#same-origin
    public func isSameOrigin(_ other: Origin) -> Bool { self == other }

    /// Schemeful same-site (html#same-site): equal scheme and equal registrable domain.
    public func isSameSite(_ other: Origin) -> Bool {
        switch (self, other) {
        case let (.tuple(s1, h1, _), .tuple(s2, h2, _)):
            return s1 == s2 && Site.registrableDomain(of: h1) == Site.registrableDomain(of: h2)
        default:
            return self == other
        }
    }
}

/// Sites: registrable domains computed against a documented subset of the Public Suffix List.
public enum Site {
    /// Multi-label public suffixes the model knows (a subset of publicsuffix.org's list, chosen for
    /// the hosts web developers deploy to). Every single last label (com, io, uk, localhost …) is a suffix.
    public static let multiLabelSuffixes: Set<String> = [
        "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.jp", "ne.jp", "or.jp",
        "co.nz", "com.br", "com.cn", "co.in", "co.kr", "com.mx", "com.tr",
        "github.io", "gitlab.io", "herokuapp.com", "vercel.app", "netlify.app", "pages.dev", "workers.dev",
        "appspot.com", "cloudfront.net", "azurewebsites.net", "firebaseapp.com", "web.app", "onrender.com",
        "fly.dev", "ngrok.io", "ngrok-free.app", "s3.amazonaws.com", "blogspot.com",
    ]

    /// The registrable domain (eTLD+1) of a host; an IP address or a bare public suffix is its own site.
    public static func registrableDomain(of host: String) -> String {
        if host.hasPrefix("[") || host.allSatisfy({ $0.isNumber || $0 == "." }) { return host }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return host }
        var suffixLength = 1
        // Longest known suffix wins (publicsuffix.org algorithm, restricted to our subset).
        for n in stride(from: min(3, labels.count), through: 2, by: -1) {
            if multiLabelSuffixes.contains(labels.suffix(n).joined(separator: ".")) { suffixLength = n; break }
        }
        guard labels.count > suffixLength else { return host }
        return labels.suffix(suffixLength + 1).joined(separator: ".")
    }
}
