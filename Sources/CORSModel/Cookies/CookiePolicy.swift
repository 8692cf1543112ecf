/// What an engine does with third-party cookies (a request whose site differs from the top-level site).
public enum ThirdPartyCookiePolicy: String, Sendable, Hashable, Codable {
    /// Stored and sent like first-party cookies (SameSite still applies).
    case allow
    /// Neither stored nor sent, except `Partitioned` cookies where the engine honours CHIPS.
    case block
    /// Stored and sent, but in a jar keyed by the top-level site (Firefox Total Cookie Protection).
    case partitionedByTopLevelSite = "partitioned-by-top-level-site"
}

/// How an engine reports a blocked third-party cookie (Chromium has two exclusion reasons).
public enum ThirdPartyBlockReason: String, Sendable, Hashable, Codable {
    /// A user or incognito setting (Chromium EXCLUDE_USER_PREFERENCES, WebKit ITP, Gecko cookieBehavior).
    case userPreferences = "user-preferences"
    /// Chromium's third-party-cookie deprecation mode (EXCLUDE_THIRD_PARTY_PHASEOUT: tracking
    /// protection or `--test-third-party-cookie-phaseout`).
    case phaseout
}

/// One engine's cookie policy as data: `CookieJar` reads these and nothing else.
/// The variants (`chrome-incognito`, `firefox-private` …) are the browser's default settings in
/// that mode. Sources are listed per property; docs/COOKIES.md has the full references.
public struct CookiePolicy: Sendable, Hashable {
    /// The selectable name: `chrome`, `chrome-incognito`, `firefox`, `safari-private` …
    public let name: String
    public let family: EngineFamily
    /// The engine version these facts were read for.
    public let modelledVersion: String

    /// A cookie without a valid `SameSite` is enforced as `Lax`.
    public let laxByDefault: Bool
    /// "Lax-allowing-unsafe" (RFC 6265bis §5.6.7.2, "Lax+POST"): seconds after creation during
    /// which a lax-by-default cookie still rides a cross-site top-level navigation with an unsafe
    /// method; nil when not applied.
    public let laxAllowUnsafeWindow: Double?
    /// `SameSite=None` without `Secure` is rejected (RFC 6265bis §5.7 step 19).
    public let requireSecureForSameSiteNone: Bool
    /// Hosts whose `http:` URLs count as secure for `Secure` cookies (patterns: `localhost`,
    /// `*.localhost`, `127.0.0.0/8`, `[::1]`); empty when only `https:`/`wss:` are secure.
    public let secureContextExemptHosts: [String]
    /// `__Secure-`/`__Host-` require a cryptographic scheme even where `Secure` cookies are
    /// accepted from a trustworthy `http:` host.
    public let prefixesRequireCryptographicScheme: Bool
    /// `__Host-` requires an explicit `Path=/` attribute (not only a resulting path of `/`).
    public let hostPrefixRequiresPathAttribute: Bool
    public let thirdPartyCookies: ThirdPartyCookiePolicy
    /// The reason a blocked third-party cookie is reported with.
    public let thirdPartyBlockReason: ThirdPartyBlockReason
    /// The `Partitioned` attribute (CHIPS) is honoured: such cookies need `Secure`, live in the
    /// top-level site's partition and survive third-party blocking.
    public let honorsPartitioned: Bool
    /// Same-site is computed schemefully (`http://a.com` vs `https://a.com` is cross-site).
    public let schemefulSameSite: Bool
    /// A cross-site hop in the redirect chain makes the request cross-site for SameSite.
    public let sameSiteConsidersRedirectChain: Bool
    /// Cap on `Expires`/`Max-Age`, seconds after creation (RFC 6265bis §5.5).
    public let maxLifetime: Double

