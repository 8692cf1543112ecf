/// Console lines per engine family, verbatim (docs/MESSAGES.md lists which lines are modelled).
public enum Messages {
    /// - Parameters:
    ///   - pageOrigin: the page's serialized origin (Chromium names it even after a redirect tainted the request).
    ///   - requestOrigin: the request's serialized origin (`null` once tainted; WebKit names this one).
    public static func lines(for failure: Failure, profile: EngineProfile, api: API, pageOrigin: String,
                             firstURL: WebURL, requestOrigin: String) -> [String]? {
        switch profile.family {
        case .chromium: return ChromiumMessages.lines(for: failure, api: api, pageOrigin: pageOrigin, firstURL: firstURL)
        case .gecko: return GeckoMessages.lines(for: failure)
        case .webkit: return WebKitMessages.lines(for: failure, api: api, requestOrigin: requestOrigin)
        }
    }

    /// The line Chromium and WebKit print when a response with an error status (400 and up) is
    /// delivered, CORS, basic or opaque (a no-cors 403 too); Firefox prints none. Seen in Chromium 156 and WebKitGTK 2.50
    /// (docs/engine-observations.md; `cors-harness verify`).
    public static func errorStatusLine(status: Int, profile: EngineProfile) -> String? {
        guard status >= 400, profile.family != .gecko else { return nil }
        return "Failed to load resource: the server responded with a status of \(status) (\(HTTPResponse.reasonPhrase(status)))"
    }

    /// The line `XMLHttpRequest.setRequestHeader()` prints for a forbidden header name, which it
    /// ignores (seen by `cors-harness verify`: Chromium 156, Firefox 153, WebKitGTK 2.50).
    public static func refusedRequestHeaderLine(name: String, profile: EngineProfile) -> String {
        switch profile.family {
        case .chromium, .webkit: return "Refused to set unsafe header \"\(name)\""
        case .gecko: return "Attempt to set a forbidden header was denied: \(name)"
        }
    }

    /// Failures before anything is sent are exceptions thrown to script; no engine logs a console line.
    static func isScriptException(_ reason: Reason) -> Bool {
        switch reason {
        case .forbiddenMethod, .invalidMethod, .noCORSMethod, .bodyWithGetOrHead, .urlCredentials, .invalidURL, .onlyIfCachedMode,
             .streamBodyUnsupported: return true
        default: return false
        }
    }
}
