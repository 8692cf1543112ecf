/// What became of one `Set-Cookie` line.
public struct CookieDecision: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        /// Stored (new, or replacing the cookie with the same name, domain, host-only flag, path and partition).
        case stored
        /// Accepted, but its expiry is in the past: any matching cookie was deleted, nothing stored.
        case deleted
        /// Ignored; `reasons` says why.
        case rejected
    }

    /// The `Set-Cookie` field value as received.
    public let line: String
    /// The cookie-name as far as it could be parsed.
    public let name: String
    public let outcome: Outcome
    /// The cookie as stored (`stored`), or as parsed (`deleted`, and `rejected` after parsing).
    public let cookie: Cookie?
    /// Every reason that applies, in the order the policy's engine evaluates them, as many as it
    /// reports (Chromium accumulates the reasons of one phase; Gecko and WebKit stop at the first).
    /// Empty when stored; `[.expired]` when deleted.
    public let reasons: [CookieReason]
    /// What the engine reports for `reasons` (DevTools reasons/tooltips, console lines); empty
    /// when it reports nothing.
    public let messages: [EngineCookieMessage]
    /// True when an existing cookie with the same identity was replaced or deleted.
    public let replacedExisting: Bool
    /// Attributes the parser ignored (kept for explanations; the engines warn about some).
    public let ignoredAttributes: [IgnoredCookieAttribute]

    public var stored: Bool { outcome == .stored }
    /// The first (primary) reason, nil when stored.
    public var reason: CookieReason? { outcome == .stored ? nil : reasons.first }
}

/// A stored cookie that matched the request closely enough to be considered, and why it was not sent.
public struct ExcludedCookie: Sendable, Hashable {
    public let cookie: Cookie
    /// All reasons, in the engine's order (Chromium lists them all in DevTools).
    public let reasons: [CookieReason]
    public let messages: [EngineCookieMessage]
    public var reason: CookieReason { reasons[0] }
}

/// The cookies a request carries and those it considered and left out.
public struct CookieRetrieval: Sendable, Hashable {
    /// In `Cookie` header order: longest path first, then earliest creation (RFC 6265bis §5.8.3 step 4).
    public let sent: [Cookie]
    /// Cookies of the request's registrable domain that were not sent, with their reasons.
    public let excluded: [ExcludedCookie]
    /// The `Cookie` header value, nil when nothing is sent.
    public var header: String? { CookieJar.cookieHeader(sent) }
}

/// One browser profile's cookie store (RFC 6265bis §5.7–5.8), with engine policies applied by the
/// caller's `CookiePolicy`. A value type: copy it to branch a scenario. Private-mode profiles use
/// their own jar.
public struct CookieJar: Sendable, Hashable {
    /// Every stored cookie, expired ones included until the next `store` or `removeExpired`.
    public private(set) var all: [Cookie]

    public init(_ cookies: [Cookie] = []) { self.all = cookies }

    public var isEmpty: Bool { all.isEmpty }

    /// RFC 6265bis §5.7: "The user agent MUST evict all expired cookies".
    public mutating func removeExpired(at now: Double) { all.removeAll { $0.isExpired(at: now) } }

    // MARK: Storing

    /// Processes the `Set-Cookie` field values of one response from `url` (this hop's URL) in order.
    /// The CORS check plays no part: a response that then fails CORS still stores its cookies
    /// (fetch#http-network-fetch processes `Set-Cookie` before the CORS check; fetch-rules 76).
    public mutating func store(_ setCookieValues: [String], from url: WebURL, context: CookieContext,
                               policy: CookiePolicy, now: Double) -> [CookieDecision] {
        removeExpired(at: now)
        return setCookieValues.map { storeOne($0, from: url, context: context, policy: policy, now: now) }
    }

