/// The `Referer` header (referrer-policy#determine-requests-referrer) and the `Referrer-Policy`
/// header of a redirect (fetch#http-redirect-fetch, referrer-policy#parse-referrer-policy-from-header).
///
/// Cases name the page by its origin, so the page's document URL is taken to be `origin + "/"`:
/// the full referrer and the origin-only referrer are then the same string, and the policy decides
/// only whether it is sent. An opaque (`null`) page has an unknown document URL: not modelled.
public enum Referrer {
    /// Whether a request from `page` to `url` carries a `Referer` (then `page.serialized + "/"`) under `policy`.
    public static func sends(page: Origin, url: WebURL, policy: ReferrerPolicy) -> Bool {
        guard page.scheme != nil else { return false }
        // A downgrade: from an https page to a URL that is not potentially trustworthy.
        func downgrade() -> Bool {
            page.scheme == "https" && !isPotentiallyTrustworthy(url)
        }
        switch policy {
        case .noReferrer:
            return false
        case .origin, .unsafeURL, .originWhenCrossOrigin:
            return true
        case .strictOrigin, .strictOriginWhenCrossOrigin, .noReferrerWhenDowngrade:
            // strict-origin-when-cross-origin sends the full URL same-origin, the origin cross-origin,
            // nothing on a downgrade; with a document URL of `origin/` all three behave alike.
            return !downgrade()
        case .sameOrigin:
            return url.origin == page
        }
    }

    /// secure-contexts#is-url-trustworthy, for http(s): https, or a loopback host.
    static func isPotentiallyTrustworthy(_ url: WebURL) -> Bool {
        if url.scheme == "https" || url.scheme == "wss" { return true }
        guard let host = url.host else { return false }
        return host == "localhost" || host.hasSuffix(".localhost") || host == "[::1]"
            || CookieHosts.matches(host, patterns: ["127.0.0.0/8"])
    }

    /// referrer-policy#parse-referrer-policy-from-header: the last recognised token of the
    /// comma-separated values; nil when there is none (the request keeps its policy).
    public static func parse(_ value: String?) -> ReferrerPolicy? {
        guard let value else { return nil }
        var policy: ReferrerPolicy?
        for token in value.split(separator: ",") {
            if let p = ReferrerPolicy(rawValue: token.trimmingSpacesAndTabs().lowercased()) { policy = p }
        }
        return policy
    }
}
