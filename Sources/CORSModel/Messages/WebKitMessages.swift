/// Safari: WebCore/loader/CrossOriginAccessControl.cpp (descriptions), WebKit/NetworkProcess/
/// NetworkLoadChecker.cpp (redirects), WebCore/loader/ThreadableLoader.cpp (the summary line),
/// WebConsoleAgent::didFailLoading (the `Failed to load resource` line).
public enum WebKitMessages {
    public static func lines(for f: Failure, api: API, requestOrigin: String) -> [String]? {
        if Messages.isScriptException(f.reason) { return [] }
        let apiName = api == .fetch ? "Fetch API" : "XMLHttpRequest"
        if f.reason == .disallowedByMode {
            if f.stage == .redirect {
                // Observed (s62): a same-origin request redirected away; the description ends in a newline.
                let d = "Unsafe attempt to load URL \(f.url.serialized) from origin \(requestOrigin). Domains, protocols and ports must match.\n"
                return [d, "\(apiName) cannot load \(f.url.serialized) due to access control checks.", "Failed to load resource: \(d)"]
            }
            // Observed in WebKitGTK 2.50 (docs/engine-observations.md s25): the summary line alone.
            return ["\(apiName) cannot load \(f.url.serialized)."]
        }
        if f.reason == .noCORSRedirectMode {
            // Observed (s66): no network line.
            return ["No-Cors mode requires follow redirect mode", "Not allowed to request resource",
                    "\(apiName) cannot load \(f.url.serialized) due to access control checks."]
        }
        if f.reason == .networkFailure {
            // Observed (WebKitGTK 2.50, s41): only the network line.
            return ["Failed to load resource: \(f.detail ?? "Could not connect to the server.")"]
        }
        if f.reason == .redirectLocationInvalid && f.detail == "empty-location" { return [] }   // observed s102
        guard let description = describe(f, requestOrigin: requestOrigin) else { return [] }
        // The summary names the URL whose response failed or was refused (observed s23, s30, s100).
        let summary = "\(apiName) cannot load \(f.url.serialized) due to access control checks."
        return [description, summary, "Failed to load resource: \(description)"]
    }

    static func accessCheckDescription(_ f: Failure, requestOrigin: String) -> String? {
        let status = f.status.map(String.init) ?? "0"
        switch f.reason {
        case .missingAllowOrigin, .invalidAllowOrigin, .allowOriginMismatch:
            return "Origin \(requestOrigin) is not allowed by Access-Control-Allow-Origin. Status code: \(status)"
        case .multipleAllowOrigin:
            // Only a comma reaches WebKit's "more than one origin" branch; a space-separated list is a mismatch.
            if (f.allowOrigin ?? "").contains(",") { return "Access-Control-Allow-Origin cannot contain more than one origin." }
            return "Origin \(requestOrigin) is not allowed by Access-Control-Allow-Origin. Status code: \(status)"
        case .wildcardOriginWithCredentials:
            return "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."
        case .invalidAllowCredentials:
            return "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\"."
        default:
            return nil
        }
    }

    /// The description line (every failure here is typed access-control, so the summary says so).
    static func describe(_ f: Failure, requestOrigin: String) -> String? {
        let status = f.status.map(String.init) ?? "0"
        let location = f.location ?? ""
        if let d = accessCheckDescription(f, requestOrigin: requestOrigin) {
            return f.stage == .redirect ? "Cross-origin redirection to \(location) denied by Cross-Origin Resource Sharing policy: \(d)" : d
        }
        switch f.reason {
        case .preflightStatus, .preflightRedirect:
            return "Preflight response is not successful. Status code: \(status)"
        case .invalidAllowMethods:
            return "Header Access-Control-Allow-Methods has an invalid value: \(f.listValue ?? "")"
        case .invalidAllowHeaders:
            return "Header Access-Control-Allow-Headers has an invalid value: \(f.listValue ?? "")"
        case .methodNotAllowed:
            return "Method \(f.method ?? "") is not allowed by Access-Control-Allow-Methods."
        case .headerNotAllowed:
            return "Request header field \(f.headerNameAsSent ?? f.headerName ?? "") is not allowed by Access-Control-Allow-Headers."
        case .redirectCredentials:
            // The first URL is the target with its userinfo removed (observed, s27).
            let bare = WebURL.parse(location).map { WebURL(scheme: $0.scheme, username: "", password: "", host: $0.host, port: $0.port, path: $0.path, query: $0.query, fragment: $0.fragment).serialized } ?? location
            return "Cross-origin redirection to \(bare) denied by Cross-Origin Resource Sharing policy: redirection URL \(location) has credentials"
        case .redirectScheme, .redirectLocationInvalid:
            // Observed s101, s102c: an unparsable Location reads as a non-CORS scheme too.
            return "Cross-origin redirection to \(location) denied by Cross-Origin Resource Sharing policy: not allowed to follow a cross-origin CORS redirection with non CORS scheme"
        case .redirectModeError:
            return "Not allowed to follow a redirection while loading \(f.url.serialized)"
        case .tooManyRedirects:
            return "Load cannot follow more than 20 redirections"
        default:
            return nil
        }
    }
}
