/// Why a `Set-Cookie` was not stored or a stored cookie was not sent: the model's machine codes.
/// Each maps to what the engines report (`message(_:phase:cookieName:url:schemeful:)`).
public enum CookieReason: String, Sendable, Hashable, Codable, CaseIterable {
    // Set-Cookie lines ignored by the parser (RFC 6265bis §5.6, §5.7 steps 2–4).
    case schemeNotSupported = "scheme-not-supported"
    case disallowedCharacterInName = "disallowed-character-in-name"
    case disallowedCharacterInValue = "disallowed-character-in-value"
    case disallowedCharacterInAttributes = "disallowed-character-in-attributes"
    case nameValuePairExceedsMaxSize = "name-value-pair-exceeds-max-size"
    case noCookieContent = "no-cookie-content"
    // Storage-model rejections (RFC 6265bis §5.7 steps 9–22, CHIPS, engine policies).
    case invalidDomain = "invalid-domain"
    case invalidPrefix = "invalid-prefix"
    case invalidPartitioned = "invalid-partitioned"
    /// Set: `Secure` from an insecure URL. Send: a `Secure` cookie to an insecure URL.
    case secureOnly = "secure-only"
    case sameSiteNoneInsecure = "samesite-none-insecure"
    case sameSiteStrict = "samesite-strict"
    case sameSiteLax = "samesite-lax"
    case sameSiteUnspecifiedTreatedAsLax = "samesite-unspecified-treated-as-lax"
    /// A Strict/Lax cookie omitted because the redirect chain was cross-site (engines that consider it).
    case crossSiteRedirect = "cross-site-redirect"
    case thirdPartyBlocked = "third-party-blocked"
    case thirdPartyPhaseout = "third-party-phaseout"
    case overwriteSecure = "overwrite-secure"
    case credentialsNotIncluded = "credentials-not-included"
    // Cookie header exclusions (RFC 6265bis §5.8.3).
    case domainMismatch = "domain-mismatch"
    case notOnPath = "not-on-path"
    /// The cookie lives in another partition (another top-level site's jar).
    case otherPartition = "other-partition"
    /// The `Set-Cookie` carried an expiry in the past: it deletes, never stores.
    case expired = "expired"

    /// One line in the model's own words.
    public var summary: String {
        switch self {
        case .schemeNotSupported: return "the response's URL scheme cannot set cookies"
        case .disallowedCharacterInName: return "the cookie name contains a control character"
        case .disallowedCharacterInValue: return "the cookie value contains a control character"
        case .disallowedCharacterInAttributes: return "an attribute contains a control character"
        case .nameValuePairExceedsMaxSize: return "name and value together exceed 4096 bytes"
        case .noCookieContent: return "the cookie has neither a name nor a value"
        case .invalidDomain: return "the Domain attribute does not cover the response's host, or is a public suffix"
        case .invalidPrefix: return "the __Secure- or __Host- prefix rules are broken"
        case .invalidPartitioned: return "Partitioned requires Secure (set from a secure URL)"
        case .secureOnly: return "Secure cookies need a secure (https or trustworthy) URL"
        case .sameSiteNoneInsecure: return "SameSite=None requires Secure"
        case .sameSiteStrict: return "SameSite=Strict and the request is cross-site"
        case .sameSiteLax: return "SameSite=Lax and the request is cross-site and not a top-level navigation with a safe method"
        case .sameSiteUnspecifiedTreatedAsLax: return "no SameSite, enforced as Lax, and the request is cross-site"
        case .crossSiteRedirect: return "SameSite=Lax/Strict and the redirect chain was cross-site"
        case .thirdPartyBlocked: return "third-party cookies are blocked"
        case .thirdPartyPhaseout: return "third-party cookies are blocked by the third-party cookie deprecation"
        case .overwriteSecure: return "an insecure URL may not overwrite a Secure cookie"
        case .credentialsNotIncluded: return "the request does not include credentials"
        case .domainMismatch: return "the request host is not the cookie's domain (or a subdomain of it)"
        case .notOnPath: return "the request path does not path-match the cookie's path"
        case .otherPartition: return "the cookie belongs to another top-level site's partition"
        case .expired: return "the cookie expires in the past: an existing one is deleted"
        }
    }
}

/// Whether a message is about storing (`Set-Cookie`) or sending (`Cookie`).
public enum CookiePhase: String, Sendable, Hashable, Codable {
    case set, send
}

