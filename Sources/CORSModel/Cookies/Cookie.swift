/// The `SameSite` value a cookie was stored with (RFC 6265bis §5.6.7): `unspecified` when the
/// attribute is absent or its value is not `Strict`, `Lax` or `None` (the spec's "Default").
/// What `unspecified` means is the engine's choice (`CookiePolicy.laxByDefault`).
public enum CookieSameSite: String, Sendable, Hashable, Codable, CaseIterable {
    case strict, lax, none, unspecified

    /// The attribute as it would be written in a `Set-Cookie` line (`SameSite=Lax`).
    public var attributeText: String? {
        switch self {
        case .strict: return "SameSite=Strict"
        case .lax: return "SameSite=Lax"
        case .none: return "SameSite=None"
        case .unspecified: return nil
        }
    }
}

/// A cookie as a user agent stores it (RFC 6265bis §5.7 "Storage Model").
/// Times are seconds since the Unix epoch (see `SetCookie.parse` for the clock).
public struct Cookie: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String
    /// Lower-cased, without a leading dot: the request host for a host-only cookie, else the
    /// `Domain` attribute.
    public var domain: String
    /// True when the cookie had no (usable) `Domain` attribute: it is sent to `domain` exactly.
    public var hostOnly: Bool
    public var path: String
    /// Expiry time, or nil for a session cookie (RFC 6265bis persistent-flag false).
    public var expiry: Double?
    public var secure: Bool
    public var httpOnly: Bool
    public var sameSite: CookieSameSite
    /// The `Partitioned` attribute (CHIPS, draft-cutler-httpbis-partitioned-cookies).
    public var partitioned: Bool
    /// The partition the cookie lives in: the schemeful top-level site (`https://myapp.com`) when
    /// it was stored partitioned (CHIPS, or Firefox Total Cookie Protection in a third-party
    /// context), nil for the unpartitioned jar.
    public var partitionKey: String?
    public var creation: Double

    public init(name: String, value: String, domain: String, hostOnly: Bool = true, path: String = "/",
                expiry: Double? = nil, secure: Bool = false, httpOnly: Bool = false,
                sameSite: CookieSameSite = .unspecified, partitioned: Bool = false,
                partitionKey: String? = nil, creation: Double = 0) {
        self.name = name; self.value = value; self.domain = domain; self.hostOnly = hostOnly
        self.path = path; self.expiry = expiry; self.secure = secure; self.httpOnly = httpOnly
        self.sameSite = sameSite; self.partitioned = partitioned; self.partitionKey = partitionKey
        self.creation = creation
    }

    /// RFC 6265bis §5.7: "A cookie is expired if the cookie has an expiry date in the past."
    /// An expiry equal to `now` counts as past (Max-Age=0 deletes at once).
    public func isExpired(at now: Double) -> Bool {
        guard let expiry else { return false }
        return expiry <= now
    }

    /// The identity RFC 6265bis §5.7 step 23 replaces on: name, domain, host-only flag and path,
    /// plus the partition (CHIPS keeps one cookie per partition).
    public var storageKey: StorageKey {
        StorageKey(name: name, domain: domain, hostOnly: hostOnly, path: path, partitionKey: partitionKey)
    }

    public struct StorageKey: Sendable, Hashable {
        public let name: String
        public let domain: String
        public let hostOnly: Bool
        public let path: String
        public let partitionKey: String?
    }

    /// `name=value; Domain=…; Path=…` with the stored attributes, for traces and test messages.
    public var description: String {
        var s = name.isEmpty ? value : name + "=" + value
        s += hostOnly ? "; host-only=" + domain : "; Domain=" + domain
        s += "; Path=" + path
        if let expiry { s += "; expiry=" + String(expiry) }
        if secure { s += "; Secure" }
        if httpOnly { s += "; HttpOnly" }
        if let t = sameSite.attributeText { s += "; " + t }
        if partitioned { s += "; Partitioned" }
        if let partitionKey { s += "; partition=" + partitionKey }
        return s
    }
}

/// An attribute the parser ignored, as RFC 6265bis §5.6 and the engines do (they keep the cookie).
public struct IgnoredCookieAttribute: Sendable, Hashable {
    public let name: String
    public let why: Why

