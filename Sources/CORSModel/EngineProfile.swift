/// The browsers cors-harness reports on.
public enum Browser: String, CaseIterable, Sendable, Codable, Comparable {
    case chrome, edge, firefox, safari
    /// Variants with another cookie policy (issue: credentials end to end). They run only when
    /// selected (`--browsers`) or named by a case's `browsers:`.
    case chromeIncognito = "chrome-incognito", chromeBlockThirdParty = "chrome-block-third-party",
         firefoxPrivate = "firefox-private", firefoxBlockThirdParty = "firefox-block-third-party", safariPrivate = "safari-private"

    /// The four browsers a run covers unless told otherwise.
    public static let defaultSet: [Browser] = [.chrome, .edge, .firefox, .safari]

    public var profile: EngineProfile {
        switch self {
        case .chrome: return .chrome
        case .edge: return .edge
        case .firefox: return .firefox
        case .safari: return .safari
        case .chromeIncognito: return EngineProfile.chrome.with(browser: self, displayName: "Chrome (Incognito)", cookies: .chromeIncognito)
        case .chromeBlockThirdParty: return EngineProfile.chrome.with(browser: self, displayName: "Chrome (third-party cookies blocked)", cookies: .chromeBlockThirdParty)
        case .firefoxPrivate: return EngineProfile.firefox.with(browser: self, displayName: "Firefox (private window)", cookies: .firefoxPrivate)
        case .firefoxBlockThirdParty: return EngineProfile.firefox.with(browser: self, displayName: "Firefox (cross-site cookies blocked)", cookies: .firefoxBlockThirdParty)
        case .safariPrivate: return EngineProfile.safari.with(browser: self, displayName: "Safari (private window)", cookies: .safariPrivate)
        }
    }

    public static func < (a: Browser, b: Browser) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

public enum EngineFamily: String, Sendable, Codable {
    case chromium, gecko, webkit
}

/// What a redirect with an empty `Location` value does.
/// Request bodies that are streams (fetch#concept-body-source null).
public enum StreamUploads: String, Sendable {
    /// As the spec says: the stream is sent; a redirect other than 303 fails. Chromium, which needs
    /// HTTP/2 or HTTP/3 for it (over HTTP/1.1: net::ERR_ALPN_NEGOTIATION_FAILED).
    case spec
    /// Gecko has no streaming uploads: the Request constructor turns the stream into the string
    /// `[object ReadableStream]`, an ordinary body that redirects replay (Firefox 153, verify).
    case stringified
    /// WebKit rejects the fetch before sending: NotSupportedError "ReadableStream uploading is not
    /// supported" (WebKitGTK 2.50, verify).
    case unsupported
}

public enum EmptyLocationRule: String, Sendable, Hashable {
    /// Parse "" against the response URL: the same URL again (spec; Gecko loops to the redirect limit).
    case follow
    /// Treat it as no Location: the 3xx response goes to script (Chromium).
    case returnResponse
    /// A network error with no console line (WebKit).
    case failSilently
}

/// How an engine reads `Access-Control-Max-Age` (fetch#cors-preflight-fetch-0 says: invalid → 5 s).
public enum MaxAgeRule: Sendable, Hashable {
    /// Chromium `preflight_result.cc`: absent/unparsable → 5 s, negative → 0.
    case chromium
    /// Gecko `nsCORSListenerProxy.cpp`: absent/empty → 5 s, anything but ASCII digits → not cached, 0 → not cached.
    case gecko
    /// WebKit `CrossOriginPreflightResultCache.cpp`: absent/unparsable → 5 s, signed (a leading `+` accepted), negative → expired.
    case webkit
}

/// Everything that differs between engines, as data. The algorithm in `Fetch` reads these and
/// nothing else, so an engine quirk is a change here (and in `Messages/`), not in the algorithm.
public struct EngineProfile: Sendable, Hashable {
    public private(set) var browser: Browser
    public let family: EngineFamily
    public private(set) var displayName: String
    /// The engine version whose behaviour and message texts this profile reproduces.
    public let modelledVersion: String
    /// Where the rules were read.
    public let source: String