/// What one engine reports about a cookie decision.
public struct EngineCookieMessage: Sendable, Hashable {
    public let family: EngineFamily
    /// The engine's own identifier: Chromium's `net::CookieInclusionStatus` exclusion reason
    /// (`EXCLUDE_SAMESITE_NONE_INSECURE`), Gecko's `necko.properties` key (`CookieRejectedNonRequiresSecure2`).
    public let identifier: String
    /// Chromium: the DevTools protocol reason listed in Network › Cookies (`Network.SetCookieBlockedReason`
    /// or `Network.CookieBlockedReason`, e.g. `SameSiteNoneInsecure`); nil where DevTools shows nothing.
    public let devToolsReason: String?
    /// Chromium: the Issues-panel reason (`Audits.CookieExclusionReason`, e.g. `ExcludeSameSiteNoneInsecure`)
    /// where one exists.
    public let issueReason: String?
    /// The text the engine shows: the DevTools tooltip (Chromium, `NetworkRequest.ts` UIStrings as
    /// written, backticks included) or the console message (Gecko, `necko.properties` with the
    /// parameters filled in). nil when the engine shows nothing.
    public let text: String?
}

extension CookieReason {
    /// What `family` reports for this reason, or nil when the engine reports nothing
    /// (WebKit never reports cookie decisions; see docs/COOKIES.md).
    /// - Parameters:
    ///   - schemeful: the request is cross-site only because of its scheme (Chromium then uses its
    ///     `Schemeful…` reasons and texts).
    ///   - url: the request URL, for Gecko messages that name it.
    public func message(_ family: EngineFamily, phase: CookiePhase, cookieName: String, url: String = "",
                        schemeful: Bool = false) -> EngineCookieMessage? {
        switch family {
        case .chromium: return chromiumMessage(phase: phase, schemeful: schemeful)
        case .gecko: return geckoMessage(phase: phase, name: cookieName, url: url)
        case .webkit: return nil
        }
    }

    private func chromiumMessage(phase: CookiePhase, schemeful: Bool) -> EngineCookieMessage? {
        typealias T = ChromiumCookieTexts
        let set = phase == .set
        func m(_ id: String, _ devtools: String?, _ text: String?, issue: String? = nil) -> EngineCookieMessage {
            EngineCookieMessage(family: .chromium, identifier: id, devToolsReason: devtools, issueReason: issue, text: text)
        }
        switch self {
        case .schemeNotSupported:
            return m("EXCLUDE_NONCOOKIEABLE_SCHEME", "SchemeNotSupported", T.schemeNotSupported)
        case .disallowedCharacterInName, .disallowedCharacterInValue, .disallowedCharacterInAttributes:
            return m("EXCLUDE_DISALLOWED_CHARACTER", "DisallowedCharacter", T.disallowedCharacter)
        case .nameValuePairExceedsMaxSize:
            return m("EXCLUDE_NAME_VALUE_PAIR_EXCEEDS_MAX_SIZE", "NameValuePairExceedsMaxSize",
                     set ? T.setNameValuePairExceedsMaxSize : T.sendNameValuePairExceedsMaxSize)
        case .noCookieContent:
            // network_handler.cc maps it to NoCookieContent; NetworkRequest.ts has no text for it.
            return m("EXCLUDE_NO_COOKIE_CONTENT", "NoCookieContent", nil)
        case .invalidDomain:
            return m("EXCLUDE_INVALID_DOMAIN", "InvalidDomain", T.invalidDomain)
        case .invalidPrefix:
            return m("EXCLUDE_INVALID_PREFIX", "InvalidPrefix", T.invalidPrefix)
        case .invalidPartitioned:
            // No DevTools protocol reason: network_handler.cc drops the line from blockedCookies.
            return m("EXCLUDE_INVALID_PARTITIONED", nil, nil)
        case .secureOnly:
            return m("EXCLUDE_SECURE_ONLY", "SecureOnly", set ? T.setSecureOnly : T.sendSecureOnly)
        case .sameSiteNoneInsecure:
            return m("EXCLUDE_SAMESITE_NONE_INSECURE", "SameSiteNoneInsecure",
                     set ? T.setSameSiteNoneInsecure : T.sendSameSiteNoneInsecure, issue: "ExcludeSameSiteNoneInsecure")
        case .sameSiteStrict:
            let text = set ? (schemeful ? T.setSchemefulStrictLax("SameSite=Strict") : T.setStrictLax("SameSite=Strict"))
                           : (schemeful ? T.sendSchemefulStrict : T.sendStrict)
            return m("EXCLUDE_SAMESITE_STRICT", schemeful ? "SchemefulSameSiteStrict" : "SameSiteStrict", text,
                     issue: "ExcludeSameSiteStrict")
        case .sameSiteLax:
            let text = set ? (schemeful ? T.setSchemefulStrictLax("SameSite=Lax") : T.setStrictLax("SameSite=Lax"))
                           : (schemeful ? T.sendSchemefulLax : T.sendLax)
            return m("EXCLUDE_SAMESITE_LAX", schemeful ? "SchemefulSameSiteLax" : "SameSiteLax", text,
                     issue: "ExcludeSameSiteLax")
        case .sameSiteUnspecifiedTreatedAsLax:
            let text = set ? (schemeful ? T.setSchemefulUnspecified : T.setUnspecified)
                           : (schemeful ? T.sendSchemefulUnspecified : T.sendUnspecified)
            return m("EXCLUDE_SAMESITE_UNSPECIFIED_TREATED_AS_LAX",
                     schemeful ? "SchemefulSameSiteUnspecifiedTreatedAsLax" : "SameSiteUnspecifiedTreatedAsLax", text,
                     issue: "ExcludeSameSiteUnspecifiedTreatedAsLax")
        case .thirdPartyBlocked:
            return m("EXCLUDE_USER_PREFERENCES", "UserPreferences", set ? T.setUserPreferences : T.sendUserPreferences)
        case .thirdPartyPhaseout:
            return m("EXCLUDE_THIRD_PARTY_PHASEOUT", "ThirdPartyPhaseout",
                     set ? T.setThirdPartyPhaseout : T.sendThirdPartyPhaseout, issue: "ExcludeThirdPartyPhaseout")
        case .overwriteSecure:
            return m("EXCLUDE_OVERWRITE_SECURE", "OverwriteSecure", T.overwriteSecure)
        case .domainMismatch:
            return m("EXCLUDE_DOMAIN_MISMATCH", "DomainMismatch", T.domainMismatch)
        case .notOnPath:
            return m("EXCLUDE_NOT_ON_PATH", "NotOnPath", T.notOnPath)
        case .crossSiteRedirect, .credentialsNotIncluded, .otherPartition, .expired:
            return nil
        }
    }