    public enum Why: String, Sendable, Hashable {
        /// §5.6 step 6 of the attribute loop: values over 1024 bytes are ignored (Chromium
        /// WARN_ATTRIBUTE_VALUE_EXCEEDS_MAX_SIZE, Gecko `CookieAttributeIgnored`).
        case valueTooLong = "value-longer-than-1024-bytes"
        /// §5.6.1: an `Expires` value that is not a cookie-date.
        case unparsableDate = "unparsable-date"
        /// §5.6.2: a `Max-Age` value that is not `-?DIGIT+` (Gecko `CookieInvalidMaxAgeAttribute`).
        case invalidMaxAge = "invalid-max-age"
        /// §5.6.7: a `SameSite` value other than Strict/Lax/None becomes "Default"
        /// (Gecko `CookieSameSiteValueInvalid2`).
        case unknownSameSite = "unknown-samesite-value"
        /// An attribute name the parser does not know (Priority, Comment, Version …).
        case unknownAttribute = "unknown-attribute"
    }
}

/// A `Set-Cookie` value after RFC 6265bis §5.6 parsing, before any storage-model check.
public struct ParsedSetCookie: Sendable, Hashable {
    /// The cookie as it would be stored: `domain` is the Domain attribute (without its leading
    /// dot, lower-cased) or the request host, `path` the Path attribute or the default-path.
    public var cookie: Cookie
    /// The processed `Domain` attribute, nil when absent (then `cookie.hostOnly` is true).
    public var domainAttribute: String?
    /// The raw value of the last `Path` attribute, nil when absent (`__Host-` needs it).
    public var pathAttribute: String?
    /// True when `Expires` or `Max-Age` set an expiry (persistent-flag).
    public var persistent: Bool
    public var ignored: [IgnoredCookieAttribute]
}

/// The result of parsing one `Set-Cookie` value.
public enum SetCookieResult: Sendable, Hashable {
    case parsed(ParsedSetCookie)
    /// The whole line is ignored; `name` is the cookie-name as far as it could be read.
    case rejected(name: String, reason: CookieReason)

    public var cookie: Cookie? {
        if case let .parsed(p) = self { return p.cookie }
        return nil
    }

    public var rejection: CookieReason? {
        if case let .rejected(_, reason) = self { return reason }
        return nil
    }
}

/// RFC 6265bis §5.6 "The Set-Cookie Header Field": the user-agent parsing algorithm.
public enum SetCookie {
    /// §5.6 step 5 / §5.7 step 4: name + value over 4096 octets is ignored entirely.
    public static let maxNameValueBytes = 4096
    /// §5.6 attribute step 6: attribute values over 1024 octets are ignored.
    public static let maxAttributeValueBytes = 1024
    /// §5.5 "Cookie Lifetime Limits": 400 days (34560000 s), the RECOMMENDED cap.
    public static let lifetimeLimit: Double = 34_560_000

