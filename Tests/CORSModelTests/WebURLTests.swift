import Testing
@testable import CORSModel

@Suite struct WebURLTests {
    @Test func serializesWithDefaultPortElided() {
        #expect(url("HTTPS://API.Example.COM:443/a/./b/../c?x=1#f").serialized == "https://api.example.com/a/c?x=1#f")
        #expect(url("http://localhost:3000").serialized == "http://localhost:3000/")
        #expect(url("http://h:80/").port == nil)
        #expect(url("http://h:8080/").port == 8080)
    }

    @Test func rejectsBadInput() {
        #expect(WebURL.parse("foo") == nil)
        #expect(WebURL.parse("http://") == nil)
        #expect(WebURL.parse("http://h:99999/") == nil)
        #expect(WebURL.parse("http://h:8x/") == nil)
        #expect(WebURL.parse("http://a b/") == nil)
    }

    @Test func userinfo() {
        let u = url("http://user:pass@h.example/x")
        #expect(u.includesCredentials)
        #expect(u.host == "h.example")
        #expect(!url("http://@h.example/").includesCredentials)
    }

    @Test func resolvesRelativeLocations() {
        let base = url("https://a.example/dir/page?q")
        #expect(WebURL.parse("/x", base: base)?.serialized == "https://a.example/x")
        #expect(WebURL.parse("y", base: base)?.serialized == "https://a.example/dir/y")
        #expect(WebURL.parse("//b.example/z", base: base)?.serialized == "https://b.example/z")
        #expect(WebURL.parse("?n", base: base)?.serialized == "https://a.example/dir/page?n")
        #expect(WebURL.parse("../up", base: base)?.serialized == "https://a.example/up")
        #expect(WebURL.parse("http://c.example/", base: base)?.serialized == "http://c.example/")
    }

    @Test func nonSpecialSchemesHaveOpaqueOrigins() {
        let d = url("data:text/plain,hi")
        #expect(!d.isHTTPFamily)
        #expect(d.origin.isOpaque)
        #expect(d.origin.serialized == "null")
    }
}

@Suite struct OriginTests {
    @Test func serialization() {
        #expect(origin("http://localhost:3000").serialized == "http://localhost:3000")
        #expect(origin("https://myapp.com:443").serialized == "https://myapp.com")
        #expect(origin("https://MyApp.com/path").serialized == "https://myapp.com")
        #expect(origin("null").serialized == "null")
        #expect(Origin.parse("myapp.com") == nil)
    }

    @Test func sameOriginNeedsSchemeHostPort() {
        #expect(origin("http://localhost:3000") == url("http://localhost:3000/api").origin)
        #expect(origin("http://localhost:3000") != url("http://localhost:5173/api").origin)
        #expect(origin("http://myapp.com") != url("https://myapp.com/").origin)
    }

    @Test func sameSiteIsSchemefulAndUsesRegistrableDomains() {
        #expect(origin("https://myapp.com").isSameSite(origin("https://api.myapp.com")))
        #expect(!origin("http://myapp.com").isSameSite(origin("https://api.myapp.com")))
        #expect(!origin("https://myapp.com").isSameSite(origin("https://myapi.io")))
        #expect(!origin("https://a.github.io").isSameSite(origin("https://b.github.io")))
        #expect(origin("https://x.shop.co.uk").isSameSite(origin("https://y.shop.co.uk")))
        #expect(Site.registrableDomain(of: "127.0.0.1") == "127.0.0.1")
        #expect(Site.registrableDomain(of: "localhost") == "localhost")
    }
}

@Suite struct URLValidityTests {
    /// The quick check agrees with the full parser on every sample.
    @Test func quickCheckAgreesWithParser() {
        let samples = ["https://a.example", "https://a.example/", "http://localhost:3000", "foo", "", "null", "*", "http://", "https://:443",
                       "http://a b", "http://[::1]:80/", "http://[::1", "http://h:99999", "http://h:8x", "mailto:x", "x:", "1http://a",
                       "https://u:p@h.example:8080/p?q#f", "HTTPS://A.EXAMPLE", "http:\\\\h\\p", "http://h:/", "data:,x"]
        for s in samples {
            let full = WebURL.parse(s).map { $0.host != nil || !WebURL.specialSchemes.contains($0.scheme) } ?? false
            #expect(WebURL.isValidAbsolute(s) == full, "\(s)")
        }
    }
}

@Suite struct IDNATests {
    /// RFC 3492 §7.1 samples and everyday hosts.
    @Test func punycodeKnownAnswers() {
        #expect(Punycode.encode("bücher") == "bcher-kva")
        #expect(Punycode.encode("élève") == "lve-6lad")
        #expect(Punycode.encode("münchen") == "mnchen-3ya")
        #expect(Punycode.encode("例え") == "r8jz45g")
        #expect(IDNA.toASCII("Bücher.Example") == "xn--bcher-kva.example")
        #expect(url("https://élève.example/").origin.serialized == "https://xn--lve-6lad.example")
    }
}