    public let maxAgeRule: MaxAgeRule
    /// UA cap on max-age (fetch#cors-preflight-fetch-0 "imposed limit").
    public let maxAgeCap: Int
    /// Entries the preflight cache holds at most (documented; the corpus never fills it).
    public let preflightCacheCapacity: Int?
    /// Chromium does not cache preflights for URLs of 1024 characters or more (`preflight_cache.cc`).
    public let preflightCacheMaxURLLength: Int?
    /// Chromium and WebKit store one preflight result per (origin, URL) and a new preflight replaces
    /// it; Gecko (and the spec, fetch#concept-cache-create-entry) refresh entries per method/header.
    public let preflightCacheReplacesResult: Bool
    /// Spec: `Access-Control-Allow-Headers: *` never covers `Authorization`
    /// (fetch#cors-non-wildcard-request-header-name). All three engines still let it through (observed).
    public let wildcardCoversAuthorization: Bool
    /// Gecko warns when it lets `Authorization` through on a `*` (pref `network.cors_preflight.authorization_covered_by_wildcard`).
    public let warnsWhenWildcardCoversAuthorization: Bool
    /// WebKit `validatePreflightResponse` checks the status before ACAO/ACAC; Chromium and Gecko check ACAO/ACAC first.
    public let preflightStatusBeforeAccessCheck: Bool
    /// Chromium and WebKit parse both ACAM and ACAH before matching; Gecko parses ACAH only after the method matched.
    public let preflightParsesBothListsFirst: Bool
    /// `Range: bytes=N-[M]` is safelisted (spec; all three engines observed: s60).
    public let safelistsRange: Bool
    /// Gecko keys preflight-cache entries by the credentials flag, so an entry stored by a credentialed
    /// request does not serve an uncredentialed one (nsPreflightCache; observed s61). The spec and
    /// Chromium/WebKit let a credentialed entry serve both.
    public let preflightCacheKeyedByCredentials: Bool
    /// Several different `Location` lines: Chromium (ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION) and Gecko fail;
    /// WebKit follows the joined value as one URL (observed s69).
    public let multipleLocationsFail: Bool

    // Behaviours observed in round 3 (docs/engine-observations.md); defaults follow the spec.