    private func geckoMessage(phase: CookiePhase, name: String, url: String) -> EngineCookieMessage? {
        typealias T = GeckoCookieTexts
        func m(_ key: String, _ template: String, _ params: [String]) -> EngineCookieMessage {
            EngineCookieMessage(family: .gecko, identifier: key, devToolsReason: nil, issueReason: nil,
                                text: T.format(template, params))
        }
        switch (self, phase) {
        case (.disallowedCharacterInName, _): return m("CookieRejectedInvalidCharName", T.invalidCharName, [name])
        case (.disallowedCharacterInValue, _): return m("CookieRejectedInvalidCharValue", T.invalidCharValue, [name])
        case (.disallowedCharacterInAttributes, _):
            return m("CookieRejectedInvalidCharAttributes", T.invalidCharAttributes, [name])
        case (.nameValuePairExceedsMaxSize, _):
            return m("CookieOversize", T.oversize, [name, String(SetCookie.maxNameValueBytes)])
        case (.noCookieContent, _): return m("CookieRejectedEmptyNameAndValue", T.emptyNameAndValue, [])
        case (.invalidDomain, _): return m("CookieRejectedInvalidDomain", T.invalidDomain, [name])
        case (.invalidPrefix, _): return m("CookieRejectedInvalidPrefix", T.invalidPrefix, [name])
        case (.invalidPartitioned, _):
            return m("CookieRejectedPartitionedRequiresSecure", T.partitionedRequiresSecure, [name])
        case (.secureOnly, .set): return m("CookieRejectedSecureButNonHttps", T.secureButNonHttps, [name])
        case (.sameSiteNoneInsecure, _): return m("CookieRejectedNonRequiresSecure2", T.noneRequiresSecure, [name])
        case (.sameSiteStrict, .set), (.sameSiteLax, .set), (.sameSiteUnspecifiedTreatedAsLax, .set):
            return m("CookieRejectedForNonSameSiteness", T.forNonSameSiteness, [name])
        case (.thirdPartyBlocked, .set): return m("CookieRejectedThirdParty", T.thirdParty, [name])
        case (.thirdPartyBlocked, .send): return m("CookieBlockedForeignByETP", T.blockedForeign, [url])
        case (.overwriteSecure, _): return m("CookieRejectedNonsecureOverSecure", T.nonsecureOverSecure, [name])
        case (.crossSiteRedirect, .send): return m("CookieBlockedCrossSiteRedirect", T.crossSiteRedirect, [name])
        default: return nil
        }
    }
}

