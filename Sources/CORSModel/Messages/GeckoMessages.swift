/// Firefox: dom/locales/en-US/chrome/security/security.properties (en-US), raised from
/// netwerk/protocol/http/nsCORSListenerProxy.cpp. Quotes are U+2018/U+2019.
public enum GeckoMessages {
    static func blocked(_ url: WebURL, _ reason: String) -> String {
        "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \(url.serialized). (Reason: \(reason))."
    }

    static func didNotSucceed(_ url: WebURL) -> String {
        // CORSDidNotSucceed2: the code passes no status, so the formatter prints (null).
        "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \(url.serialized). (Reason: CORS request did not succeed). Status code: (null)."
    }

    /// CORSAllowHeaderFromPreflightDeprecation (a warning; the request goes on).
    public static func authorizationWildcardWarning(url: WebURL) -> String {
        "Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at \(url.serialized) soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`)."
    }

    public static func lines(for f: Failure) -> [String]? {
        if Messages.isScriptException(f.reason) { return [] }
        let url = f.url
        let status = f.status.map(String.init) ?? "(null)"
        var line: String
        switch f.reason {
        case .missingAllowOrigin:
            line = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \(url.serialized). (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: \(status)."
        case .multipleAllowOrigin where f.allowOriginLines > 1:
            line = blocked(url, "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed")
        case .multipleAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch:
            line = blocked(url, "CORS header ‘Access-Control-Allow-Origin’ does not match ‘\(f.allowOrigin ?? "")’")
        case .wildcardOriginWithCredentials:
            // The only key that wraps the URL in quotes.
            line = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘\(url.serialized)’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."
        case .invalidAllowCredentials:
            line = blocked(url, "expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’")
        case .preflightStatus:
            line = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \(url.serialized). (Reason: CORS preflight response did not succeed). Status code: \(status)."
        case .preflightRedirect:
            line = blocked(url, "CORS request external redirect not allowed")
        case .invalidAllowMethods:
            line = blocked(url, "invalid token ‘\(f.invalidToken ?? "")’ in CORS header ‘Access-Control-Allow-Methods’")
        case .invalidAllowHeaders:
            line = blocked(url, "invalid token ‘\(f.invalidToken ?? "")’ in CORS header ‘Access-Control-Allow-Headers’")
        case .methodNotAllowed:
            line = blocked(url, "Did not find method in CORS header ‘Access-Control-Allow-Methods’")
        case .headerNotAllowed:
            line = blocked(url, "header ‘\(f.headerName ?? "")’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response")
        case .disallowedByMode:
            // `Security Error: Content at {page URL} may not load data from {url}.` names the page's URL (s25, s62).
            return nil
        case .redirectScheme:
            // Observed s101: the generic line, then a warning for data: targets.
            if let loc = f.location, loc.lowercased().hasPrefix("data:") {
                return [didNotSucceed(url), "Redirecting to data: URI not allowed (Blocked loading of: “\(loc)”)"]
            }
            return [didNotSucceed(url)]
        case .networkFailure, .redirectCredentials, .tooManyRedirects, .redirectLocationInvalid:
            // Observed in Firefox 153 (docs/engine-observations.md s27, s30, s41): only the generic line.
            return [didNotSucceed(url)]
        default:
            // Redirect-limit, redirect-mode, same-origin-mode and userinfo failures have no CORS key
            // in security.properties; what Gecko prints for them is not modelled.
            return []
        }
        // Observed in Firefox 153: a failed preflight or a failed redirect response also fails the
        // channel, which adds the generic line; a redirected preflight also reports its status.
        if f.reason == .preflightRedirect {
            let status = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \(url.serialized). (Reason: CORS preflight response did not succeed). Status code: \(status)."
            return [line, status, didNotSucceed(url)]
        }
        if f.stage == .preflight || f.stage == .redirect { return [line, didNotSucceed(url)] }
        return [line]
    }
}
