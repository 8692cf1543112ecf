import Testing
@testable import CORSModel

/// 2026-01-01T00:00:00Z, the clock of the cookie tests (seconds since the Unix epoch).
let cookieNow: Double = 1_767_225_600

func parsed(_ line: String, _ from: String = "https://api.myapp.com/v1/login", now: Double = cookieNow) -> ParsedSetCookie? {
    if case let .parsed(p) = SetCookie.parse(line, requestURL: url(from), now: now) { return p }
    return nil
}

@Suite struct SetCookieParseTests {
    @Test func nameValueSplitAndTrimming() {
        let c = parsed("  sid = abc def ; Path=/")!.cookie
        #expect(c.name == "sid" && c.value == "abc def")
        // No '=': empty name, the whole pair is the value (§5.6 step 3).
        let nameless = parsed("justavalue")!.cookie
        #expect(nameless.name == "" && nameless.value == "justavalue")
        // Only the first '=' splits.
        #expect(parsed("a=b=c")!.cookie.value == "b=c")
        #expect(parsed("a=")!.cookie.value == "")
    }

    @Test func everyAttribute() {
        let p = parsed("id=1; Domain=.MyApp.com; Path=/api; Max-Age=60; Secure; HttpOnly; SameSite=Strict; Partitioned")!
        let c = p.cookie
        #expect(c.domain == "myapp.com" && !c.hostOnly)
        #expect(p.domainAttribute == "myapp.com")
        #expect(c.path == "/api" && p.pathAttribute == "/api")
        #expect(c.expiry == cookieNow + 60 && p.persistent)
        #expect(c.secure && c.httpOnly && c.partitioned)
        #expect(c.sameSite == .strict)
        #expect(c.creation == cookieNow)
        #expect(c.partitionKey == nil)   // partitions are assigned by the jar
    }

    @Test func attributeNamesAndSameSiteValuesAreCaseInsensitive() {
        let c = parsed("a=1; sEcUrE; HTTPONLY; samesite=lAx; PATH=/x")!.cookie
        #expect(c.secure && c.httpOnly && c.sameSite == .lax && c.path == "/x")
        #expect(parsed("a=1; SameSite=NONE")!.cookie.sameSite == .none)
    }

    @Test func defaultsWithoutAttributes() {
        let c = parsed("a=1", "https://api.myapp.com/v1/login")!.cookie
        #expect(c.domain == "api.myapp.com" && c.hostOnly)
        #expect(c.path == "/v1")                 // default-path: up to the right-most '/'
        #expect(c.expiry == nil)                 // session cookie
        #expect(!c.secure && !c.httpOnly && !c.partitioned)
        #expect(c.sameSite == .unspecified)
    }

    @Test func defaultPathAlgorithm() {
        #expect(CookiePaths.defaultPath(of: url("https://h.example/")) == "/")
        #expect(CookiePaths.defaultPath(of: url("https://h.example/login")) == "/")
        #expect(CookiePaths.defaultPath(of: url("https://h.example/a/b/c")) == "/a/b")
        #expect(CookiePaths.defaultPath(of: url("https://h.example/a/b/")) == "/a/b")
        #expect(CookiePaths.defaultPath(of: url("https://h.example/a/b?x=/y/z")) == "/a")
        // A Path attribute that does not start with '/' falls back to the default-path.
        #expect(parsed("a=1; Path=foo", "https://h.example/a/b")!.cookie.path == "/a")
        #expect(parsed("a=1; Path=", "https://h.example/a/b")!.cookie.path == "/a")
    }

    @Test func pathMatch() {
        #expect(CookiePaths.matches("/api", cookiePath: "/api"))
        #expect(CookiePaths.matches("/api/users", cookiePath: "/api"))
        #expect(CookiePaths.matches("/api/users", cookiePath: "/api/"))
        #expect(!CookiePaths.matches("/apiv2", cookiePath: "/api"))
        #expect(!CookiePaths.matches("/ap", cookiePath: "/api"))
        #expect(CookiePaths.matches("/anything", cookiePath: "/"))
        #expect(!CookiePaths.matches("/API", cookiePath: "/api"))   // case-sensitive
    }