    /// Parses `value` (the field value of one `Set-Cookie` line) received from `requestURL`.
    /// `now` is the current time in seconds since the Unix epoch: it is the creation time and the
    /// base of `Max-Age`; `Expires` dates are absolute, so the caller's clock must be epoch-based.
    /// `lifetimeLimit` caps `Expires`/`Max-Age` (§5.5; `CookiePolicy.maxLifetime`).
    public static func parse(_ value: String, requestURL: WebURL, now: Double,
                             lifetimeLimit: Double = SetCookie.lifetimeLimit) -> SetCookieResult {
        let bytes = Array(value.utf8)
        let semicolon = bytes.firstIndex(of: 0x3B) ?? bytes.endIndex
        let pair = bytes[..<semicolon]
        let (rawName, rawValue): (ArraySlice<UInt8>, ArraySlice<UInt8>)
        if let eq = pair.firstIndex(of: 0x3D) {
            rawName = pair[..<eq]; rawValue = pair[(eq + 1)...]
        } else {
            rawName = pair[pair.startIndex..<pair.startIndex]; rawValue = pair
        }
        let name = string(trimWSP(rawName))
        let cookieValue = string(trimWSP(rawValue))

        // §5.6 step 1: any CTL except HTAB rejects the whole line. Which part held it decides the
        // engine text (Gecko has one message per part), so look in name, value, attributes.
        if let ctl = bytes.firstIndex(where: isRejectedCTL) {
            let reason: CookieReason
            if ctl >= semicolon { reason = .disallowedCharacterInAttributes }
            else if pair.firstIndex(of: 0x3D).map({ ctl < $0 }) ?? false { reason = .disallowedCharacterInName }
            else { reason = .disallowedCharacterInValue }
            return .rejected(name: name, reason: reason)
        }
        guard let host = requestURL.host, cookieableSchemes.contains(requestURL.scheme) else {
            return .rejected(name: name, reason: .schemeNotSupported)
        }
        // §5.6 step 5.
        if name.utf8.count + cookieValue.utf8.count > maxNameValueBytes {
            return .rejected(name: name, reason: .nameValuePairExceedsMaxSize)
        }
        // §5.7 step 2.
        if name.isEmpty && cookieValue.isEmpty {
            return .rejected(name: name, reason: .noCookieContent)
        }

        var ignored: [IgnoredCookieAttribute] = []
        var expiresAt: Double? = nil      // last valid Expires
        var maxAgeAt: Double? = nil       // last valid Max-Age (wins over Expires, §5.7 step 6)
        var domainAttribute: String? = nil
        var pathAttribute: String? = nil
        var path: String? = nil
        var secure = false, httpOnly = false, partitioned = false
        var sameSite = CookieSameSite.unspecified

        var rest = bytes[semicolon...]
        while !rest.isEmpty {
            rest = rest.dropFirst()   // the ';'
            let end = rest.firstIndex(of: 0x3B) ?? rest.endIndex
            let av = rest[..<end]
            rest = rest[end...]
            let attrName: ArraySlice<UInt8>, attrValue: ArraySlice<UInt8>
            if let eq = av.firstIndex(of: 0x3D) {
                attrName = trimWSP(av[..<eq]); attrValue = trimWSP(av[(eq + 1)...])
            } else {
                attrName = trimWSP(av); attrValue = av[av.endIndex...]
            }
            let n = string(attrName)
            if n.isEmpty && attrValue.isEmpty { continue }
            if attrValue.count > maxAttributeValueBytes {
                ignored.append(IgnoredCookieAttribute(name: n, why: .valueTooLong))
                continue
            }
            let v = string(attrValue)
            switch n.lowercased() {
            case "expires":
                if let t = CookieDate.parse(v) { expiresAt = min(t, now + lifetimeLimit) }
                else { ignored.append(IgnoredCookieAttribute(name: n, why: .unparsableDate)) }
            case "max-age":
                if let delta = parseMaxAge(v) {
                    maxAgeAt = delta <= 0 ? -Double.infinity : now + min(delta, lifetimeLimit)
                } else {
                    ignored.append(IgnoredCookieAttribute(name: n, why: .invalidMaxAge))
                }
            case "domain":
                var d = Substring(v)
                if d.hasPrefix(".") { d = d.dropFirst() }
                // An empty Domain leaves the cookie host-only (§5.7 step 7; Chromium ignores it).
                domainAttribute = d.isEmpty ? nil : d.lowercased()
            case "path":
                pathAttribute = v
                path = v.hasPrefix("/") ? v : nil
            case "secure":
                secure = true
            case "httponly":
                httpOnly = true
            case "samesite":
                switch v.lowercased() {
                case "strict": sameSite = .strict
                case "lax": sameSite = .lax
                case "none": sameSite = .none
                default:
                    sameSite = .unspecified
                    ignored.append(IgnoredCookieAttribute(name: n, why: .unknownSameSite))
                }
            case "partitioned":
                partitioned = true
            default:
                ignored.append(IgnoredCookieAttribute(name: n, why: .unknownAttribute))
            }
        }

        let expiry = maxAgeAt ?? expiresAt
        let cookie = Cookie(name: name, value: cookieValue, domain: domainAttribute ?? host,
                            hostOnly: domainAttribute == nil,
                            path: path ?? CookiePaths.defaultPath(of: requestURL),
                            expiry: expiry, secure: secure, httpOnly: httpOnly, sameSite: sameSite,
                            partitioned: partitioned, partitionKey: nil, creation: now)
        return .parsed(ParsedSetCookie(cookie: cookie, domainAttribute: domainAttribute, pathAttribute: pathAttribute,
                                       persistent: expiry != nil, ignored: ignored))
    }