    /// Chromium and WebKit combine repeated fetch header entries (`a, b`) before the safelist check;
    /// the spec and Gecko check each entry (s81).
    public var combinesRepeatedRequestHeaders = false
    /// After the actual response of a preflighted request fails the CORS check, the spec and Gecko
    /// clear the URL's preflight-cache entries; Chromium and WebKit keep them (s95).
    public var clearsPreflightCacheAfterActualFailure = true
    /// Gecko and WebKit decide once, from the request as the script made it, that it needs preflights:
    /// every later cross-origin hop is preflighted even when a redirect removed what made it unsafe (s105, s108).
    public var preflightDecidedOnce = false
    /// WebKit's later preflights still list the original request's unsafe header names (s105, s108).
    public var preflightListsOriginalHeaders = false
    /// Gecko's preflight carries (and is checked against) the page's origin even after a redirect tainted the request (s104, s108).
    public var preflightUsesUntaintedOrigin = false
    /// What an empty `Location` does: the spec follows it (to the same URL); Chromium returns the 3xx to
    /// script; WebKit fails without a console line (s102).
    public var emptyLocation: EmptyLocationRule = .follow
    /// Request headers the engine refuses beyond the spec's list (Chromium: `User-Agent`, s115).
    public var extraForbiddenRequestHeaders: [String] = []
    /// Statuses the browser's HTTP cache keeps fresh forever when the response says nothing about
    /// freshness. Chromium: 300, 301, 308, 410 (net/http/http_response_headers.cc); so a 301 loop is
    /// followed from the cache after the first request (seen in Chromium 156 by `cors-harness verify`).
    /// Firefox and WebKitGTK were seen to ask the server on every hop.
    public var implicitlyFreshStatuses: [Int] = []
    /// What the engine does with a `ReadableStream` request body (fetch upload streaming).
    public var streamUploads: StreamUploads = .spec
    /// Chromium preflights every streaming upload, safelisted or not (seen in Chromium 156 by
    /// `cors-harness verify`: an OPTIONS before a POST with only safelisted headers).
    public var preflightsStreamUploads = false
    /// Gecko keys its HTTP cache also by whether credentials are included (see Fetch.cachePartition).
    public var httpCacheKeyedByCredentials = false
    /// Gecko's `Access-Control-Request-Headers` names an unsafe header once per entry of the request's
    /// header list, repeats included (`x-a,x-a,x-b`); the spec lists each name once (seen in Firefox 153
    /// by `cors-harness verify`, case wpt-p5-fetch-duplicate-names-listed-once).
    public var requestHeadersListRepeats = false
    /// Whether the referrer policy can turn a non-CORS request's `Origin` into `null` (spec; Chromium ignores it, s125).
    public var originFollowsReferrerPolicy = true
    /// fetch#cors-unsafe-request-header-names: the 1024-byte total of safelisted values (Chromium applies it).
    public let safelistedValueTotalLimit: Int?
    /// Extra request headers the engine safelists (Chromium: client hints, `cors.cc`). Arrays, not
    /// sets: a handful of names is found faster by comparing than by hashing (the bench shows it).
    public let extraSafelistedRequestHeaders: [String]
    /// fetch#http-redirect-fetch: 20 redirects are followed, the 21st fails.
    public let redirectLimit: Int
    /// Cookie policy: SameSite defaults, Secure exemptions, third-party blocking or partitioning (docs/COOKIES.md).
    public var cookies: CookiePolicy = .chrome

    /// The same engine with another cookie policy (a private window, a user setting).
    func with(browser: Browser, displayName: String, cookies: CookiePolicy) -> EngineProfile {
        var p = self
        p.browser = browser
        p.displayName = displayName
        p.cookies = cookies
        return p
    }

    public static let chrome = EngineProfile.chromium(.chrome, displayName: "Chrome", cookies: .chrome)
    public static let edge = EngineProfile.chromium(.edge, displayName: "Edge", cookies: .edge)

    static func chromium(_ browser: Browser, displayName: String, cookies: CookiePolicy) -> EngineProfile {
        var p = EngineProfile(
            browser: browser, family: .chromium, displayName: displayName,
            modelledVersion: "Chromium 156 (checked against Debian chromium 156.0.8078.108; texts from cors_error_string.cc M145)",
            source: "chromium/chromium services/network/public/cpp/cors/cors.cc, services/network/cors/preflight_result.cc, third_party/blink/renderer/platform/loader/cors/cors_error_string.cc",
            maxAgeRule: .chromium, maxAgeCap: 7200, preflightCacheCapacity: 1024, preflightCacheMaxURLLength: 1024,
            preflightCacheReplacesResult: true,
            // Spec: `*` never covers Authorization (fetch#cors-non-wildcard-request-header-name). Chromium 156
            // lets it through with no console line (docs/engine-observations.md s16).
            wildcardCoversAuthorization: true, warnsWhenWildcardCoversAuthorization: false,
            preflightStatusBeforeAccessCheck: false, preflightParsesBothListsFirst: true,
            safelistsRange: true, preflightCacheKeyedByCredentials: false, multipleLocationsFail: true, safelistedValueTotalLimit: 1024,
            // cors.cc IsCorsSafelistedHeader: client hints (sec-ch-* are forbidden names anyway).
            extraSafelistedRequestHeaders: ["device-memory", "dpr", "width", "viewport-width", "rtt", "downlink", "ect", "save-data"],
            redirectLimit: 20)
        p.cookies = cookies
        p.combinesRepeatedRequestHeaders = true
        p.clearsPreflightCacheAfterActualFailure = false
        p.emptyLocation = .returnResponse
        p.extraForbiddenRequestHeaders = ["user-agent"]
        p.originFollowsReferrerPolicy = false
        p.implicitlyFreshStatuses = [300, 301, 308, 410]
        p.preflightsStreamUploads = true
        return p
    }