    public init(name: String, family: EngineFamily, modelledVersion: String, laxByDefault: Bool,
                laxAllowUnsafeWindow: Double?, requireSecureForSameSiteNone: Bool, secureContextExemptHosts: [String],
                prefixesRequireCryptographicScheme: Bool, hostPrefixRequiresPathAttribute: Bool,
                thirdPartyCookies: ThirdPartyCookiePolicy, thirdPartyBlockReason: ThirdPartyBlockReason = .userPreferences,
                honorsPartitioned: Bool, schemefulSameSite: Bool, sameSiteConsidersRedirectChain: Bool,
                maxLifetime: Double = SetCookie.lifetimeLimit) {
        self.name = name; self.family = family; self.modelledVersion = modelledVersion
        self.laxByDefault = laxByDefault; self.laxAllowUnsafeWindow = laxAllowUnsafeWindow
        self.requireSecureForSameSiteNone = requireSecureForSameSiteNone
        self.secureContextExemptHosts = secureContextExemptHosts
        self.prefixesRequireCryptographicScheme = prefixesRequireCryptographicScheme
        self.hostPrefixRequiresPathAttribute = hostPrefixRequiresPathAttribute
        self.thirdPartyCookies = thirdPartyCookies; self.thirdPartyBlockReason = thirdPartyBlockReason
        self.honorsPartitioned = honorsPartitioned; self.schemefulSameSite = schemefulSameSite
        self.sameSiteConsidersRedirectChain = sameSiteConsidersRedirectChain; self.maxLifetime = maxLifetime
    }

    /// The same policy under another name with a different third-party rule (private modes, settings).
    public func variant(_ name: String, thirdPartyCookies: ThirdPartyCookiePolicy,
                        reason: ThirdPartyBlockReason = .userPreferences) -> CookiePolicy {
        CookiePolicy(name: name, family: family, modelledVersion: modelledVersion, laxByDefault: laxByDefault,
                     laxAllowUnsafeWindow: laxAllowUnsafeWindow, requireSecureForSameSiteNone: requireSecureForSameSiteNone,
                     secureContextExemptHosts: secureContextExemptHosts,
                     prefixesRequireCryptographicScheme: prefixesRequireCryptographicScheme,
                     hostPrefixRequiresPathAttribute: hostPrefixRequiresPathAttribute,
                     thirdPartyCookies: thirdPartyCookies, thirdPartyBlockReason: reason,
                     honorsPartitioned: honorsPartitioned, schemefulSameSite: schemefulSameSite,
                     sameSiteConsidersRedirectChain: sameSiteConsidersRedirectChain, maxLifetime: maxLifetime)
    }

    /// Loopback hosts per secure-contexts#is-origin-trustworthy, as both Chromium and Gecko match them.
    static let loopback = ["localhost", "*.localhost", "127.0.0.0/8", "[::1]"]

    // MARK: Chromium (Chrome, Edge)

    /// Chrome with default settings: third-party cookies allowed.
    public static let chrome = CookiePolicy(
        name: "chrome", family: .chromium,
        modelledVersion: "Chromium 156 (net/cookies at chromium/chromium b55f2f1f, 2025; defaults re-checked against Debian chromium 156.0.8078.108)",
        // cookie_base.cc GetEffectiveSameSite: UNSPECIFIED → LAX_MODE (non-legacy access semantics).
        laxByDefault: true,
        // canonical_cookie.cc GetLaxAllowUnsafeThresholdAge: kLaxAllowUnsafeMaxAge = 2 min (cookie_constants.cc);
        // net/base/features.cc kSameSiteDefaultChecksMethodRigorously and kShortLaxAllowUnsafeThreshold are disabled by default.
        laxAllowUnsafeWindow: 120,
        // cookie_base.cc IsSetPermittedInContext/IncludeForRequestURL: EXCLUDE_SAMESITE_NONE_INSECURE.
        requireSecureForSameSiteNone: true,
        // cookie_util.cc ProvisionalAccessScheme: IsLocalhost(url) → kTrustworthy (localhost, *.localhost, 127/8, ::1).
        secureContextExemptHosts: loopback,
        // cookie_util.cc IsCookiePrefixValid / HasValidHostPrefixAttributes: url.SchemeIsCryptographic().
        prefixesRequireCryptographicScheme: true,
        // cookie_util.cc HasValidHostPrefixAttributes: the Path attribute string must be "/".
        hostPrefixRequiresPathAttribute: true,
        // components/content_settings cookie_settings.cc RegisterProfilePrefs: kCookieControlsMode = kIncognitoOnly.
        thirdPartyCookies: .allow,
        // cookie_util.cc IsCookiePartitionedValid + services/network cookie_settings.cc IsCookieAllowed (partitioned state).
        honorsPartitioned: true,
        // net/base/features.cc kSchemefulSameSite enabled by default; SiteForCookies compares schemefully.
        schemefulSameSite: true,
        // net/base/features.cc kCookieSameSiteConsidersRedirectChain disabled by default (cookie_util.cc use_strict).
        sameSiteConsidersRedirectChain: false)