    @Test func domainLeadingDotAndEmptyDomain() {
        #expect(parsed("a=1; Domain=.myapp.com")!.domainAttribute == "myapp.com")
        #expect(parsed("a=1; Domain=myapp.com")!.domainAttribute == "myapp.com")
        let empty = parsed("a=1; Domain=")!
        #expect(empty.domainAttribute == nil && empty.cookie.hostOnly)
        // The last Domain attribute wins.
        #expect(parsed("a=1; Domain=other.io; Domain=myapp.com")!.domainAttribute == "myapp.com")
    }

    @Test func maxAgeOverridesExpiresWhateverTheOrder() {
        let a = parsed("a=1; Max-Age=10; Expires=Wed, 01 Jan 2031 00:00:00 GMT")!.cookie
        let b = parsed("a=1; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Max-Age=10")!.cookie
        #expect(a.expiry == cookieNow + 10 && b.expiry == cookieNow + 10)
        // An invalid Max-Age is ignored, so Expires applies.
        let c = parsed("a=1; Max-Age=1x; Expires=Thu, 01 Jan 2026 01:00:00 GMT")!
        #expect(c.cookie.expiry == cookieNow + 3600)
        #expect(c.ignored.contains(IgnoredCookieAttribute(name: "Max-Age", why: .invalidMaxAge)))
    }

    @Test func maxAgeZeroOrNegativeIsAlreadyExpired() {
        #expect(parsed("a=1; Max-Age=0")!.cookie.isExpired(at: cookieNow))
        #expect(parsed("a=1; Max-Age=-5")!.cookie.isExpired(at: cookieNow))
        #expect(!parsed("a=1; Max-Age=1")!.cookie.isExpired(at: cookieNow))
        #expect(parsed("a=1; Max-Age=+5")!.cookie.expiry == nil)   // '+' is not a DIGIT or '-': ignored
    }

    @Test func lifetimeIsCappedAt400Days() {
        let c = parsed("a=1; Max-Age=999999999999")!.cookie
        #expect(c.expiry == cookieNow + 34_560_000)
        let d = parsed("a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT")!.cookie
        #expect(d.expiry == cookieNow + 34_560_000)
    }

    @Test func cookieDateFormats() {
        let t: Double = 1_623_233_894   // 2021-06-09T10:18:14Z
        #expect(CookieDate.parse("Wed, 09 Jun 2021 10:18:14 GMT") == t)           // RFC 1123
        #expect(CookieDate.parse("Wednesday, 09-Jun-21 10:18:14 GMT") == t)       // RFC 850
        #expect(CookieDate.parse("Wed Jun  9 10:18:14 2021") == t)                // asctime
        #expect(CookieDate.parse("09 June 2021 10:18:14") == t)                   // month prefix, no weekday
        #expect(CookieDate.parse("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(CookieDate.parse("Thu, 01-Jan-70 00:00:01 GMT") == 1)             // 70–99 → 19xx
        #expect(CookieDate.parse("Sat, 01-Jan-00 00:00:00 GMT") == 946_684_800)   // 00–69 → 20xx
        #expect(CookieDate.parse("Wed, 09 Jun 2021") == nil)                      // no time
        #expect(CookieDate.parse("Wed, 32 Jun 2021 10:18:14 GMT") == nil)         // day > 31
        #expect(CookieDate.parse("Wed, 31 Jun 2021 10:18:14 GMT") == nil)         // no such date
        #expect(CookieDate.parse("Wed, 09 Jun 2021 24:00:00 GMT") == nil)         // hour > 23
        #expect(CookieDate.parse("Wed, 09 Jun 1600 10:18:14 GMT") == nil)         // year < 1601
        #expect(CookieDate.parse("tomorrow") == nil)
    }