    private mutating func storeOne(_ line: String, from url: WebURL, context: CookieContext,
                                   policy: CookiePolicy, now: Double) -> CookieDecision {
        let result = SetCookie.parse(line, requestURL: url, now: now, lifetimeLimit: policy.maxLifetime)
        if !context.credentialsIncluded {
            // Fetch does not even hand the header to the cookie store; no engine reports it.
            let name: String
            switch result {
            case let .parsed(p): name = p.cookie.name
            case let .rejected(n, _): name = n
            }
            return CookieDecision(line: line, name: name, outcome: .rejected, cookie: result.cookie,
                                  reasons: [.credentialsNotIncluded], messages: [], replacedExisting: false,
                                  ignoredAttributes: [])
        }
        let parsed: ParsedSetCookie
        switch result {
        case let .rejected(name, reason):
            return CookieDecision(line: line, name: name, outcome: .rejected, cookie: nil, reasons: [reason],
                                  messages: reason.message(policy.family, phase: .set, cookieName: name, url: url.serialized).map { [$0] } ?? [],
                                  replacedExisting: false, ignoredAttributes: [])
        case let .parsed(p):
            parsed = p
        }
        var cookie = parsed.cookie
        func reject(_ reasons: [CookieReason], schemeful: Bool = false) -> CookieDecision {
            let messages = reasons.compactMap {
                $0.message(policy.family, phase: .set, cookieName: cookie.name, url: url.serialized,
                           schemeful: schemeful && $0.isSameSiteContextReason)
            }
            return CookieDecision(line: line, name: cookie.name, outcome: .rejected, cookie: cookie, reasons: reasons,
                                  messages: messages, replacedExisting: false, ignoredAttributes: parsed.ignored)
        }
        let host = url.host ?? ""

        // Phase 1 — what Chromium's CanonicalCookie::Create checks: Domain, prefixes, Partitioned.
        var create: [CookieReason] = []
        if let d = parsed.domainAttribute {
            if !d.allSatisfy({ $0.isASCII }) {
                create.append(.invalidDomain)                                  // §5.7 step 8
            } else if d == host && (Site.isPublicSuffix(d) || CookieHosts.isIPAddress(host)) {
                cookie.domain = host; cookie.hostOnly = true                   // §5.7 step 9.3.1
            } else if Site.isPublicSuffix(d) || CookieHosts.isIPAddress(host) || !CookieHosts.domainMatches(host, d) {
                create.append(.invalidDomain)                                  // §5.7 steps 9, 10
            }
        }
        let lowerName = cookie.name.lowercased()
        let prefixSchemeOK = policy.prefixesRequireCryptographicScheme ? policy.isCryptographic(url) : policy.isSecure(url)
        if lowerName.hasPrefix("__secure-") && !(cookie.secure && prefixSchemeOK) {
            create.append(.invalidPrefix)                                      // §5.7 step 20
        } else if lowerName.hasPrefix("__host-") {
            let pathOK = policy.hostPrefixRequiresPathAttribute ? parsed.pathAttribute == "/" : cookie.path == "/"
            if !(cookie.secure && prefixSchemeOK && cookie.hostOnly && pathOK) { create.append(.invalidPrefix) }  // step 21
        } else if cookie.name.isEmpty {
            let v = cookie.value.lowercased()
            if v.hasPrefix("__secure-") || v.hasPrefix("__host-") { create.append(.invalidPrefix) }          // step 22
        }
        if policy.honorsPartitioned {
            if cookie.partitioned && (!cookie.secure || (policy.family == .chromium && !policy.isSecure(url))) {
                create.append(.invalidPartitioned)
            }
        } else {
            cookie.partitioned = false   // the attribute is unknown to the engine
        }

        // Phase 2 — third-party policy (Chromium: cookie settings / CanSetCookie; Gecko: cookieBehavior; WebKit: ITP).
        let thirdParty = !context.isTopLevelNavigation && !context.isSameSite(schemeful: policy.schemefulSameSite)
        var thirdPartyReasons: [CookieReason] = []
        cookie.partitionKey = (policy.honorsPartitioned && cookie.partitioned) ? context.topLevelSite : nil
        if thirdParty {
            switch policy.thirdPartyCookies {
            case .allow: break
            case .partitionedByTopLevelSite: cookie.partitionKey = context.topLevelSite
            case .block:
                if cookie.partitionKey == nil {
                    thirdPartyReasons.append(policy.thirdPartyBlockReason == .phaseout ? .thirdPartyPhaseout : .thirdPartyBlocked)
                }
            }
        }

        // Phase 3 — the request context (Chromium IsSetPermittedInContext; RFC §5.7 steps 13, 18, 19).
        var contextReasons: [CookieReason] = []
        let secureURL = policy.isSecure(url)
        if cookie.secure && !secureURL { contextReasons.append(.secureOnly) }
        if cookie.sameSite == .none && !cookie.secure && policy.requireSecureForSameSiteNone {
            contextReasons.append(.sameSiteNoneInsecure)
        }
        let crossSiteBySite = !context.isSameSite(schemeful: policy.schemefulSameSite)
        let crossSite = !context.isTopLevelNavigation
            && (crossSiteBySite || (policy.sameSiteConsidersRedirectChain && context.crossSiteRedirect))
        let schemefulDowngrade = policy.schemefulSameSite && crossSiteBySite && context.isSameSiteIgnoringScheme
        if crossSite {
            switch cookie.sameSite {
            case .strict: contextReasons.append(.sameSiteStrict)
            case .lax: contextReasons.append(.sameSiteLax)
            case .unspecified: if policy.laxByDefault { contextReasons.append(.sameSiteUnspecifiedTreatedAsLax) }
            case .none: break
            }
        }

        // Phase 4 — "Leave Secure Cookies Alone" (§5.7 step 16), within the same partition.
        var overwrite: [CookieReason] = []
        if !cookie.secure && !secureURL, all.contains(where: { e in
            e.partitionKey == cookie.partitionKey && e.name == cookie.name && e.secure
                && (CookieHosts.domainMatches(e.domain, cookie.domain) || CookieHosts.domainMatches(cookie.domain, e.domain))
                && CookiePaths.matches(cookie.path, cookiePath: e.path)
        }) {
            overwrite.append(.overwriteSecure)
        }

        let reasons = CookieJar.reported(create: create, thirdParty: thirdPartyReasons, context: contextReasons,
                                         overwrite: overwrite, family: policy.family)
        if !reasons.isEmpty { return reject(reasons, schemeful: schemefulDowngrade) }

        // §5.7 step 23: replace the cookie with the same identity, keeping its creation time.
        let existing = all.firstIndex { $0.storageKey == cookie.storageKey }
        if cookie.isExpired(at: now) {
            if let existing { all.remove(at: existing) }
            return CookieDecision(line: line, name: cookie.name, outcome: .deleted, cookie: cookie, reasons: [.expired],
                                  messages: [], replacedExisting: existing != nil, ignoredAttributes: parsed.ignored)
        }
        if let existing {
            cookie.creation = all[existing].creation
            all[existing] = cookie
        } else {
            all.append(cookie)
        }
        return CookieDecision(line: line, name: cookie.name, outcome: .stored, cookie: cookie, reasons: [],
                              messages: [], replacedExisting: existing != nil, ignoredAttributes: parsed.ignored)
    }

