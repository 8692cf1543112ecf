/// Everything about one request that decides which cookies it may set and carry, besides the
/// cookie itself and the engine's policy.
public struct CookieContext: Sendable, Hashable {
    /// The origin of the top-level document (the page in the address bar). For a script request
    /// from the page itself this is also the request's initiator.
    public var topLevelOrigin: Origin
    /// The URL of this request (of this hop, after redirects).
    public var requestURL: WebURL
    /// The request method of this hop (Lax allows cross-site top-level navigations with a safe method).
    public var method: String
    /// True for a top-level navigation (then the destination becomes the top-level document);
    /// false for fetch() and XMLHttpRequest.
    public var isTopLevelNavigation: Bool
    /// Fetch's redirect-taint is `cross-site` (fetch#concept-request-tainted-origin, "determine the
    /// same-site mode"): an earlier hop of the redirect chain was cross-site with the top-level site.
    public var crossSiteRedirect: Bool
    /// Whether the request includes credentials (fetch#http-network-or-cache-fetch
    /// "includeCredentials": credentials mode `include`, or `same-origin` while the response
    /// tainting is `basic`). When false no cookie is sent and `Set-Cookie` is ignored (fetch-rules 74, 76).
    public var credentialsIncluded: Bool

    public init(topLevelOrigin: Origin, requestURL: WebURL, method: String = "GET", isTopLevelNavigation: Bool = false,
                crossSiteRedirect: Bool = false, credentialsIncluded: Bool = true) {
        self.topLevelOrigin = topLevelOrigin; self.requestURL = requestURL; self.method = method
        self.isTopLevelNavigation = isTopLevelNavigation; self.crossSiteRedirect = crossSiteRedirect
        self.credentialsIncluded = credentialsIncluded
    }

    /// Fetch's includeCredentials for a request of `mode` from `requestOrigin` to `url`
    /// (same-origin mode carries cookies only while tainting is basic, i.e. to the same origin).
    public static func includesCredentials(_ mode: CredentialsMode, requestOrigin: Origin, url: WebURL) -> Bool {
        switch mode {
        case .include: return true
        case .omit: return false
        case .sameOrigin: return requestOrigin == url.origin
        }
    }

    /// Schemeful same-site (html#same-site): equal scheme and equal registrable domain
    /// (`Origin.isSameSite`, PSL subset in `Site`). `http://myapp.com` and `https://api.myapp.com`
    /// are cross-site.
    public var isSameSite: Bool { topLevelOrigin.isSameSite(requestURL.origin) }

    /// Same-site ignoring the scheme (html#same-site-no-scheme): what Firefox release and Safari use.
    public var isSameSiteIgnoringScheme: Bool {
        switch (topLevelOrigin, requestURL.origin) {
        case let (.tuple(_, h1, _), .tuple(_, h2, _)):
            return Site.registrableDomain(of: h1) == Site.registrableDomain(of: h2)
        case let (a, b):
            return a == b
        }
    }

    public func isSameSite(schemeful: Bool) -> Bool { schemeful ? isSameSite : isSameSiteIgnoringScheme }

    /// RFC 9110 §9.2.1 safe methods (RFC 6265bis: Lax cookies ride cross-site top-level
    /// navigations only with a safe method).
    public var isSafeMethod: Bool {
        let m = method.uppercased()
        return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "TRACE"
    }

    /// The site of the top-level document, serialized schemefully (`https://myapp.com`): the key
    /// of partitioned cookies. For a top-level navigation the destination is the new top level.
    public var topLevelSite: String {
        CookieContext.schemefulSite(isTopLevelNavigation ? requestURL.origin : topLevelOrigin)
    }

    static func schemefulSite(_ origin: Origin) -> String {
        switch origin {
        case let .tuple(scheme, host, _): return scheme + "://" + Site.registrableDomain(of: host)
        case .opaque: return "null"
        }
    }
}

extension Site {
    /// Whether `host` is itself a public suffix in the model's PSL subset: a single label (`com`,
    /// `io`, `localhost`) or one of `multiLabelSuffixes` (`co.uk`, `github.io` …). IP addresses
    /// are not public suffixes.
    public static func isPublicSuffix(_ host: String) -> Bool {
        if CookieHosts.isIPAddress(host) { return false }
        if !host.contains(".") { return true }
        return multiLabelSuffixes.contains(host)
    }
}

/// Host predicates used by the cookie rules.
public enum CookieHosts {
    /// An IPv4 literal or a bracketed IPv6 literal (WebURL keeps the brackets).
    public static func isIPAddress(_ host: String) -> Bool {
        host.hasPrefix("[") || (!host.isEmpty && host.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") })
    }

    /// RFC 6265bis §5.1.3 domain-match: identical, or `domain` is a suffix of `host` preceded by a
    /// dot and `host` is a host name (not an IP address).
    public static func domainMatches(_ host: String, _ domain: String) -> Bool {
        if host == domain { return true }
        guard !isIPAddress(host), host.count > domain.count, host.hasSuffix(domain) else { return false }
        return host.dropLast(domain.count).last == "."
    }

    /// Whether `host` matches one of the patterns of `CookiePolicy.secureContextExemptHosts`:
    /// `localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]` (the loopback part of
    /// secure-contexts#is-origin-trustworthy).
    public static func matches(_ host: String, patterns: [String]) -> Bool {
        for p in patterns {
            if p == host { return true }
            if p.hasPrefix("*."), host.hasSuffix(p.dropFirst(1)) { return true }
            if p == "127.0.0.0/8", isIPAddress(host), !host.hasPrefix("["),
               host.split(separator: ".").count == 4, host.hasPrefix("127.") { return true }
        }
        return false
    }
}

/// RFC 6265bis §5.1.4 "Paths and Path-Match".
public enum CookiePaths {
    /// The default-path of a cookie set by `url`: the path up to, not including, its right-most
    /// `/`, or `/` when the path has at most one `/`.
    public static func defaultPath(of url: WebURL) -> String {
        let p = url.path
        guard p.hasPrefix("/"), let last = p.lastIndex(of: "/"), last != p.startIndex else { return "/" }
        return String(p[..<last])
    }

    /// Whether `requestPath` path-matches `cookiePath`.
    public static func matches(_ requestPath: String, cookiePath: String) -> Bool {
        if requestPath == cookiePath { return true }
        guard requestPath.hasPrefix(cookiePath) else { return false }
        if cookiePath.hasSuffix("/") { return true }
        return requestPath.dropFirst(cookiePath.count).first == "/"
    }
}