    /// Chrome Incognito: third-party cookies blocked (kCookieControlsMode kIncognitoOnly), reported
    /// as EXCLUDE_USER_PREFERENCES; `Partitioned` cookies still allowed.
    public static let chromeIncognito = chrome.variant("chrome-incognito", thirdPartyCookies: .block)
    /// Chrome with "Block third-party cookies" chosen in settings (kCookieControlsMode kBlockThirdParty).
    public static let chromeBlockThirdParty = chrome.variant("chrome-block-third-party", thirdPartyCookies: .block)
    /// Chrome in third-party-cookie deprecation mode (tracking protection, or the
    /// `--test-third-party-cookie-phaseout` switch): reported as EXCLUDE_THIRD_PARTY_PHASEOUT.
    public static let chromeThirdPartyPhaseout = chrome.variant("chrome-3pcd", thirdPartyCookies: .block, reason: .phaseout)

    /// Edge shares Chromium's cookie code; its tracking prevention (tracker lists) is not modelled.
    public static let edge = chrome.variant("edge", thirdPartyCookies: .allow)

    // MARK: Gecko (Firefox)

    /// Firefox with default settings: Total Cookie Protection (cookieBehavior 5).
    public static let firefox = CookiePolicy(
        name: "firefox", family: .gecko,
        modelledVersion: "Firefox 153 ESR (defaults from the installed firefox-esr 153.8.0 omni.ja; code from mozilla-firefox/firefox netwerk/cookie/CookieParser.cpp and StaticPrefList.yaml 14565d2c)",
        // StaticPrefList.yaml network.cookie.sameSite.laxByDefault = false.
        laxByDefault: false,
        // StaticPrefList.yaml network.cookie.sameSite.laxPlusPOST.timeout = 120 applies only with laxByDefault.
        laxAllowUnsafeWindow: nil,
        // StaticPrefList.yaml network.cookie.sameSite.noneRequiresSecure = true (CookieParser.cpp RejectedNoneRequiresSecure).
        requireSecureForSameSiteNone: true,
        // CookieParser.cpp potentiallyTrustworthy = nsMixedContentBlocker::IsPotentiallyTrustworthyOrigin (loopback hosts).
        secureContextExemptHosts: loopback,
        // CookieParser.cpp CheckPrefixes(…, potentiallyTrustworthy): a trustworthy http://localhost suffices.
        prefixesRequireCryptographicScheme: false,
        // CookieParser.cpp CheckPrefixes: the resulting path must be "/", no attribute needed.
        hostPrefixRequiresPathAttribute: false,
        // browser/app/profile/firefox.js network.cookie.cookieBehavior = 5 (BEHAVIOR_REJECT_TRACKER_AND_PARTITION_FOREIGN).
        thirdPartyCookies: .partitionedByTopLevelSite,
        // StaticPrefList.yaml network.cookie.CHIPS.enabled = true (CookieParser.cpp RejectedPartitionedRequiresSecure).
        honorsPartitioned: true,
        // StaticPrefList.yaml network.cookie.sameSite.schemeful = @IS_NIGHTLY_BUILD@ (off in release/ESR).
        schemefulSameSite: false,
        // necko.properties CookieBlockedCrossSiteRedirect: Lax/Strict cookies omitted after a cross-site redirect.
        sameSiteConsidersRedirectChain: true)