    /// The reasons the engine reports. Chromium: each phase runs only if the earlier ones passed,
    /// and reports every reason of the failing phase (a `CookieInclusionStatus` accumulates them).
    /// Gecko and WebKit stop at the first failing check, in their own order.
    static func reported(create: [CookieReason], thirdParty: [CookieReason], context: [CookieReason],
                         overwrite: [CookieReason], family: EngineFamily) -> [CookieReason] {
        switch family {
        case .chromium:
            for phase in [create, thirdParty, context, overwrite] where !phase.isEmpty { return phase }
            return []
        case .gecko, .webkit:
            let order = family == .gecko ? geckoSetOrder : webkitSetOrder
            let all = Set(create + thirdParty + context + overwrite)
            return order.first(where: all.contains).map { [$0] } ?? []
        }
    }

    /// CookieService.cpp checks the cookie behaviour first, then CookieParser.cpp's order.
    static let geckoSetOrder: [CookieReason] = [
        .thirdPartyBlocked, .thirdPartyPhaseout, .sameSiteNoneInsecure, .invalidPartitioned, .invalidDomain,
        .invalidPrefix, .secureOnly, .sameSiteStrict, .sameSiteLax, .sameSiteUnspecifiedTreatedAsLax, .overwriteSecure,
    ]
    /// RFC 6265bis §5.7 order (step 1 policy, 9–10 domain, 13 secure, 16 overwrite, 18 SameSite,
    /// 19 None, 20–22 prefixes), then CHIPS.
    static let webkitSetOrder: [CookieReason] = [
        .thirdPartyBlocked, .thirdPartyPhaseout, .invalidDomain, .secureOnly, .overwriteSecure, .sameSiteStrict,
        .sameSiteLax, .sameSiteUnspecifiedTreatedAsLax, .sameSiteNoneInsecure, .invalidPrefix, .invalidPartitioned,
    ]

    // MARK: Retrieving

