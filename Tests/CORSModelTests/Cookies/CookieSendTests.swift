import Testing
@testable import CORSModel

func sendCookies(_ jar: CookieJar, to: String, top: String, _ policy: CookiePolicy, method: String = "GET",
                 navigation: Bool = false, crossSiteRedirect: Bool = false, credentials: Bool = true,
                 now: Double = cookieNow) -> CookieRetrieval {
    jar.cookies(for: url(to), context: cookieContext(top, to, method: method, navigation: navigation,
                                                     crossSiteRedirect: crossSiteRedirect, credentials: credentials),
                policy: policy, now: now)
}

func reasons(_ r: CookieRetrieval) -> [String: [CookieReason]] {
    Dictionary(uniqueKeysWithValues: r.excluded.map { ($0.cookie.name, $0.reasons) })
}

@Suite struct CookieSendTests {
    let app = "https://myapp.com"
    let other = "https://api.other.io/data"
    let otherSite = "https://api.other.io"
    static let fourKinds = ["lax=1; SameSite=Lax", "strict=1; SameSite=Strict", "none=1; SameSite=None; Secure", "plain=1"]

    /// The four kinds of cookie, stored while the user visited `host` itself (first-party).
    func firstPartyJar(_ host: String, _ policy: CookiePolicy) -> CookieJar {
        var jar = CookieJar()
        let d = setCookies(&jar, Self.fourKinds, from: host + "/", top: host, policy)
        #expect(d.allSatisfy { $0.stored })
        return jar
    }

    @Test func crossSiteFetchInChrome() {
        let r = sendCookies(firstPartyJar(otherSite, .chrome), to: other, top: app, .chrome)
        #expect(r.header == "none=1")
        #expect(reasons(r) == ["lax": [.sameSiteLax], "strict": [.sameSiteStrict], "plain": [.sameSiteUnspecifiedTreatedAsLax]])
        let plain = r.excluded.first { $0.cookie.name == "plain" }!.messages[0]
        #expect(plain.devToolsReason == "SameSiteUnspecifiedTreatedAsLax" && plain.issueReason == "ExcludeSameSiteUnspecifiedTreatedAsLax")
        #expect(plain.text == "This cookie didn't specify a \"`SameSite`\" attribute when it was stored and was defaulted to \"SameSite=Lax,\" and was blocked because the request was made from a different site and was not initiated by a top-level navigation. The cookie had to have been set with \"`SameSite=None`\" to enable cross-site usage.")
    }

    @Test func crossSiteFetchInChromeIncognitoAndSafari() {
        let incognito = sendCookies(firstPartyJar(otherSite, .chromeIncognito), to: other, top: app, .chromeIncognito)
        #expect(incognito.sent.isEmpty)
        // Chromium lists every reason: SameSite and the user-preference block.
        #expect(reasons(incognito)["none"] == [.thirdPartyBlocked])
        #expect(reasons(incognito)["lax"] == [.sameSiteLax, .thirdPartyBlocked])
        #expect(incognito.excluded.first { $0.cookie.name == "none" }?.messages.first?.text == "This cookie was blocked due to user preferences.")

        for policy in [CookiePolicy.safari, .safariPrivate] {
            let safari = sendCookies(firstPartyJar(otherSite, policy), to: other, top: app, policy)
            #expect(safari.sent.isEmpty)
            #expect(reasons(safari)["none"] == [.thirdPartyBlocked])
            #expect(reasons(safari)["plain"] == [.thirdPartyBlocked])   // no lax-by-default: only ITP stops it
            #expect(safari.excluded.allSatisfy { $0.messages.isEmpty })
        }
    }

    @Test func firefoxSendsOnlyWithinTheTopLevelPartition() {
        // Cookies stored while api.other.io was the top-level site live in the unpartitioned jar…
        var jar = firstPartyJar(otherSite, .firefox)
        let embedded = sendCookies(jar, to: other, top: app, .firefox)
        #expect(embedded.sent.isEmpty)
        #expect(Set(reasons(embedded).values) == [[.otherPartition]])
        // …but are sent when api.other.io is visited directly.
        #expect(sendCookies(jar, to: other, top: otherSite, .firefox).sent.count == 4)

        // A cookie set by a credentialed fetch from a myapp.com page lands in myapp.com's partition.
        let d = jar.store(["p=1; SameSite=None; Secure", "q=1"], from: url(other), context: cookieContext(app, other),
                          policy: .firefox, now: cookieNow)
        #expect(d.allSatisfy { $0.stored && $0.cookie?.partitionKey == "https://myapp.com" })
        let again = sendCookies(jar, to: other, top: app, .firefox)
        #expect(again.header == "p=1; q=1")
        // Not under another top-level site, and not in the first-party jar.
        #expect(sendCookies(jar, to: other, top: "https://elsewhere.com", .firefox).sent.isEmpty)
        let direct = sendCookies(jar, to: other, top: otherSite, .firefox)
        #expect(!direct.sent.contains { $0.name == "p" } && reasons(direct)["p"] == [.otherPartition])
        // Private browsing partitions the same way.
        #expect(sendCookies(jar, to: other, top: app, .firefoxPrivate).header == "p=1; q=1")
    }