    public static let firefox: EngineProfile = {
        var p = EngineProfile(
        browser: .firefox, family: .gecko, displayName: "Firefox",
        modelledVersion: "Firefox 153 ESR (checked against Debian firefox-esr 153.8.0esr; texts from security.properties 2025)",
        source: "mozilla/gecko-dev netwerk/protocol/http/nsCORSListenerProxy.cpp, dom/locales/en-US/chrome/security/security.properties",
        maxAgeRule: .gecko, maxAgeCap: 86400, preflightCacheCapacity: 100, preflightCacheMaxURLLength: nil,
        preflightCacheReplacesResult: false,
        wildcardCoversAuthorization: true, warnsWhenWildcardCoversAuthorization: true,
        preflightStatusBeforeAccessCheck: false, preflightParsesBothListsFirst: false,
        // Range is safelisted since Firefox 117 (bug 1733981), observed in 153 (s60).
        safelistsRange: true, preflightCacheKeyedByCredentials: true, multipleLocationsFail: true, safelistedValueTotalLimit: nil,
        extraSafelistedRequestHeaders: [],
        redirectLimit: 20)
        p.cookies = .firefox
        p.preflightDecidedOnce = true
        p.preflightUsesUntaintedOrigin = true
        p.requestHeadersListRepeats = true
        p.httpCacheKeyedByCredentials = true
        p.streamUploads = .stringified
        return p
    }()

    public static let safari: EngineProfile = {
        var p = EngineProfile(
        browser: .safari, family: .webkit, displayName: "Safari",
        modelledVersion: "WebKit of Safari 26 (checked against WebKitGTK 2.50.6; texts from CrossOriginAccessControl.cpp 2025)",
        source: "WebKit/WebKit Source/WebCore/loader/CrossOriginAccessControl.cpp, CrossOriginPreflightResultCache.cpp, Source/WebKit/NetworkProcess/NetworkLoadChecker.cpp",
        maxAgeRule: .webkit, maxAgeCap: 600, preflightCacheCapacity: nil, preflightCacheMaxURLLength: nil,
        preflightCacheReplacesResult: true,
        wildcardCoversAuthorization: true, warnsWhenWildcardCoversAuthorization: false,
        preflightStatusBeforeAccessCheck: true, preflightParsesBothListsFirst: true,
        safelistsRange: true, preflightCacheKeyedByCredentials: false, multipleLocationsFail: false, safelistedValueTotalLimit: nil,
        extraSafelistedRequestHeaders: [],
        redirectLimit: 20)
        p.cookies = .safari
        p.combinesRepeatedRequestHeaders = true
        p.clearsPreflightCacheAfterActualFailure = false
        p.preflightDecidedOnce = true
        p.preflightListsOriginalHeaders = true
        p.emptyLocation = .failSilently
        p.streamUploads = .unsupported
        return p
    }()

    /// Seconds a successful preflight may be cached, or nil when the engine does not cache it.
    public func preflightMaxAge(_ headers: HeaderList) -> Int? {
        guard let raw = headers.get("access-control-max-age") else { return 5 }
        switch maxAgeRule {
        case .chromium:
            guard let v = Int64(raw) else { return 5 }
            return Int(max(0, min(v, Int64(maxAgeCap))))
        case .gecko:
            if raw.isEmpty { return 5 }
            guard raw.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            let v = UInt64(raw) ?? UInt64.max
            if v == 0 { return nil }
            return Int(min(v, UInt64(maxAgeCap)))
        case .webkit:
            let digits = raw.hasPrefix("+") ? String(raw.dropFirst()) : raw
            guard let v = Int64(digits) else { return 5 }
            return Int(max(0, min(v, Int64(maxAgeCap))))
        }
    }
}