/// Chromium DevTools tooltips: `UIStrings` of ChromeDevTools/devtools-frontend
/// `front_end/core/sdk/NetworkRequest.ts` (2025), mapped from protocol reasons by
/// `setCookieBlockedReasonToUiString` / `cookieBlockedReasonToUiString`. Reproduced as written in
/// the source (backticks mark code spans there).
enum ChromiumCookieTexts {
    // Sending (`cookieBlockedReasonToUiString`).
    static let sendSecureOnly = "This cookie was blocked because it had the \"`Secure`\" attribute and the connection was not secure."
    static let notOnPath = "This cookie was blocked because its path was not an exact match for or a superdirectory of the request url's path."
    static let domainMismatch = "This cookie was blocked because neither did the request URL's domain exactly match the cookie's domain, nor was the request URL's domain a subdomain of the cookie's Domain attribute value."
    static let sendStrict = "This cookie was blocked because it had the \"`SameSite=Strict`\" attribute and the request was made from a different site. This includes top-level navigation requests initiated by other sites."
    static let sendLax = "This cookie was blocked because it had the \"`SameSite=Lax`\" attribute and the request was made from a different site and was not initiated by a top-level navigation."
    static let sendUnspecified = "This cookie didn't specify a \"`SameSite`\" attribute when it was stored and was defaulted to \"SameSite=Lax,\" and was blocked because the request was made from a different site and was not initiated by a top-level navigation. The cookie had to have been set with \"`SameSite=None`\" to enable cross-site usage."
    static let sendSameSiteNoneInsecure = "This cookie was blocked because it had the \"`SameSite=None`\" attribute but was not marked \"Secure\". Cookies without SameSite restrictions must be marked \"Secure\" and sent over a secure connection."
    static let sendUserPreferences = "This cookie was blocked due to user preferences."
    static let sendThirdPartyPhaseout = "This cookie was blocked either because of Chrome flags or browser configuration. Learn more in the Issues panel."
    static let sendSchemefulStrict = "This cookie was blocked because it had the \"`SameSite=Strict`\" attribute but the request was cross-site. This includes top-level navigation requests initiated by other sites. This request is considered cross-site because the URL has a different scheme than the current site."
    static let sendSchemefulLax = "This cookie was blocked because it had the \"`SameSite=Lax`\" attribute but the request was cross-site and was not initiated by a top-level navigation. This request is considered cross-site because the URL has a different scheme than the current site."
    static let sendSchemefulUnspecified = "This cookie didn't specify a \"`SameSite`\" attribute when it was stored, was defaulted to \"`SameSite=Lax\"`, and was blocked because the request was cross-site and was not initiated by a top-level navigation. This request is considered cross-site because the URL has a different scheme than the current site."
    static let sendNameValuePairExceedsMaxSize = "This cookie was blocked because it was too large. The combined size of the name and value must be less than or equal to 4096 characters."

