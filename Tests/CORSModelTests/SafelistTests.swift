import Testing
@testable import CORSModel

@Suite struct MethodTests {
    @Test func normalisesOnlyTheSixMethods() {
        #expect(Method.normalize("get") == "GET")
        #expect(Method.normalize("delete") == "DELETE")
        #expect(Method.normalize("patch") == "patch")
        #expect(Method.normalize("Chicken") == "Chicken")
    }
    @Test func forbiddenAndSafelisted() {
        #expect(Method.isForbidden("connect") && Method.isForbidden("TRACE") && Method.isForbidden("Track"))
        #expect(!Method.isForbidden("PATCH"))
        #expect(Method.isCORSSafelisted("POST") && !Method.isCORSSafelisted("post") && !Method.isCORSSafelisted("PUT"))
    }
}

@Suite struct SafelistTests {
    let chrome = EngineProfile.chrome, firefox = EngineProfile.firefox, safari = EngineProfile.safari
    func safe(_ line: String, _ p: EngineProfile = .chrome) -> Bool { Safelist.isCORSSafelisted(Header(line: line)!, profile: p) }

    @Test func contentTypeEssences() {
        #expect(safe("Content-Type: text/plain"))
        #expect(safe("Content-Type: Text/Plain;charset=utf-8"))
        #expect(safe("Content-Type: multipart/form-data; boundary=x"))
        #expect(safe("Content-Type: application/x-www-form-urlencoded"))
        #expect(safe("Content-Type: text/plain;garbage"))
        #expect(!safe("Content-Type: application/json"))
        #expect(!safe("Content-Type: text /plain"))
        #expect(!safe("Content-Type: text/plain,"))
        #expect(!safe("Content-Type: multipart/form-data;\""))
    }

    @Test func valueLengthLimitIs128Bytes() {
        let ok = "Accept: " + String(repeating: "a", count: 128)
        let long = "Accept: " + String(repeating: "a", count: 129)
        #expect(safe(ok))
        #expect(!safe(long))
    }

    @Test func unsafeBytesAndLanguageCharacters() {
        #expect(!safe("Accept: a{b"))
        #expect(safe("Accept: */*"))
        #expect(safe("Accept-Language: en-US,en;q=0.9"))
        #expect(!safe("Accept-Language: en_US"))
        #expect(!safe("Content-Language: ("))
    }

    /// All three engines safelist a simple range (observed: round 2 s60; Gecko since Firefox 117).
    @Test func simpleRangeIsSafelisted() {
        #expect(safe("Range: bytes=0-", chrome))
        #expect(safe("Range: bytes=100-200", safari))
        #expect(safe("Range: bytes=0-", firefox))
        #expect(!safe("Range: bytes=-5", firefox))
        #expect(!safe("Range: bytes=-5", chrome))
        #expect(!safe("Range: bytes=200-100", chrome))
        #expect(!safe("Range: bytes=1-2,3-4", chrome))
    }

    @Test func otherNamesAreUnsafe() {
        #expect(!safe("Authorization: Bearer x"))
        #expect(!safe("X-Requested-With: XMLHttpRequest"))
        #expect(!safe("Last-Event-ID: 1"))
        #expect(safe("DPR: 2", chrome))
        #expect(!safe("DPR: 2", firefox))
    }

    @Test func forbiddenRequestHeaders() {
        for line in ["Cookie: a=b", "Origin: x", "Host: x", "Sec-Fetch-Mode: cors", "Proxy-Authorization: x", "Content-Length: 1", "Referer: x"] {
            #expect(Safelist.isForbiddenRequestHeader(Header(line: line)!), "\(line)")
        }
        #expect(Safelist.isForbiddenRequestHeader(Header(line: "X-HTTP-Method-Override: TRACE")!))
        #expect(!Safelist.isForbiddenRequestHeader(Header(line: "X-HTTP-Method-Override: PUT")!))
        #expect(!Safelist.isForbiddenRequestHeader(Header(line: "Authorization: x")!))
    }

    @Test func unsafeNamesAreSortedLowercaseUnique() {
        let list = headers("X-B: 1", "x-a: 2", "X-B: 3", "Accept: */*")
        #expect(Safelist.corsUnsafeNames(list, profile: chrome) == ["x-a", "x-b"])
        #expect(Safelist.accessControlRequestHeaders(["x-a", "x-b"]) == "x-a,x-b")
    }

    @Test func totalOf1024BytesMakesSafelistedHeadersUnsafeInChromium() {
        let v = String(repeating: "a", count: 120)
        let list = HeaderList((0..<9).map { _ in Header(name: "Accept", value: v) })   // 1080 bytes
        #expect(Safelist.corsUnsafeNames(list, profile: chrome) == ["accept"])
        #expect(Safelist.corsUnsafeNames(list, profile: firefox) == [])
    }
}