    /// The cookies a request to `url` carries (RFC 6265bis §5.8.3 with the policy's SameSite,
    /// secure-context, third-party and partition rules), and the cookies of the same registrable
    /// domain it leaves out, with reasons.
    public func cookies(for url: WebURL, context: CookieContext, policy: CookiePolicy, now: Double) -> CookieRetrieval {
        guard let host = url.host else { return CookieRetrieval(sent: [], excluded: []) }
        let site = Site.registrableDomain(of: host)
        let thirdParty = !context.isTopLevelNavigation && !context.isSameSite(schemeful: policy.schemefulSameSite)
        let topSite = context.topLevelSite
        let crossSiteBySite = !context.isSameSite(schemeful: policy.schemefulSameSite)
        let crossSiteByRedirect = !crossSiteBySite && policy.sameSiteConsidersRedirectChain && context.crossSiteRedirect
        let schemefulDowngrade = policy.schemefulSameSite && crossSiteBySite && context.isSameSiteIgnoringScheme
        let secureURL = policy.isSecure(url)

        var sent: [Cookie] = []
        var excluded: [ExcludedCookie] = []
        func exclude(_ c: Cookie, _ reasons: [CookieReason]) {
            let reported = policy.family == .chromium ? reasons : Array(reasons.prefix(1))
            let messages = reported.compactMap {
                $0.message(policy.family, phase: .send, cookieName: c.name, url: url.serialized,
                           schemeful: schemefulDowngrade && $0.isSameSiteContextReason)
            }
            excluded.append(ExcludedCookie(cookie: c, reasons: reported, messages: messages))
        }

        for c in all where !c.isExpired(at: now) {
            let domainOK = c.hostOnly ? host == c.domain : CookieHosts.domainMatches(host, c.domain)
            guard domainOK || Site.registrableDomain(of: c.domain) == site else { continue }
            let pathOK = CookiePaths.matches(url.path, cookiePath: c.path)

            // Which jar the request sees (CHIPS partitions; Firefox TCP keys third-party cookies by top-level site).
            let visible: Bool
            switch policy.thirdPartyCookies {
            case .partitionedByTopLevelSite:
                visible = thirdParty ? c.partitionKey == topSite : (c.partitionKey == nil || c.partitionKey == topSite)
            case .allow, .block:
                visible = c.partitionKey == nil || c.partitionKey == topSite
            }
            if !visible {
                if domainOK && pathOK { exclude(c, [.otherPartition]) }
                continue
            }
            if !context.credentialsIncluded {
                if domainOK && pathOK { exclude(c, [.credentialsNotIncluded]) }
                continue
            }

            var reasons: [CookieReason] = []
            if !domainOK { reasons.append(.domainMismatch) }
            if !pathOK { reasons.append(.notOnPath) }
            if c.secure && !secureURL { reasons.append(.secureOnly) }
            if crossSiteBySite || crossSiteByRedirect {
                let laxDefault = c.sameSite == .unspecified && policy.laxByDefault
                switch c.sameSite {
                case .strict:
                    reasons.append(crossSiteByRedirect ? .crossSiteRedirect : .sameSiteStrict)
                case .lax,
                     .unspecified where laxDefault:   // an unspecified SameSite counts as Lax only where the engine says so
                    let recent = laxDefault && (policy.laxAllowUnsafeWindow.map { now - c.creation <= $0 } ?? false)
                    let allowed = context.isTopLevelNavigation && (context.isSafeMethod || recent)
                    if !allowed {
                        reasons.append(crossSiteByRedirect ? .crossSiteRedirect
                                       : (laxDefault ? .sameSiteUnspecifiedTreatedAsLax : .sameSiteLax))
                    }
                default:
                    break
                }
            }
            if c.sameSite == .none && !c.secure && policy.requireSecureForSameSiteNone { reasons.append(.sameSiteNoneInsecure) }
            if thirdParty && policy.thirdPartyCookies == .block && c.partitionKey == nil {
                reasons.append(policy.thirdPartyBlockReason == .phaseout ? .thirdPartyPhaseout : .thirdPartyBlocked)
            }
            if reasons.isEmpty { sent.append(c) } else { exclude(c, reasons) }
        }
        // §5.8.3 step 4: longer paths first, then earlier creation (stable for equal keys).
        let ordered = sent.enumerated().sorted { a, b in
            if a.element.path.count != b.element.path.count { return a.element.path.count > b.element.path.count }
            if a.element.creation != b.element.creation { return a.element.creation < b.element.creation }
            return a.offset < b.offset
        }.map(\.element)
        return CookieRetrieval(sent: ordered, excluded: excluded)
    }

    /// The `Cookie` header value for `cookies` in the given order (RFC 6265bis §5.8.3 step 6):
    /// `a=1; b=2`, a nameless cookie as its value alone; nil when there is none.
    public static func cookieHeader(_ cookies: [Cookie]) -> String? {
        guard !cookies.isEmpty else { return nil }
        return cookies.map { $0.name.isEmpty ? $0.value : $0.name + "=" + $0.value }.joined(separator: "; ")
    }
}

extension CookieReason {
    /// Reasons that depend on the same-site computation (Chromium has schemeful variants of these).
    var isSameSiteContextReason: Bool {
        self == .sameSiteStrict || self == .sameSiteLax || self == .sameSiteUnspecifiedTreatedAsLax
    }
}