    /// Schemes whose responses may set cookies (Chromium's default cookieable schemes for the web).
    static let cookieableSchemes: Set<String> = ["http", "https", "ws", "wss"]

    /// §5.6.2 steps 1–4: `-?DIGIT+`, else nil (the attribute is ignored). Values too large for a
    /// Double still compare as huge and are then capped at the lifetime limit.
    static func parseMaxAge(_ v: String) -> Double? {
        var digits = Substring(v)
        var negative = false
        if digits.hasPrefix("-") { negative = true; digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let n = Double(digits) ?? .infinity
        return negative ? -n : n
    }

    static func isRejectedCTL(_ b: UInt8) -> Bool { (b <= 0x08) || (b >= 0x0A && b <= 0x1F) || b == 0x7F }

    static func trimWSP(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = s
        while let f = s.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        return s
    }

    static func string(_ s: ArraySlice<UInt8>) -> String { String(decoding: s, as: UTF8.self) }
}

/// RFC 6265bis §5.1.1 "Dates": the cookie-date algorithm (accepts RFC 1123, RFC 850 and asctime
/// forms and the usual mixes of them).
public enum CookieDate {
    /// Seconds since the Unix epoch, or nil when the value is not a cookie-date.
    public static func parse(_ text: String) -> Double? {
        var hour = -1, minute = -1, second = -1, day = -1, month = -1, year = -1
        for token in tokens(Array(text.utf8)) {
            if hour < 0, let t = time(token) { (hour, minute, second) = t; continue }
            if day < 0, let d = leadingDigits(token, min: 1, max: 2) { day = d; continue }
            if month < 0, let m = monthIndex(token) { month = m; continue }
            if year < 0, let y = leadingDigits(token, min: 2, max: 4) { year = y; continue }
        }
        guard hour >= 0, day >= 0, month >= 0, year >= 0 else { return nil }
        if year >= 70 && year <= 99 { year += 1900 }
        if year >= 0 && year <= 69 { year += 2000 }
        guard day >= 1, day <= 31, year >= 1601, hour <= 23, minute <= 59, second <= 59 else { return nil }
        guard day <= daysIn(month: month, year: year) else { return nil }   // step 6: the date must exist
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days) * 86_400 + Double(hour * 3600 + minute * 60 + second)
    }

    static func isDelimiter(_ b: UInt8) -> Bool {
        b == 0x09 || (b >= 0x20 && b <= 0x2F) || (b >= 0x3B && b <= 0x40) || (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7E)
    }

    static func tokens(_ b: [UInt8]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var i = 0
        while i < b.count {
            while i < b.count, isDelimiter(b[i]) { i += 1 }
            let start = i
            while i < b.count, !isDelimiter(b[i]) { i += 1 }
            if i > start { out.append(b[start..<i]) }
        }
        return out
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// `min…max` DIGITs, then nothing or a non-digit followed by anything.
    static func leadingDigits(_ t: ArraySlice<UInt8>, min: Int, max: Int) -> Int? {
        let n = t.prefix(while: isDigit).count
        guard n >= min, n <= max else { return nil }
        return Int(String(decoding: t.prefix(n), as: UTF8.self))
    }

    /// hms-time = time-field ":" time-field ":" time-field, time-field = 1*2DIGIT, then optional
    /// non-digit and anything.
    static func time(_ t: ArraySlice<UInt8>) -> (Int, Int, Int)? {
        var fields: [Int] = []
        var i = t.startIndex
        for k in 0..<3 {
            let start = i
            while i < t.endIndex, isDigit(t[i]), i - start < 2 { i += 1 }
            guard i > start else { return nil }
            fields.append(Int(String(decoding: t[start..<i], as: UTF8.self))!)
            if k < 2 {
                guard i < t.endIndex, t[i] == 0x3A else { return nil }
                i += 1
            }
        }
        if i < t.endIndex && isDigit(t[i]) { return nil }
        return (fields[0], fields[1], fields[2])
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func monthIndex(_ t: ArraySlice<UInt8>) -> Int? {
        guard t.count >= 3 else { return nil }
        let p = String(decoding: t.prefix(3), as: UTF8.self).lowercased()
        return months.firstIndex(of: p).map { $0 + 1 }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
