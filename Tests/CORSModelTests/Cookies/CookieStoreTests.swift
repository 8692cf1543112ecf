import Testing
@testable import CORSModel

func cookieContext(_ top: String, _ request: String, method: String = "GET", navigation: Bool = false,
                   crossSiteRedirect: Bool = false, credentials: Bool = true) -> CookieContext {
    CookieContext(topLevelOrigin: origin(top), requestURL: url(request), method: method, isTopLevelNavigation: navigation,
                  crossSiteRedirect: crossSiteRedirect, credentialsIncluded: credentials)
}

/// Stores `lines` as the response to a request to `from` made by a page whose top level is `top`.
@discardableResult
func setCookies(_ jar: inout CookieJar, _ lines: [String], from: String, top: String, _ policy: CookiePolicy,
                now: Double = cookieNow, navigation: Bool = false, credentials: Bool = true) -> [CookieDecision] {
    jar.store(lines, from: url(from), context: cookieContext(top, from, navigation: navigation, credentials: credentials),
              policy: policy, now: now)
}

func setCookie(_ line: String, from: String, top: String, _ policy: CookiePolicy) -> CookieDecision {
    var jar = CookieJar()
    return setCookies(&jar, [line], from: from, top: top, policy)[0]
}

@Suite struct CookieStoreTests {
    let api = "https://api.myapp.com/v1/login"
    let app = "https://myapp.com"

