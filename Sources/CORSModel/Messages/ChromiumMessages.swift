/// Chromium (Chrome, Edge): third_party/blink/renderer/platform/loader/cors/cors_error_string.cc (M145)
/// for the CORS line; FrameConsole::DidFailLoading for the `Failed to load resource` line.
public enum ChromiumMessages {
    static let preflightPrefix = "Response to preflight request doesn't pass access control check: "
    static let fetchSuffix = " Have the server send the header with a valid value."
    static let xhrSuffix = " The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute."
    static let failedToLoad = "Failed to load resource: net::ERR_FAILED"

    public static func lines(for f: Failure, api: API, pageOrigin: String, firstURL: WebURL) -> [String]? {
        if Messages.isScriptException(f.reason) { return [] }
        switch f.reason {
        case .tooManyRedirects: return ["Failed to load resource: net::ERR_TOO_MANY_REDIRECTS"]
        case .redirectLocationInvalid where f.detail == "multiple-locations":
            return ["Failed to load resource: net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION"]   // observed s69
        case .redirectScheme: return ["Failed to load resource: net::ERR_UNSAFE_REDIRECT"]       // observed s101
        case .redirectLocationInvalid: return ["Failed to load resource: net::ERR_INVALID_REDIRECT"]  // observed s102c
        case .redirectModeError: return [failedToLoad]
        case .noCORSRedirectMode:
            // Observed in Chromium 156 (s66): the renderer refuses before sending.
            return ["Fetch API cannot load \(f.url.serialized). Request mode is \"no-cors\" but the redirect mode is not \"follow\"."]
        case .disallowedByMode where f.stage == .redirect:
            // Chromium names the page's URL (`from frame with URL …`), which cases do not state (s62).
            return nil
        case .networkFailure: return ["Failed to load resource: \(f.detail ?? "net::ERR_FAILED")"]
        case .redirectStreamBody:
            // Not observable here: Chromium streams uploads over HTTP/2 or HTTP/3 only, the mock server speaks HTTP/1.1.
            return nil
        case .disallowedByMode where api == .fetch:
            // Observed in Chromium 156 (docs/engine-observations.md s25): the renderer refuses before any
            // CORS check, with this single line.
            return ["Fetch API cannot load \(f.url.serialized). Request mode is \"same-origin\" but the URL's origin is not same as the request origin \(pageOrigin)."]
        default: break
        }
        guard let reason = reasonText(f, api: api) else { return [failedToLoad] }
        var line = String()
        line.reserveCapacity(160 + reason.utf8.count + 2 * f.url.serialized.utf8.count)
        line += api == .fetch ? "Access to fetch at '" : "Access to XMLHttpRequest at '"
        line += f.url.serialized
        if f.url.serialized != firstURL.serialized { line += "' (redirected from '"; line += firstURL.serialized; line += "')" } else { line += "'" }
        line += " from origin '"
        line += pageOrigin
        line += "' has been blocked by CORS policy: "
        line += reason
        return [line, failedToLoad]
    }

    static func reasonText(_ f: Failure, api: API) -> String? {
        let pre = f.stage == .preflight ? preflightPrefix : ""
        let fetchSfx = api == .fetch ? fetchSuffix : ""
        let xhrSfx = api == .xhr ? xhrSuffix : ""
        switch f.reason {
        case .missingAllowOrigin:
            return pre + "No 'Access-Control-Allow-Origin' header is present on the requested resource."
        case .multipleAllowOrigin:
            return pre + "The 'Access-Control-Allow-Origin' header contains multiple values '\(hint(f.allowOrigin))', but only one is allowed." + fetchSfx
        case .invalidAllowOrigin:
            return pre + "The 'Access-Control-Allow-Origin' header contains the invalid value '\(hint(f.allowOrigin))'." + fetchSfx
        case .allowOriginMismatch:
            return pre + "The 'Access-Control-Allow-Origin' header has a value '\(hint(f.allowOrigin))' that is not equal to the supplied origin." + fetchSfx
        case .wildcardOriginWithCredentials:
            return pre + "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'." + xhrSfx
        case .invalidAllowCredentials:
            return pre + "The value of the 'Access-Control-Allow-Credentials' header in the response is '\(hint(f.allowCredentials))' which must be 'true' when the request's credentials mode is 'include'." + xhrSfx
        case .preflightStatus:
            return preflightPrefix + "It does not have HTTP ok status."
        case .preflightRedirect:
            return preflightPrefix + "Redirect is not allowed for a preflight request."
        case .invalidAllowMethods:
            return "Cannot parse Access-Control-Allow-Methods response header field in preflight response."
        case .invalidAllowHeaders:
            return "Cannot parse Access-Control-Allow-Headers response header field in preflight response."
        case .methodNotAllowed:
            return "Method \(hint(f.method)) is not allowed by Access-Control-Allow-Methods in preflight response."
        case .headerNotAllowed:
            return "Request header field \(hint(f.headerName)) is not allowed by Access-Control-Allow-Headers in preflight response."
        case .redirectCredentials:
            // The M145 error carries no parameter, so the quotes are always empty.
            return "Redirect location '' contains a username and password, which is disallowed for cross-origin requests."
        case .disallowedByMode:
            return "Cross origin requests are not allowed by request mode."
        case .corsDisabledScheme:
            return "Cross origin requests are only supported for protocol schemes: chrome, chrome-extension, chrome-untrusted, data, http, https, isolated-app."
        default:
            return nil
        }
    }

    /// EncodeHint: every byte outside printable ASCII becomes `\uXXXX` (so UTF-8 é is two escapes).
    static func hint(_ s: String?) -> String {
        guard let s else { return "" }
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) { return s }
        var out = ""
        for b in s.utf8 {
            if b >= 0x20 && b <= 0x7E { out.unicodeScalars.append(Unicode.Scalar(b)) }
            else { out += "\\u" + String(b, radix: 16, uppercase: true).leftPadded(to: 4) }
        }
        return out
    }
}