    @Test func chromePartitionedCookiesAreKeyedByTopLevelSite() {
        var jar = CookieJar()
        _ = jar.store(["chip=1; SameSite=None; Secure; Partitioned"], from: url(other), context: cookieContext(app, other),
                  policy: .chromeIncognito, now: cookieNow)
        #expect(sendCookies(jar, to: other, top: app, .chromeIncognito).header == "chip=1")
        #expect(sendCookies(jar, to: other, top: app, .chrome).header == "chip=1")
        #expect(reasons(sendCookies(jar, to: other, top: "https://elsewhere.com", .chrome))["chip"] == [.otherPartition])
    }

    @Test func sameSiteCrossOriginSendsLaxAndStrict() {
        // https://myapp.com → https://api.myapp.com is cross-origin but same-site.
        for policy in [CookiePolicy.chrome, .chromeIncognito, .firefox, .safari] {
            let jar = firstPartyJar("https://api.myapp.com", policy)
            let r = sendCookies(jar, to: "https://api.myapp.com/data", top: app, policy)
            #expect(Set(r.sent.map(\.name)) == ["lax", "strict", "none", "plain"], "\(policy.name)")
            #expect(r.excluded.isEmpty)
        }
    }

    @Test func schemefulSameSite() {
        let ctx = cookieContext("http://myapp.com", "https://api.myapp.com/")
        #expect(!ctx.isSameSite && ctx.isSameSiteIgnoringScheme)
        #expect(cookieContext(app, "https://api.myapp.com/").isSameSite)

        // Chromium: http://myapp.com → https://api.myapp.com is cross-site; its DevTools says why.
        let chrome = sendCookies(firstPartyJar("https://api.myapp.com", .chrome), to: "https://api.myapp.com/data",
                                 top: "http://myapp.com", .chrome)
        #expect(chrome.header == "none=1")
        let lax = chrome.excluded.first { $0.cookie.name == "lax" }!.messages[0]
        #expect(lax.devToolsReason == "SchemefulSameSiteLax")
        #expect(lax.text == "This cookie was blocked because it had the \"`SameSite=Lax`\" attribute but the request was cross-site and was not initiated by a top-level navigation. This request is considered cross-site because the URL has a different scheme than the current site.")
        #expect(chrome.excluded.first { $0.cookie.name == "plain" }?.messages.first?.devToolsReason == "SchemefulSameSiteUnspecifiedTreatedAsLax")
        // In Chrome Incognito the scheme difference also makes it third-party.
        #expect(sendCookies(firstPartyJar("https://api.myapp.com", .chromeIncognito), to: "https://api.myapp.com/data",
                            top: "http://myapp.com", .chromeIncognito).sent.isEmpty)
        // Gecko release and WebKit are schemeless: everything goes.
        for policy in [CookiePolicy.firefox, .safari] {
            let r = sendCookies(firstPartyJar("https://api.myapp.com", policy), to: "https://api.myapp.com/data",
                                top: "http://myapp.com", policy)
            #expect(r.sent.count == 4, "\(policy.name)")
        }
    }

    @Test func topLevelNavigationCarriesLaxOnSafeMethods() {
        let jar = firstPartyJar(otherSite, .chrome)
        let get = sendCookies(jar, to: other, top: app, .chrome, navigation: true)
        #expect(Set(get.sent.map(\.name)) == ["lax", "none", "plain"])
        #expect(reasons(get) == ["strict": [.sameSiteStrict]])
        // POST: Lax is withheld; a lax-by-default cookie younger than 2 minutes still goes (Lax+POST).
        let post = sendCookies(jar, to: other, top: app, .chrome, method: "POST", navigation: true, now: cookieNow + 119)
        #expect(Set(post.sent.map(\.name)) == ["none", "plain"])
        let late = sendCookies(jar, to: other, top: app, .chrome, method: "POST", navigation: true, now: cookieNow + 121)
        #expect(late.header == "none=1")
        #expect(reasons(late)["plain"] == [.sameSiteUnspecifiedTreatedAsLax])
        // Never for fetch(): Lax+POST is for top-level navigations only.
        #expect(sendCookies(jar, to: other, top: app, .chrome, method: "POST", now: cookieNow + 1).header == "none=1")
    }

    @Test func crossSiteRedirectChain() {
        // https://myapp.com → (redirect via https://evil.example) → https://api.myapp.com
        let jar = firstPartyJar("https://api.myapp.com", .firefox)
        let ff = sendCookies(jar, to: "https://api.myapp.com/data", top: app, .firefox, crossSiteRedirect: true)
        #expect(Set(ff.sent.map(\.name)) == ["none", "plain"])
        #expect(reasons(ff) == ["lax": [.crossSiteRedirect], "strict": [.crossSiteRedirect]])
        #expect(ff.excluded.first { $0.cookie.name == "lax" }?.messages.first?.text
                == "Cookie “lax” with the “SameSite” attribute value “Lax” or “Strict” was omitted because of a cross-site redirect.")
        // Chromium's kCookieSameSiteConsidersRedirectChain is off by default.
        let chromeJar = firstPartyJar("https://api.myapp.com", .chrome)
        #expect(sendCookies(chromeJar, to: "https://api.myapp.com/data", top: app, .chrome, crossSiteRedirect: true).sent.count == 4)
    }

    @Test func pathMatchAndOrdering() {
        var jar = CookieJar()
        setCookies(&jar, ["a=1"], from: "https://myapp.com/api/login", top: app, .chrome, now: cookieNow)   // Path=/api
        setCookies(&jar, ["b=2; Path=/"], from: "https://myapp.com/", top: app, .chrome, now: cookieNow - 10)
        setCookies(&jar, ["c=3; Path=/"], from: "https://myapp.com/", top: app, .chrome, now: cookieNow - 20)
        setCookies(&jar, ["d=4; Path=/api/users"], from: "https://myapp.com/", top: app, .chrome, now: cookieNow + 5)
        #expect(jar.all.first { $0.name == "a" }?.path == "/api")
        #expect(sendCookies(jar, to: "https://myapp.com/api/users/7", top: app, .chrome).header == "d=4; a=1; c=3; b=2")
        #expect(sendCookies(jar, to: "https://myapp.com/api", top: app, .chrome).header == "a=1; c=3; b=2")
        let v2 = sendCookies(jar, to: "https://myapp.com/apiv2", top: app, .chrome)
        #expect(v2.header == "c=3; b=2")
        #expect(reasons(v2) == ["a": [.notOnPath], "d": [.notOnPath]])
        #expect(v2.excluded.first?.messages.first?.text == "This cookie was blocked because its path was not an exact match for or a superdirectory of the request url's path.")
    }

    @Test func secureCookiesNeedASecureURL() {
        var jar = CookieJar()
        setCookies(&jar, ["s=1; Secure", "p=1"], from: "https://myapp.com/", top: app, .chrome)
        let http = sendCookies(jar, to: "http://myapp.com/", top: "http://myapp.com", .chrome)
        #expect(http.header == "p=1")
        #expect(reasons(http) == ["s": [.secureOnly]])
        #expect(http.excluded[0].messages.first?.text == "This cookie was blocked because it had the \"`Secure`\" attribute and the connection was not secure.")
        // Cookies are per host, not per port or scheme: http://localhost:3001 gets localhost:3000's Secure cookie where exempt.
        let local = CookieJar([Cookie(name: "s", value: "1", domain: "localhost", secure: true, sameSite: .none, creation: cookieNow)])
        #expect(sendCookies(local, to: "http://localhost:3001/", top: "http://localhost:3001", .chrome).header == "s=1")
        #expect(sendCookies(local, to: "http://localhost:3001/", top: "http://localhost:3001", .firefox).header == "s=1")
        #expect(reasons(sendCookies(local, to: "http://localhost:3001/", top: "http://localhost:3001", .safari)) == ["s": [.secureOnly]])
    }

    @Test func noCookiesWithoutCredentials() {
        let jar = firstPartyJar("https://api.myapp.com", .chrome)
        let r = sendCookies(jar, to: "https://api.myapp.com/", top: app, .chrome, credentials: false)
        #expect(r.sent.isEmpty && r.header == nil)
        #expect(Set(reasons(r).values) == [[.credentialsNotIncluded]])
        #expect(r.excluded.allSatisfy { $0.messages.isEmpty })
        #expect(CookieContext.includesCredentials(.sameOrigin, requestOrigin: origin(app), url: url("https://myapp.com/x")))
        #expect(!CookieContext.includesCredentials(.sameOrigin, requestOrigin: origin(app), url: url("https://api.myapp.com/")))
        #expect(CookieContext.includesCredentials(.include, requestOrigin: origin(app), url: url(other)))
        #expect(!CookieContext.includesCredentials(.omit, requestOrigin: origin(app), url: url(app)))
    }

    @Test func unrelatedSitesAreNotListed() {
        let jar = firstPartyJar("https://myapp.com", .chrome)
        let r = sendCookies(jar, to: other, top: app, .chrome)
        #expect(r.sent.isEmpty && r.excluded.isEmpty)
    }
}