    // Setting (`setCookieBlockedReasonToUiString`).
    static let setUserPreferences = "This attempt to set a cookie via a `Set-Cookie` header was blocked due to user preferences."
    static let setThirdPartyPhaseout = "Setting this cookie was blocked either because of Chrome flags or browser configuration. Learn more in the Issues panel."
    static let disallowedCharacter = "This `Set-Cookie` header contained a disallowed character (a forbidden ASCII control character, or the tab character if it appears in the middle of the cookie name, value, an attribute name, or an attribute value)."
    static let schemeNotSupported = "The scheme of this connection is not allowed to store cookies."
    static func setSchemefulStrictLax(_ attribute: String) -> String {
        "This attempt to set a cookie via a `Set-Cookie` header was blocked because it had the \"\(attribute)\" attribute but came from a cross-site response which was not the response to a top-level navigation. This response is considered cross-site because the URL has a different scheme than the current site."
    }
    static let setSchemefulUnspecified = "This `Set-Cookie` header didn't specify a \"`SameSite`\" attribute, was defaulted to \"`SameSite=Lax\"`, and was blocked because it came from a cross-site response which was not the response to a top-level navigation. This response is considered cross-site because the URL has a different scheme than the current site."
    static let setSecureOnly = "This attempt to set a cookie via a `Set-Cookie` header was blocked because it had the \"Secure\" attribute but was not received over a secure connection."
    static func setStrictLax(_ attribute: String) -> String {
        "This attempt to set a cookie via a `Set-Cookie` header was blocked because it had the \"\(attribute)\" attribute but came from a cross-site response which was not the response to a top-level navigation."
    }
    static let setUnspecified = "This `Set-Cookie` header didn't specify a \"`SameSite`\" attribute and was defaulted to \"`SameSite=Lax,`\" and was blocked because it came from a cross-site response which was not the response to a top-level navigation. The `Set-Cookie` had to have been set with \"`SameSite=None`\" to enable cross-site usage."
    static let setSameSiteNoneInsecure = "This attempt to set a cookie via a `Set-Cookie` header was blocked because it had the \"`SameSite=None`\" attribute but did not have the \"Secure\" attribute, which is required in order to use \"`SameSite=None`\"."
    static let overwriteSecure = "This attempt to set a cookie via a `Set-Cookie` header was blocked because it was not sent over a secure connection and would have overwritten a cookie with the Secure attribute."
    static let invalidDomain = "This attempt to set a cookie via a `Set-Cookie` header was blocked because its Domain attribute was invalid with regards to the current host url."
    static let invalidPrefix = "This attempt to set a cookie via a `Set-Cookie` header was blocked because it used the \"`__Secure-`\" or \"`__Host-`\" prefix in its name and broke the additional rules applied to cookies with these prefixes as defined in `https://tools.ietf.org/html/draft-west-cookie-prefixes-05`."
    static let setNameValuePairExceedsMaxSize = "This attempt to set a cookie via a `Set-Cookie` header was blocked because the cookie was too large. The combined size of the name and value must be less than or equal to 4096 characters."
}

/// Gecko console messages: `netwerk/locales/en-US/necko.properties` as shipped in Firefox ESR
/// 153.8.0 (`chrome/en-US/locale/en-US/necko/necko.properties` in omni.ja), logged by
/// `netwerk/cookie/CookieParser.cpp` and `CookieService.cpp`.
enum GeckoCookieTexts {
    static let noneRequiresSecure = "Cookie “%1$S” rejected because it has the “SameSite=None” attribute but is missing the “secure” attribute."
    static let oversize = "Cookie “%1$S” is invalid because its size is too big. Max size is %2$S B."
    static let emptyNameAndValue = "Cookie with an empty name and an empty value has been rejected."
    static let invalidCharName = "Cookie “%1$S” has been rejected for invalid characters in the name."
    static let invalidCharAttributes = "Cookie “%1$S” has been rejected for invalid characters in the attributes."
    static let invalidDomain = "Cookie “%1$S” has been rejected for invalid domain."
    static let invalidPrefix = "Cookie “%1$S” has been rejected for invalid prefix."
    static let invalidCharValue = "Cookie “%1$S” has been rejected for invalid characters in the value."
    static let secureButNonHttps = "Cookie “%1$S” has been rejected because a non-HTTPS cookie can’t be set as “secure”."
    static let thirdParty = "Cookie “%1$S” has been rejected as third-party."
    static let nonsecureOverSecure = "Cookie “%1$S” has been rejected because there is an existing “secure” cookie."
    static let forNonSameSiteness = "Cookie “%1$S” has been rejected because it is in a cross-site context and its “SameSite” is “Lax” or “Strict”."
    static let partitionedRequiresSecure = "Cookie “%1$S” has been rejected because it has the “Partitioned” attribute but is missing the “secure” attribute."
    static let crossSiteRedirect = "Cookie “%1$S” with the “SameSite” attribute value “Lax” or “Strict” was omitted because of a cross-site redirect."
    static let blockedForeign = "Request to access cookie or storage on “%1$S” was blocked because we are blocking all third-party storage access requests and Enhanced Tracking Protection is enabled."

    /// Fills `%1$S`, `%2$S` … (the positional form these strings use).
    static func format(_ template: String, _ params: [String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let after = rest[rest.index(after: percent)...]
            if let dollar = after.firstIndex(of: "$"), let n = Int(after[..<dollar]), n >= 1, n <= params.count,
               after[after.index(after: dollar)...].hasPrefix("S") {
                out += params[n - 1]
                rest = after[after.index(dollar, offsetBy: 2)...]
            } else {
                out += "%"
                rest = after
            }
        }
        return out + rest
    }
}
