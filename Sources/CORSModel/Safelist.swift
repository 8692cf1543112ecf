/// Request-header rules: forbidden names, CORS-safelisted request headers, the unsafe-name list
/// that decides whether a preflight is needed and what `Access-Control-Request-Headers` says.
public enum Safelist {
    // MARK: forbidden request headers (fetch#forbidden-request-header)

    static let forbiddenNames: Set<String> = [
        "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
        "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
        "origin", "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via",
    ]

    /// Script cannot set these: `Headers` and `setRequestHeader` drop them silently.
    public static func isForbiddenRequestHeader(_ header: Header) -> Bool {
        let n = header.lowercasedName
        if forbiddenNames.contains(n) || n.hasPrefix("proxy-") || n.hasPrefix("sec-") { return true }
        if n == "x-http-method" || n == "x-http-method-override" || n == "x-method-override" {
            return header.value.split(separator: ",").contains { Method.isForbidden(String($0.trimmingSpacesAndTabs())) }
        }
        return false
    }

    // MARK: CORS-safelisted request headers (fetch#cors-safelisted-request-header)

    /// fetch#cors-unsafe-request-header-byte
    @inline(__always)
    static func isUnsafeByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x09: return false
        case 0x00...0x1F, 0x7F: return true
        case UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ":"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: "?"), UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "\\"),
             UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            return true
        default: return false
        }
    }

    static func isLanguageByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x20, 0x2A, 0x2C, 0x2D, 0x2E, 0x3B, 0x3D: return true
        default: return false
        }
    }

    /// Whether `(name, value)` is CORS-safelisted for this engine (names lower-cased).
    public static func isCORSSafelisted(_ header: Header, profile: EngineProfile) -> Bool {
        let value = header.value
        if value.utf8.count > 128 { return false }
        switch header.lowercasedName {
        case "accept":
            return !value.utf8.contains(where: isUnsafeByte)
        case "accept-language", "content-language":
            return value.utf8.allSatisfy(isLanguageByte)
        case "content-type":
            if value.utf8.contains(where: isUnsafeByte) { return false }
            guard let essence = MIMEType.essence(of: value) else { return false }
            return essence == "application/x-www-form-urlencoded" || essence == "multipart/form-data" || essence == "text/plain"
        case "range":
            // Gecko does not safelist Range (engine-messages.md §2.5).
            return profile.safelistsRange && isSimpleRange(value)
        default:
            return profile.extraSafelistedRequestHeaders.contains(header.lowercasedName)
        }
    }

    /// fetch#simple-range-header-value: `bytes=<start>-[<end>]`, start present, start <= end.
    public static func isSimpleRange(_ value: String) -> Bool {
        guard value.hasPrefix("bytes=") else { return false }
        let spec = value.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-") else { return false }
        let start = spec[..<dash], end = spec[spec.index(after: dash)...]
        guard !start.isEmpty, start.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        if end.isEmpty { return true }
        guard end.allSatisfy({ $0.isASCII && $0.isNumber }), let s = UInt64(start), let e = UInt64(end) else { return false }
        return s <= e
    }

    /// fetch#no-cors-safelisted-request-header: what survives the `request-no-cors` guard.
    public static func isNoCORSSafelisted(_ header: Header, profile: EngineProfile) -> Bool {
        switch header.lowercasedName {
        case "accept", "accept-language", "content-language", "content-type":
            return isCORSSafelisted(header, profile: profile)
        default: return false
        }
    }

    /// fetch#cors-unsafe-request-header-names, converted to a sorted lower-case set. Where the engine
    /// applies it, more than 1024 bytes of safelisted values make every safelisted name unsafe too.
    public static func corsUnsafeNames(_ headers: HeaderList, profile: EngineProfile) -> [String] {
        var unsafe: [String] = []
        var potentiallyUnsafe: [String] = []
        var total = 0
        for h in headers {
            if isCORSSafelisted(h, profile: profile) {
                potentiallyUnsafe.append(h.lowercasedName)
                total += h.value.utf8.count
            } else {
                unsafe.append(h.lowercasedName)
            }
        }
        if let limit = profile.safelistedValueTotalLimit, total > limit { unsafe += potentiallyUnsafe }
        if unsafe.count <= 1 { return unsafe }
        return Array(Set(unsafe)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The `Access-Control-Request-Headers` value: the unsafe names joined with a bare `,`.
    public static func accessControlRequestHeaders(_ unsafeNames: [String]) -> String? {
        unsafeNames.isEmpty ? nil : unsafeNames.joined(separator: ",")
    }

    // MARK: response headers (fetch#cors-safelisted-response-header-name)

    public static let safelistedResponseHeaderNames: Set<String> = [
        "cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma",
    ]

    /// fetch#forbidden-response-header-name — never readable by script.
    public static func isForbiddenResponseHeaderName(_ lowercasedName: String) -> Bool {
        HeaderList.same(lowercasedName, "set-cookie") || HeaderList.same(lowercasedName, "set-cookie2")
    }

    /// fetch#privileged-no-cors-request-header-name / request-body-header names, deleted on a method rewrite.
    public static let requestBodyHeaderNames: Set<String> = ["content-encoding", "content-language", "content-location", "content-type"]
}

/// The strict MIME type parser, enough to find the essence (mimesniff#parse-a-mime-type).
public enum MIMEType {
    /// `type/subtype` lower-cased, or nil when the value does not parse. Parameters are not validated
    /// (the parser skips bad ones), so `text/plain;garbage` parses and `text/plain,` does not.
    public static func essence(of value: String) -> String? {
        // Works on bytes: this runs for every Content-Type of every evaluation.
        let b = Array(value.utf8)
        var start = 0, end = b.count
        while start < end, Header.isHTTPWhitespace(b[start]) { start += 1 }
        while end > start, Header.isHTTPWhitespace(b[end - 1]) { end -= 1 }
        guard let slash = b[start..<end].firstIndex(of: UInt8(ascii: "/")), slash > start else { return nil }
        for c in b[start..<slash] where !HTTPToken.isTokenByte(c) { return nil }
        var subEnd = b[(slash + 1)..<end].firstIndex(of: UInt8(ascii: ";")) ?? end
        while subEnd > slash + 1, Header.isHTTPWhitespace(b[subEnd - 1]) { subEnd -= 1 }
        guard subEnd > slash + 1 else { return nil }
        for c in b[(slash + 1)..<subEnd] where !HTTPToken.isTokenByte(c) { return nil }
        return String(decoding: b[start..<subEnd].map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