    @Test func sameSiteNoneWithoutSecureIsRejectedByChromiumAndGecko() {
        let chrome = setCookie("sid=1; SameSite=None", from: api, top: app, .chrome)
        #expect(!chrome.stored && chrome.reasons == [.sameSiteNoneInsecure])
        #expect(chrome.messages == [EngineCookieMessage(
            family: .chromium, identifier: "EXCLUDE_SAMESITE_NONE_INSECURE", devToolsReason: "SameSiteNoneInsecure",
            issueReason: "ExcludeSameSiteNoneInsecure",
            text: "This attempt to set a cookie via a `Set-Cookie` header was blocked because it had the \"`SameSite=None`\" attribute but did not have the \"Secure\" attribute, which is required in order to use \"`SameSite=None`\".")])

        let firefox = setCookie("sid=1; SameSite=None", from: api, top: app, .firefox)
        #expect(!firefox.stored && firefox.reason == .sameSiteNoneInsecure)
        #expect(firefox.messages.map(\.identifier) == ["CookieRejectedNonRequiresSecure2"])
        #expect(firefox.messages.first?.text == "Cookie “sid” rejected because it has the “SameSite=None” attribute but is missing the “secure” attribute.")

        // Safari (CFNetwork) is modelled as not enforcing it, and WebKit reports nothing either way.
        let safari = setCookie("sid=1; SameSite=None", from: api, top: app, .safari)
        #expect(safari.stored && safari.messages.isEmpty)

        #expect(setCookie("sid=1; SameSite=None; Secure", from: api, top: app, .chrome).stored)
    }

    @Test func secureFromLocalhostWhereTheEngineExemptsIt() {
        let local = "http://localhost:3000/login"
        for policy in [CookiePolicy.chrome, .firefox] {
            #expect(setCookie("sid=1; Secure; SameSite=None", from: local, top: "http://localhost:3000", policy).stored)
        }
        let safari = setCookie("sid=1; Secure", from: local, top: "http://localhost:3000", .safari)
        #expect(safari.reasons == [.secureOnly] && safari.messages.isEmpty)
        // Other loopback forms Chromium's IsLocalhost accepts.
        for host in ["http://127.0.0.1:8080/", "http://127.9.9.9/", "http://[::1]:3000/", "http://app.localhost/"] {
            #expect(setCookie("s=1; Secure", from: host, top: host, .chrome).stored, "\(host)")
        }
        // A plain http: host is not exempt.
        let insecure = setCookie("sid=1; Secure", from: "http://dev.myapp.com/", top: "http://dev.myapp.com", .chrome)
        #expect(insecure.reasons == [.secureOnly])
        #expect(insecure.messages.first?.text == "This attempt to set a cookie via a `Set-Cookie` header was blocked because it had the \"Secure\" attribute but was not received over a secure connection.")
        let ff = setCookie("sid=1; Secure", from: "http://dev.myapp.com/", top: "http://dev.myapp.com", .firefox)
        #expect(ff.messages.first?.text == "Cookie “sid” has been rejected because a non-HTTPS cookie can’t be set as “secure”.")
    }

    @Test func domainAttributeCoversTheParentDomain() {
        var jar = CookieJar()
        let d = setCookies(&jar, ["session=abc; Domain=.myapp.com; Path=/; Secure; SameSite=None"], from: api, top: app, .chrome)[0]
        #expect(d.stored && d.cookie?.domain == "myapp.com" && d.cookie?.hostOnly == false)
        func sent(_ to: String, _ jar: CookieJar) -> String? {
            jar.cookies(for: url(to), context: cookieContext(app, to), policy: .chrome, now: cookieNow).header
        }
        #expect(sent("https://myapp.com/", jar) == "session=abc")
        #expect(sent("https://www.myapp.com/x", jar) == "session=abc")
        #expect(sent("https://api.myapp.com/v1/me", jar) == "session=abc")
        #expect(sent("https://myapi.io/", jar) == nil)
        #expect(sent("https://notmyapp.com/", jar) == nil)
        // Without Path=/ the default-path of /v1/login is /v1: the cookie stays under /v1.
        var jar2 = CookieJar()
        setCookies(&jar2, ["session=abc; Domain=.myapp.com; Secure; SameSite=None"], from: api, top: app, .chrome)
        #expect(sent("https://api.myapp.com/v1/me", jar2) == "session=abc")
        #expect(sent("https://myapp.com/", jar2) == nil)
        #expect(jar2.cookies(for: url("https://myapp.com/"), context: cookieContext(app, "https://myapp.com/"), policy: .chrome,
                             now: cookieNow).excluded.map(\.reasons) == [[.notOnPath]])
    }

    @Test func publicSuffixAndForeignDomainsAreRejected() {
        let com = setCookie("a=1; Domain=com", from: api, top: app, .chrome)
        #expect(com.reasons == [.invalidDomain])
        #expect(com.messages.first?.devToolsReason == "InvalidDomain")
        #expect(com.messages.first?.text == "This attempt to set a cookie via a `Set-Cookie` header was blocked because its Domain attribute was invalid with regards to the current host url.")
        #expect(setCookie("a=1; Domain=com", from: api, top: app, .firefox).messages.first?.text
                == "Cookie “a” has been rejected for invalid domain.")
        #expect(setCookie("a=1; Domain=other.io", from: api, top: app, .chrome).reasons == [.invalidDomain])
        #expect(setCookie("a=1; Domain=v2.api.myapp.com", from: api, top: app, .chrome).reasons == [.invalidDomain])
        #expect(setCookie("a=1; Domain=github.io", from: "https://me.github.io/", top: "https://me.github.io", .chrome).reasons == [.invalidDomain])
        #expect(setCookie("a=1; Domain=co.uk", from: "https://shop.example.co.uk/", top: "https://shop.example.co.uk", .firefox).reasons == [.invalidDomain])
        #expect(setCookie("a=1; Domain=example.co.uk", from: "https://shop.example.co.uk/", top: "https://shop.example.co.uk", .firefox).stored)
        // A Domain equal to a host that is itself a public suffix or an IP address makes a host-only cookie.
        let localhost = setCookie("a=1; Domain=localhost", from: "http://localhost:3000/", top: "http://localhost:3000", .chrome)
        #expect(localhost.stored && localhost.cookie?.hostOnly == true)
        let ip = setCookie("a=1; Domain=127.0.0.1", from: "http://127.0.0.1/", top: "http://127.0.0.1", .chrome)
        #expect(ip.stored && ip.cookie?.hostOnly == true)
        #expect(setCookie("a=1; Domain=0.0.1", from: "http://127.0.0.1/", top: "http://127.0.0.1", .chrome).reasons == [.invalidDomain])
    }

    @Test func hostOnlyCookieIsNotSentToSubdomains() {
        var jar = CookieJar()
        setCookies(&jar, ["h=1"], from: "https://myapp.com/", top: app, .chrome)
        let root = jar.cookies(for: url("https://myapp.com/"), context: cookieContext(app, "https://myapp.com/"), policy: .chrome, now: cookieNow)
        #expect(root.header == "h=1")
        let sub = jar.cookies(for: url("https://api.myapp.com/"), context: cookieContext(app, "https://api.myapp.com/"), policy: .chrome, now: cookieNow)
        #expect(sub.sent.isEmpty)
        #expect(sub.excluded.map(\.reasons) == [[.domainMismatch]])
        #expect(sub.excluded.first?.messages.first?.devToolsReason == "DomainMismatch")
    }

    @Test func hostPrefixRules() {
        let top = app, from = "https://myapp.com/login"
        #expect(setCookie("__Host-id=1; Secure; Path=/", from: from, top: top, .chrome).stored)
        #expect(setCookie("__Host-id=1; Path=/", from: from, top: top, .chrome).reasons == [.invalidPrefix])
        #expect(setCookie("__Host-id=1; Secure; Path=/app", from: from, top: top, .chrome).reasons == [.invalidPrefix])
        #expect(setCookie("__Host-id=1; Secure; Path=/; Domain=myapp.com", from: from, top: top, .chrome).reasons == [.invalidPrefix])
        #expect(setCookie("__HOST-id=1; Path=/", from: from, top: top, .firefox).reasons == [.invalidPrefix])   // case-insensitive
        // Without a Path attribute the default-path of /login is "/": Chromium wants the attribute, Gecko the result.
        #expect(setCookie("__Host-id=1; Secure", from: from, top: top, .chrome).reasons == [.invalidPrefix])
        #expect(setCookie("__Host-id=1; Secure", from: from, top: top, .firefox).stored)
        // From http://localhost: Chromium requires a cryptographic scheme, Gecko a trustworthy one.
        let local = "http://localhost:3000/"
        #expect(setCookie("__Host-id=1; Secure; Path=/", from: local, top: "http://localhost:3000", .chrome).reasons == [.invalidPrefix])
        #expect(setCookie("__Host-id=1; Secure; Path=/", from: local, top: "http://localhost:3000", .firefox).stored)
        let m = setCookie("__Host-id=1; Path=/", from: from, top: top, .chrome).messages.first
        #expect(m?.identifier == "EXCLUDE_INVALID_PREFIX" && m?.devToolsReason == "InvalidPrefix")
        #expect(setCookie("__Host-id=1; Path=/", from: from, top: top, .firefox).messages.first?.text
                == "Cookie “__Host-id” has been rejected for invalid prefix.")
    }

    @Test func securePrefixRequiresSecure() {
        #expect(setCookie("__Secure-id=1; Secure", from: api, top: app, .chrome).stored)
        #expect(setCookie("__Secure-id=1; Secure; Domain=myapp.com", from: api, top: app, .chrome).stored)
        #expect(setCookie("__Secure-id=1", from: api, top: app, .chrome).reasons == [.invalidPrefix])
        #expect(setCookie("__secure-id=1", from: api, top: app, .safari).reasons == [.invalidPrefix])
        // A nameless cookie may not smuggle a prefix in its value.
        #expect(setCookie("__Secure-id", from: api, top: app, .chrome).reasons == [.invalidPrefix])
    }

    @Test func chromiumReportsEveryReasonOfTheFailingPhaseGeckoTheFirst() {
        let chrome = setCookie("__Host-x=1; Domain=com; Secure; Path=/", from: api, top: app, .chrome)
        #expect(chrome.reasons == [.invalidDomain, .invalidPrefix])
        #expect(chrome.messages.map(\.devToolsReason) == ["InvalidDomain", "InvalidPrefix"])
        #expect(setCookie("__Host-x=1; Domain=com; Secure; Path=/", from: api, top: app, .firefox).reasons == [.invalidDomain])
    }

    @Test func partitionedRequiresSecure() {
        let chrome = setCookie("p=1; Partitioned", from: api, top: app, .chrome)
        #expect(chrome.reasons == [.invalidPartitioned])
        #expect(chrome.messages == [EngineCookieMessage(family: .chromium, identifier: "EXCLUDE_INVALID_PARTITIONED",
                                                        devToolsReason: nil, issueReason: nil, text: nil)])
        #expect(setCookie("p=1; Partitioned", from: api, top: app, .firefox).messages.first?.text
                == "Cookie “p” has been rejected because it has the “Partitioned” attribute but is missing the “secure” attribute.")
        let ok = setCookie("p=1; Partitioned; Secure", from: api, top: app, .chrome)
        #expect(ok.stored && ok.cookie?.partitionKey == "https://myapp.com")
    }

    @Test func maxAgeZeroDeletes() {
        var jar = CookieJar()
        setCookies(&jar, ["a=1; Path=/"], from: api, top: app, .chrome)
        let other = setCookies(&jar, ["a=2; Path=/x; Max-Age=0"], from: api, top: app, .chrome)[0]
        #expect(other.outcome == .deleted && !other.replacedExisting && jar.all.count == 1)   // another path: no match
        let d = setCookies(&jar, ["a=2; Path=/; Max-Age=0"], from: api, top: app, .chrome)[0]
        #expect(d.outcome == .deleted && d.replacedExisting && d.reasons == [.expired] && d.messages.isEmpty)
        #expect(jar.isEmpty)
    }

    @Test func expiryInThePastDeletesAndNeverStores() {
        var jar = CookieJar()
        setCookies(&jar, ["a=1; Max-Age=3600"], from: "https://myapp.com/", top: app, .firefox)
        let d = setCookies(&jar, ["a=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT"], from: "https://myapp.com/", top: app, .firefox)[0]
        #expect(d.outcome == .deleted && jar.isEmpty)
        // A cookie that expires later stops being sent once its time has passed.
        setCookies(&jar, ["b=1; Max-Age=60"], from: "https://myapp.com/", top: app, .firefox)
        let ctx = cookieContext(app, "https://myapp.com/")
        #expect(jar.cookies(for: url("https://myapp.com/"), context: ctx, policy: .firefox, now: cookieNow + 59).header == "b=1")
        let later = jar.cookies(for: url("https://myapp.com/"), context: ctx, policy: .firefox, now: cookieNow + 60)
        #expect(later.sent.isEmpty && later.excluded.isEmpty)
    }

    @Test func replacementKeepsCreationTimeAndDistinctPathsCoexist() {
        var jar = CookieJar()
        setCookies(&jar, ["a=1"], from: "https://myapp.com/", top: app, .chrome, now: cookieNow)
        let r = setCookies(&jar, ["a=2"], from: "https://myapp.com/", top: app, .chrome, now: cookieNow + 100)[0]
        #expect(r.stored && r.replacedExisting)
        #expect(jar.all.count == 1 && jar.all[0].value == "2" && jar.all[0].creation == cookieNow)
        setCookies(&jar, ["a=3; Path=/api"], from: "https://myapp.com/", top: app, .chrome)
        #expect(jar.all.count == 2)
        // host-only and domain cookies of the same name are distinct too.
        setCookies(&jar, ["a=4; Domain=myapp.com"], from: "https://myapp.com/", top: app, .chrome)
        #expect(jar.all.count == 3)
    }

    @Test func insecureURLCannotOverwriteSecureCookie() {
        var jar = CookieJar()
        setCookies(&jar, ["sid=1; Secure"], from: "https://myapp.com/", top: app, .chrome)
        let d = setCookies(&jar, ["sid=evil"], from: "http://myapp.com/", top: "http://myapp.com", .chrome)[0]
        #expect(d.reasons == [.overwriteSecure])
        #expect(d.messages.first?.text == "This attempt to set a cookie via a `Set-Cookie` header was blocked because it was not sent over a secure connection and would have overwritten a cookie with the Secure attribute.")
        #expect(setCookies(&jar, ["sid=evil"], from: "http://www.myapp.com/", top: "http://www.myapp.com", .firefox)[0].messages.first?.text
                == "Cookie “sid” has been rejected because there is an existing “secure” cookie.")
        // A non-secure cookie whose path does not path-match the secure one's path may be set (§5.7 step 16 note).
        var jar2 = CookieJar()
        setCookies(&jar2, ["sid=1; Secure; Path=/login"], from: "https://myapp.com/", top: app, .chrome)
        #expect(setCookies(&jar2, ["sid=2; Path=/"], from: "http://myapp.com/", top: "http://myapp.com", .chrome)[0].stored)
    }

    @Test func crossSiteSetCookiePerEngine() {
        // fetch("https://api.other.io/login", {credentials: "include"}) from https://myapp.com.
        let from = "https://api.other.io/login"
        let unspecified = setCookie("u=1", from: from, top: app, .chrome)
        #expect(unspecified.reasons == [.sameSiteUnspecifiedTreatedAsLax])
        #expect(unspecified.messages.first?.text == "This `Set-Cookie` header didn't specify a \"`SameSite`\" attribute and was defaulted to \"`SameSite=Lax,`\" and was blocked because it came from a cross-site response which was not the response to a top-level navigation. The `Set-Cookie` had to have been set with \"`SameSite=None`\" to enable cross-site usage.")
        let lax = setCookie("l=1; SameSite=Lax", from: from, top: app, .chrome)
        #expect(lax.messages.first?.text == "This attempt to set a cookie via a `Set-Cookie` header was blocked because it had the \"SameSite=Lax\" attribute but came from a cross-site response which was not the response to a top-level navigation.")
        #expect(lax.messages.first?.issueReason == "ExcludeSameSiteLax")
        #expect(setCookie("l=1; SameSite=Lax", from: from, top: app, .firefox).messages.first?.text
                == "Cookie “l” has been rejected because it is in a cross-site context and its “SameSite” is “Lax” or “Strict”.")
        // Gecko has no lax-by-default: the unspecified cookie is stored, in myapp.com's partition.
        let ff = setCookie("u=1", from: from, top: app, .firefox)
        #expect(ff.stored && ff.cookie?.partitionKey == "https://myapp.com")

        let none = "n=1; SameSite=None; Secure"
        let chrome = setCookie(none, from: from, top: app, .chrome)
        #expect(chrome.stored && chrome.cookie?.partitionKey == nil)
        let incognito = setCookie(none, from: from, top: app, .chromeIncognito)
        #expect(incognito.reasons == [.thirdPartyBlocked])
        #expect(incognito.messages.first?.devToolsReason == "UserPreferences")
        #expect(incognito.messages.first?.text == "This attempt to set a cookie via a `Set-Cookie` header was blocked due to user preferences.")
        let phaseout = setCookie(none, from: from, top: app, .chromeThirdPartyPhaseout)
        #expect(phaseout.reasons == [.thirdPartyPhaseout] && phaseout.messages.first?.issueReason == "ExcludeThirdPartyPhaseout")
        #expect(setCookie(none, from: from, top: app, .safari).reasons == [.thirdPartyBlocked])
        #expect(setCookie(none, from: from, top: app, .safariPrivate).reasons == [.thirdPartyBlocked])
        #expect(setCookie(none, from: from, top: app, .firefoxPrivate).cookie?.partitionKey == "https://myapp.com")
        #expect(setCookie(none, from: from, top: app, .firefoxBlockThirdParty).messages.first?.text
                == "Cookie “n” has been rejected as third-party.")
        // CHIPS cookies survive third-party blocking, in the top-level site's partition.
        for policy in [CookiePolicy.chromeIncognito, .safari] {
            let p = setCookie(none + "; Partitioned", from: from, top: app, policy)
            #expect(p.stored && p.cookie?.partitionKey == "https://myapp.com", "\(policy.name)")
        }
    }

    @Test func schemefulCrossSiteSetUsesChromiumSchemefulTexts() {
        // A page on http://myapp.com calling https://api.myapp.com: cross-site only by scheme.
        let d = setCookie("l=1; SameSite=Strict", from: "https://api.myapp.com/", top: "http://myapp.com", .chrome)
        #expect(d.reasons == [.sameSiteStrict])
        #expect(d.messages.first?.devToolsReason == "SchemefulSameSiteStrict")
        #expect(d.messages.first?.text == "This attempt to set a cookie via a `Set-Cookie` header was blocked because it had the \"SameSite=Strict\" attribute but came from a cross-site response which was not the response to a top-level navigation. This response is considered cross-site because the URL has a different scheme than the current site.")
        // Gecko release and WebKit compare sites without the scheme.
        #expect(setCookie("l=1; SameSite=Strict", from: "https://api.myapp.com/", top: "http://myapp.com", .firefox).stored)
        #expect(setCookie("l=1; SameSite=Strict", from: "https://api.myapp.com/", top: "http://myapp.com", .safari).stored)
    }

    @Test func topLevelNavigationMaySetAnySameSite() {
        var jar = CookieJar()
        let d = setCookies(&jar, ["s=1; SameSite=Strict", "u=1"], from: "https://api.other.io/", top: app, .chromeIncognito, navigation: true)
        #expect(d.allSatisfy { $0.stored })
        #expect(jar.all.allSatisfy { $0.partitionKey == nil })
    }

    @Test func setCookieIsIgnoredWithoutCredentials() {
        var jar = CookieJar()
        let d = setCookies(&jar, ["a=1"], from: "https://myapp.com/", top: app, .chrome, credentials: false)[0]
        #expect(d.reasons == [.credentialsNotIncluded] && d.messages.isEmpty && jar.isEmpty)
        // Even a malformed line is simply not processed.
        let bad = setCookies(&jar, ["="], from: "https://myapp.com/", top: app, .chrome, credentials: false)[0]
        #expect(bad.reasons == [.credentialsNotIncluded])
    }

    @Test func syntaxRejectionsCarryEngineTexts() {
        let big = "a=" + String(repeating: "v", count: 4096)
        let chrome = setCookie(big, from: api, top: app, .chrome)
        #expect(chrome.reasons == [.nameValuePairExceedsMaxSize])
        #expect(chrome.messages.first?.text == "This attempt to set a cookie via a `Set-Cookie` header was blocked because the cookie was too large. The combined size of the name and value must be less than or equal to 4096 characters.")
        #expect(setCookie(big, from: api, top: app, .firefox).messages.first?.text
                == "Cookie “a” is invalid because its size is too big. Max size is 4096 B.")
        #expect(setCookie("=", from: api, top: app, .firefox).messages.first?.text
                == "Cookie with an empty name and an empty value has been rejected.")
        let ctl = setCookie("a=1; Path=/\u{01}", from: api, top: app, .chrome)
        #expect(ctl.messages.first?.devToolsReason == "DisallowedCharacter")
        #expect(setCookie("a=1; Path=/\u{01}", from: api, top: app, .firefox).messages.first?.identifier == "CookieRejectedInvalidCharAttributes")
    }

    @Test func policiesAreSelectableByName() {
        #expect(CookiePolicy.named("chrome-incognito") == .chromeIncognito)
        #expect(CookiePolicy.named("firefox-private")?.thirdPartyCookies == .partitionedByTopLevelSite)
        #expect(CookiePolicy.named("safari-private")?.thirdPartyCookies == .block)
        #expect(CookiePolicy.named("opera") == nil)
        #expect(Set(CookiePolicy.all.map(\.name)).count == CookiePolicy.all.count)
        #expect(CookiePolicy.default(for: .edge).family == .chromium)
        #expect(CookiePolicy.chrome.laxAllowUnsafeWindow == 120 && CookiePolicy.firefox.laxAllowUnsafeWindow == nil)
    }

    @Test func publicSuffixSubset() {
        #expect(Site.isPublicSuffix("com") && Site.isPublicSuffix("co.uk") && Site.isPublicSuffix("github.io"))
        #expect(Site.isPublicSuffix("localhost"))
        #expect(!Site.isPublicSuffix("myapp.com") && !Site.isPublicSuffix("127.0.0.1"))
        #expect(CookieHosts.domainMatches("www.myapp.com", "myapp.com"))
        #expect(!CookieHosts.domainMatches("notmyapp.com", "myapp.com"))
        #expect(!CookieHosts.domainMatches("1.2.3.4", "3.4"))
    }
}