    /// Firefox private browsing: cookieBehavior.pbmode = 5 as well (firefox.js); a separate,
    /// ephemeral jar (use a separate `CookieJar`).
    public static let firefoxPrivate = firefox.variant("firefox-private", thirdPartyCookies: .partitionedByTopLevelSite)
    /// Firefox with the custom setting "All cross-site cookies" blocked (cookieBehavior 1,
    /// nsICookieService BEHAVIOR_REJECT_FOREIGN; console `CookieRejectedThirdParty`).
    public static let firefoxBlockThirdParty = firefox.variant("firefox-block-third-party", thirdPartyCookies: .block)

    // MARK: WebKit (Safari)

    /// Safari with default settings: full third-party cookie blocking (ITP).
    public static let safari = CookiePolicy(
        name: "safari", family: .webkit,
        modelledVersion: "Safari 26.2 (WebKit NetworkStorageSession.cpp 2025; CFNetwork behaviour from WebKit PRs and MDN BCD, not from source)",
        // WebKit PR #38979 (2025-01): "cookies were SameSite=Lax by default, which is no longer the case" (CFNetwork).
        laxByDefault: false,
        // Not applied without lax-by-default.
        laxAllowUnsafeWindow: nil,
        // Unverified: CFNetwork is closed source; modelled as accepting SameSite=None without Secure.
        requireSecureForSameSiteNone: false,
        // WebKit bug 281149, MDN browser-compat-data #28461: no localhost exception for Secure cookies.
        secureContextExemptHosts: [],
        // Moot without a localhost exception; RFC 6265bis §5.7 steps 20–21.
        prefixesRequireCryptographicScheme: true,
        // RFC 6265bis §5.7 step 21 ("contains an attribute with an attribute-name of Path").
        hostPrefixRequiresPathAttribute: true,
        // NetworkStorageSession.cpp thirdPartyCookieBlockingDecisionForRequest: ThirdPartyCookieBlockingMode::All
        // (webkit.org/blog/10218, Safari 13.1) unless the first party granted storage access.
        thirdPartyCookies: .block,
        // Safari 26.2 release notes (MDN browser-compat-data #28470): partitioned cookies supported
        // (NetworkStorageSession.cpp ThirdPartyCookieBlockingDecision::AllExceptPartitioned).
        honorsPartitioned: true,
        // RegistrableDomain comparison in NetworkStorageSession.cpp ignores the scheme.
        schemefulSameSite: false,
        // Not known to consider the redirect chain (open question in docs/COOKIES.md).
        sameSiteConsidersRedirectChain: false)

    /// Safari Private Browsing: the same third-party blocking in an ephemeral session.
    public static let safariPrivate = safari.variant("safari-private", thirdPartyCookies: .block)

    /// Every selectable policy.
    public static let all: [CookiePolicy] = [
        .chrome, .chromeIncognito, .chromeBlockThirdParty, .chromeThirdPartyPhaseout, .edge,
        .firefox, .firefoxPrivate, .firefoxBlockThirdParty, .safari, .safariPrivate,
    ]

    /// The policy called `name` (`chrome-incognito` …), nil when unknown.
    public static func named(_ name: String) -> CookiePolicy? { all.first { $0.name == name } }

    /// The default-settings policy of a browser.
    public static func `default`(for browser: Browser) -> CookiePolicy {
        browser.profile.cookies
    }

    /// Whether `url` counts as a secure connection for `Secure` cookies under this policy.
    public func isSecure(_ url: WebURL) -> Bool {
        if url.scheme == "https" || url.scheme == "wss" { return true }
        guard let host = url.host else { return false }
        return CookieHosts.matches(host, patterns: secureContextExemptHosts)
    }

    /// Whether `url` has a cryptographic scheme (what Chromium requires for cookie prefixes).
    public func isCryptographic(_ url: WebURL) -> Bool { url.scheme == "https" || url.scheme == "wss" }
}