    @Test func unparsableExpiresIsIgnored() {
        let p = parsed("a=1; Expires=soon")!
        #expect(p.cookie.expiry == nil && !p.persistent)
        #expect(p.ignored == [IgnoredCookieAttribute(name: "Expires", why: .unparsableDate)])
    }

    @Test func pastExpiresIsExpired() {
        #expect(parsed("a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT")!.cookie.isExpired(at: cookieNow))
    }

    @Test func unknownSameSiteBecomesUnspecified() {
        let p = parsed("a=1; SameSite=Extended")!
        #expect(p.cookie.sameSite == .unspecified)
        #expect(p.ignored == [IgnoredCookieAttribute(name: "SameSite", why: .unknownSameSite)])
        // The last SameSite wins, even an unknown one.
        #expect(parsed("a=1; SameSite=None; SameSite=bogus")!.cookie.sameSite == .unspecified)
    }

    @Test func sizeLimits() {
        let name = String(repeating: "n", count: 96)
        #expect(parsed(name + "=" + String(repeating: "v", count: 4000)) != nil)                 // exactly 4096
        let big = SetCookie.parse(name + "=" + String(repeating: "v", count: 4001), requestURL: url("https://h.example/"), now: cookieNow)
        #expect(big.rejection == .nameValuePairExceedsMaxSize)
        // An attribute value over 1024 bytes is ignored, the cookie kept.
        let longPath = "/" + String(repeating: "p", count: 1024)
        let p = parsed("a=1; Path=" + longPath, "https://h.example/x/y")!
        #expect(p.cookie.path == "/x")
        #expect(p.ignored == [IgnoredCookieAttribute(name: "Path", why: .valueTooLong)])
        #expect(parsed("a=1; Path=" + String(longPath.dropLast()), "https://h.example/x/y")!.cookie.path.count == 1024)
    }

    @Test func controlCharactersRejectTheLine() {
        func reason(_ s: String) -> CookieReason? { SetCookie.parse(s, requestURL: url("https://h.example/"), now: cookieNow).rejection }
        #expect(reason("a\u{01}b=1") == .disallowedCharacterInName)
        #expect(reason("a=1\u{7F}") == .disallowedCharacterInValue)
        #expect(reason("a=1; Path=/\u{0B}") == .disallowedCharacterInAttributes)
        #expect(reason("a=1\tb") == nil)   // HTAB is allowed
    }

    @Test func emptyNameAndValueIsRejected() {
        let r = SetCookie.parse("=", requestURL: url("https://h.example/"), now: cookieNow)
        #expect(r.rejection == .noCookieContent)
        #expect(SetCookie.parse("; Secure", requestURL: url("https://h.example/"), now: cookieNow).rejection == .noCookieContent)
    }

    @Test func onlyHTTPSchemesSetCookies() {
        #expect(SetCookie.parse("a=1", requestURL: url("data:text/plain,x"), now: cookieNow).rejection == .schemeNotSupported)
        #expect(SetCookie.parse("a=1", requestURL: url("ws://h.example/"), now: cookieNow).cookie != nil)
    }

    @Test func unknownAttributesAreIgnored() {
        let p = parsed("a=1; Priority=High; Comment=x")!
        #expect(p.ignored.map(\.why) == [.unknownAttribute, .unknownAttribute])
    }

    @Test func cookieHeaderSerialization() {
        let a = Cookie(name: "a", value: "1", domain: "h"), b = Cookie(name: "b", value: "2", domain: "h")
        let nameless = Cookie(name: "", value: "v", domain: "h"), empty = Cookie(name: "e", value: "", domain: "h")
        #expect(CookieJar.cookieHeader([a, b]) == "a=1; b=2")
        #expect(CookieJar.cookieHeader([nameless, empty]) == "v; e=")
        #expect(CookieJar.cookieHeader([]) == nil)
    }
}
