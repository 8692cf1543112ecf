import CORSCorpus
import CORSLive
import CORSModel
import Foundation
import Testing

/// A case whose responses carry everything a framework would normalise away.
let wireCaseYAML = #"""
suite: Wire fidelity
cases:
  - id: odd-headers
    title: Duplicates, casing, odd values, redirects, templates
    page: http://localhost:3000
    request:
      url: "https://api.example.com/data"
    server:
      "GET https://api.example.com/data":
        status: 200
        headers:
          - "access-control-allow-origin: http://localhost:3000"
          - "ACCESS-CONTROL-ALLOW-ORIGIN: https://other.example"
          - "Access-Control-Allow-Credentials: True"
          - "X-Padded:   spaced  "
          - "X-Empty: "
          - "X-Near-Miss: http://localhost:3000.evil.example, http://localhost:30001, http://localhost:3000/"
          - "Set-Cookie: a=1"
          - "Set-Cookie: b=2"
        body: "hello"
      "OPTIONS https://api.example.com/data":
        status: 204
        headers: ["Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: PUT, patch"]
      "patch https://api.example.com/data":
        status: 200
        headers: ["Access-Control-Allow-Origin: *"]
        body: "patched"
      "GET https://api.example.com/redirect":
        status: 302
        headers: ["Location: https://cdn.example.net/file?x=1#f", "Access-Control-Allow-Origin: *"]
      "GET https://api.example.com/relative":
        status: 307
        headers: ["Location: /data"]
      "GET https://api.example.com/framed":
        status: 200
        headers: ["Content-Length: 2", "X-Framed: yes"]
        body: "ok"
      "GET https://api.example.com/reflect":
        status: 200
        headers: ["Access-Control-Allow-Origin: ${Origin}", "Vary: Origin"]
      "GET https://api.example.com/sequence":
        - status: 500
        - status: 200
          headers: ["X-Turn: second"]
      "GET https://cdn.example.net/file?x=1":
        status: 200
        headers: ["Access-Control-Allow-Origin: *"]
    expect:
      outcome: blocked
"""#

@Suite("cors-harness serve: the mock server on the wire")
struct MockServerTests {
    let cases: [Case]
    init() throws { cases = try loadCases(yaml: wireCaseYAML) }

    func ports(_ s: MockServer) -> (page: Int, api: Int, cdn: Int) {
        (s.map.entry(forOrigin: "http://localhost:3000")!.port, s.map.entry(forOrigin: "https://api.example.com")!.port,
         s.map.entry(forOrigin: "https://cdn.example.net")!.port)
    }

    @Test("scripted responses reach the wire byte for byte: status line, header lines in order, duplicates, casing, odd values; mapped origins rewritten; Content-Length added")
    func byteExact() throws {
        try withServer(cases) { s in
            let (page, api, _) = ports(s)
            let got = try RawSocket.exchange(port: api, "GET /c/odd-headers/r1/data HTTP/1.1\r\nHost: x\r\nOrigin: http://127.0.0.1:\(page)\r\nConnection: close\r\n\r\n")
            let expected = "HTTP/1.1 200 OK\r\n"
                + "access-control-allow-origin: http://127.0.0.1:\(page)\r\n"
                + "ACCESS-CONTROL-ALLOW-ORIGIN: https://other.example\r\n"
                + "Access-Control-Allow-Credentials: True\r\n"
                + "X-Padded:   spaced  \r\n"
                + "X-Empty: \r\n"
                + "X-Near-Miss: http://localhost:3000.evil.example, http://localhost:30001, http://127.0.0.1:\(page)/\r\n"
                + "Set-Cookie: a=1\r\n"
                + "Set-Cookie: b=2\r\n"
                + "Content-Length: 5\r\n"
                + "\r\n"
                + "hello"
            #expect(got == expected)
        }
    }

    @Test("a scripted Content-Length is not doubled; 204 gets none; HEAD gets the head only")
    func framing() throws {
        try withServer(cases) { s in
            let (_, api, _) = ports(s)
            let framed = try RawSocket.exchange(port: api, "GET /c/odd-headers/r1/framed HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(framed == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Framed: yes\r\n\r\nok")
            let pre = try RawSocket.exchange(port: api, "OPTIONS /c/odd-headers/r1/data HTTP/1.1\r\nAccess-Control-Request-Method: PUT\r\nConnection: close\r\n\r\n")
            #expect(pre == "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: PUT, patch\r\n\r\n")
            let head = try RawSocket.exchange(port: api, "HEAD /c/odd-headers/r1/framed HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(head.hasPrefix("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\nContent-Length: "))
            #expect(head.hasSuffix("\r\n\r\n"))   // HEAD: no body
        }
    }

    @Test("a lower-case method (browsers send `patch` as written) is accepted and matched to its script")
    func lowercaseMethod() throws {
        try withServer(cases) { s in
            let (_, api, _) = ports(s)
            let got = try RawSocket.exchange(port: api, "patch /c/odd-headers/r1/data HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
            #expect(got.hasPrefix("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"))
            #expect(got.hasSuffix("\r\n\r\npatched"))
            let rec = s.requests(case: "odd-headers", run: "r1").last!
            #expect(rec.method == "patch" && rec.body == "abc" && rec.status == 200)
        }
    }

    @Test("Location targets on mapped origins become local URLs with the case prefix; path-absolute ones get the prefix")
    func redirects() throws {
        try withServer(cases) { s in
            let (_, api, cdn) = ports(s)
            let abs = try RawSocket.exchange(port: api, "GET /c/odd-headers/r7/redirect HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(abs.contains("\r\nLocation: http://127.0.0.1:\(cdn)/c/odd-headers/r7/file?x=1#f\r\n"))
            let rel = try RawSocket.exchange(port: api, "GET /c/odd-headers/r7/relative HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(rel.contains("\r\nLocation: /c/odd-headers/r7/data\r\n"))
            let target = try RawSocket.exchange(port: cdn, "GET /c/odd-headers/r7/file?x=1 HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(target.hasPrefix("HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"))
        }
    }

    @Test("${Origin} reflects the local origin the browser sent; sequences advance per run token")
    func templatesAndSequences() throws {
        try withServer(cases) { s in
            let (page, api, _) = ports(s)
            let r = try RawSocket.exchange(port: api, "GET /c/odd-headers/r2/reflect HTTP/1.1\r\nOrigin: http://127.0.0.1:\(page)\r\nConnection: close\r\n\r\n")
            #expect(r.contains("\r\nAccess-Control-Allow-Origin: http://127.0.0.1:\(page)\r\nVary: Origin\r\n"))
            let first = try RawSocket.exchange(port: api, "GET /c/odd-headers/r2/sequence HTTP/1.1\r\nConnection: close\r\n\r\n")
            let second = try RawSocket.exchange(port: api, "GET /c/odd-headers/r2/sequence HTTP/1.1\r\nConnection: close\r\n\r\n")
            let otherRun = try RawSocket.exchange(port: api, "GET /c/odd-headers/r3/sequence HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(first.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
            #expect(second.hasPrefix("HTTP/1.1 200 OK\r\nX-Turn: second\r\n"))
            #expect(otherRun.hasPrefix("HTTP/1.1 500 "))
        }
    }

    @Test("one case served: its paths answer without the prefix")
    func rootCase() throws {
        try withServer(cases) { s in
            let (_, api, _) = ports(s)
            let got = try RawSocket.exchange(port: api, "GET /framed HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(got == "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Framed: yes\r\n\r\nok")
        }
    }

    @Test("keep-alive: pipelined requests are answered in order on one connection")
    func pipelining() throws {
        try withServer(cases) { s in
            let (_, api, _) = ports(s)
            let two = "GET /c/odd-headers/k/framed HTTP/1.1\r\nHost: x\r\n\r\nGET /c/odd-headers/k/framed HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            let got = try RawSocket.exchange(port: api, two)
            let one = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Framed: yes\r\n\r\nok"
            #expect(got == one + one)
        }
    }

    @Test("every request is recorded: method, target, header lines as sent, per case and run, as JSON")
    func recording() throws {
        try withServer(cases) { s in
            let (page, api, _) = ports(s)
            _ = try RawSocket.exchange(port: api, "OPTIONS /c/odd-headers/rec/data HTTP/1.1\r\nHost: h\r\nx-lower: 1\r\nX-Dup: a\r\nX-Dup: b\r\nAccess-Control-Request-Method: PUT\r\nOrigin: http://127.0.0.1:\(page)\r\nConnection: close\r\n\r\n")
            let json = try RawSocket.exchange(port: page, "GET /__requests?case=odd-headers&run=rec HTTP/1.1\r\nConnection: close\r\n\r\n")
            let body = Data(json.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n").utf8)
            let list = try JSONDecoder().decode([RecordedRequest].self, from: body)
            #expect(list.count == 1)
            let r = try #require(list.first)
            #expect(r.method == "OPTIONS" && r.target == "/c/odd-headers/rec/data" && r.status == 204)
            #expect(r.headers == ["Host: h", "x-lower: 1", "X-Dup: a", "X-Dup: b", "Access-Control-Request-Method: PUT",
                                  "Origin: http://127.0.0.1:\(page)", "Connection: close"])
            #expect(r.url == "https://api.example.com/data" && r.origin == "https://api.example.com" && r.case == "odd-headers")
        }
    }

    @Test("malformed requests are answered 400 (505, 501) and the server goes on serving", arguments: [
        ("GARBAGE\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\n folded: x\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400),
        ("G(T / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
        ("GET / HTTP/9.9\r\n\r\n", 505),
        ("\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501),
    ])
    func malformed(input: String, status: Int) throws {
        try withServer(cases) { s in
            let (_, api, _) = ports(s)
            let got = try RawSocket.exchange(port: api, input)
            #expect(got.hasPrefix("HTTP/1.1 \(status) "), "\(input.debugDescription) → \(got.prefix(60).debugDescription)")
            #expect(got.contains("\r\nConnection: close\r\n"))
            let after = try RawSocket.exchange(port: api, "GET /c/odd-headers/ok/framed HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(after.hasSuffix("\r\n\r\nok"))
        }
    }

    @Test("size limits: a request head over the limit is 431, too many header lines 431, a body over the limit 413")
    func limits() throws {
        try withServer(cases, configure: { $0.limits = RequestLimits(maxHeadBytes: 1024, maxHeaderCount: 20, maxBodyBytes: 100) }) { s in
            let (_, api, _) = ports(s)
            let big = try RawSocket.exchange(port: api, "GET /c/odd-headers/l/framed HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: 4000) + "\r\n\r\n")
            #expect(big.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
            let endless = try RawSocket.exchange(port: api, "GET /" + String(repeating: "a", count: 5000))   // no end of head at all
            #expect(endless.hasPrefix("HTTP/1.1 431 "))
            let many = try RawSocket.exchange(port: api, "GET /c/odd-headers/l/framed HTTP/1.1\r\n" + (0..<21).map { "X-\($0): v\r\n" }.joined() + "\r\n")
            #expect(many.hasPrefix("HTTP/1.1 431 "))
            let body = try RawSocket.exchange(port: api, "POST /c/odd-headers/l/framed HTTP/1.1\r\nContent-Length: 101\r\n\r\n" + String(repeating: "b", count: 101))
            #expect(body.hasPrefix("HTTP/1.1 413 Content Too Large\r\n"))
            let fits = try RawSocket.exchange(port: api, "GET /c/odd-headers/l/framed HTTP/1.1\r\n" + (0..<19).map { "X-\($0): v\r\n" }.joined() + "Connection: close\r\n\r\n")
            #expect(fits.hasSuffix("\r\n\r\nok"))
        }
    }

    @Test("unscripted requests and unknown cases get a plain 404; no file is ever served")
    func notFound() throws {
        try withServer(cases) { s in
            let (_, api, _) = ports(s)
            for path in ["/c/odd-headers/r/nothing", "/c/no-such-case/r/data", "/../../etc/passwd", "/c/odd-headers/r/../../../../etc/passwd"] {
                let got = try RawSocket.exchange(port: api, "GET \(path) HTTP/1.1\r\nConnection: close\r\n\r\n")
                #expect(got.hasPrefix("HTTP/1.1 404 Not Found\r\n"), "\(path)")
                #expect(!got.contains("root:"))
            }
        }
    }

    @Test("the runner page carries the case with local URLs and the model's predictions; reports are stored and listed")
    func runnerPageAndReports() throws {
        try withServer(cases) { s in
            let (page, api, _) = ports(s)
            let html = try RawSocket.exchange(port: page, "GET /__runner HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(html.hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"))
            #expect(html.contains("\"url\":\"http://127.0.0.1:\(api)/c/odd-headers/{RUN}/data\""))
            #expect(html.contains("\"predicted\":{\"chrome\":[{"))
            #expect(html.contains("fetch(url, init)") && html.contains("new XMLHttpRequest()"))
            let report = #"{"case":"odd-headers","run":"x1","browser":"chrome","steps":[{"observed":{"outcome":"rejected"},"agree":true,"differences":[]}]}"#
            let posted = try RawSocket.exchange(port: page, "POST /__report HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: \(report.utf8.count)\r\nConnection: close\r\n\r\n" + report)
            #expect(posted.hasPrefix("HTTP/1.1 204 "))
            let list = try RawSocket.exchange(port: api, "GET /__reports HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(list.contains("\"run\" : \"x1\""))
            let bad = try RawSocket.exchange(port: page, "POST /__report HTTP/1.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nnot")
            #expect(bad.hasPrefix("HTTP/1.1 400 "))
        }
    }

    @Test("stop() closes every listener")
    func stops() throws {
        var config = MockServer.Configuration()
        config.basePort = 0
        let s = MockServer(cases: cases, configuration: config)
        try s.start()
        let api = s.map.entry(forOrigin: "https://api.example.com")!.port
        #expect(try RawSocket.exchange(port: api, "GET /__health HTTP/1.1\r\nConnection: close\r\n\r\n").hasSuffix("ok\n"))
        s.stop()
        #expect(throws: (any Error).self) { try RawSocket.exchange(port: api, "GET /__health HTTP/1.1\r\n\r\n") }
    }
}

@Suite("Origin mapping")
struct OriginMapTests {
    let map = OriginMap(host: "127.0.0.1", origins: [("https://api.example.com", 0), ("http://localhost:3000", 1), ("null", 1)],
                        ports: [18001, 18000, 18002])

    @Test("whole origins only: a longer host, another port, userinfo tricks and other casings stay as they are")
    func boundaries() {
        #expect(map.rewriteOutgoing(name: "access-control-allow-origin", value: "http://localhost:3000", prefix: "", base: nil) == "http://127.0.0.1:18000")
        for v in ["http://localhost:3000.evil", "http://localhost:30001", "http://localhost:3000@evil", "HTTP://LOCALHOST:3000",
                  "https://localhost:3000", "null", "*"] {
            #expect(map.rewriteOutgoing(name: "access-control-allow-origin", value: v, prefix: "", base: nil) == v)
        }
        #expect(map.rewriteOutgoing(name: "x", value: "https://api.example.com, http://localhost:3000", prefix: "", base: nil)
                == "http://127.0.0.1:18001, http://127.0.0.1:18000")
    }

    @Test("nothing is replaced twice; incoming values map back")
    func roundTrip() {
        let m = OriginMap(host: "127.0.0.1", origins: [("https://a.example", 0), ("http://127.0.0.1:18000", 0)], ports: [18000, 18001])
        #expect(m.rewriteOutgoing(name: "x", value: "https://a.example", prefix: "", base: nil) == "http://127.0.0.1:18000")
        #expect(m.rewriteIncoming("http://127.0.0.1:18000") == "https://a.example")
        #expect(m.restoreIncoming(name: "location", value: "http://127.0.0.1:18000/c/id/r/x?y#z", prefix: "/c/id/r") == "https://a.example/x?y#z")
    }

    @Test("console lines map back: case URLs lose the run prefix; an origin ending a sentence is replaced, a longer port is not")
    func consoleText() {
        let line = "Access to fetch at 'http://127.0.0.1:18001/c/id/r1/data?x=1' from origin 'http://127.0.0.1:18000' has been blocked"
        #expect(map.restoreText(line, prefix: "/c/id/r1") == "Access to fetch at 'https://api.example.com/data?x=1' from origin 'http://localhost:3000' has been blocked")
        #expect(map.restoreText("the request origin http://127.0.0.1:18000.", prefix: "/c/id/r1") == "the request origin http://localhost:3000.")
        #expect(map.restoreText("http://127.0.0.1:180001 and http://127.0.0.1:18000.evil", prefix: "/c/x/y") == "http://127.0.0.1:180001 and http://localhost:3000.evil")
        #expect(map.restoreText("redirection URL http://user:secret@127.0.0.1:18001/c/id/r1/data has credentials", prefix: "/c/id/r1")
                == "redirection URL https://user:secret@api.example.com/data has credentials")
    }

    @Test("verify reads received headers in the case's terms: a Referer naming the runner or a frame is the page's origin and '/'")
    func refererInCaseTerms() {
        #expect(Verifier.caseTerms(header: "Referer: http://127.0.0.1:18000/__runner?case=a&run=r1&prompts=1", map: map, prefix: "/c/a/r1")
                == "Referer: http://localhost:3000/")
        #expect(Verifier.caseTerms(header: "referer: http://127.0.0.1:18001/__frame?case=a&step=1&run=r1", map: map, prefix: "/c/a/r1")
                == "Referer: https://api.example.com/")
        #expect(Verifier.caseTerms(header: "Referer: http://127.0.0.1:18001/c/a/r1/start?x", map: map, prefix: "/c/a/r1")
                == "Referer: https://api.example.com/start?x")
        #expect(Verifier.caseTerms(header: "Origin: http://127.0.0.1:18000", map: map, prefix: "/c/a/r1") == "Origin: http://localhost:3000")
    }

    @Test("loopback http origins keep their own port; pins win; the rest count up from the base port")
    func ports() {
        let p = OriginMap.plannedPorts(for: ["https://a.example", "http://127.0.0.1:18190", "https://b.example", "null"], host: "127.0.0.1",
                                       pinned: ["https://b.example": 18500], basePort: 18190)
        #expect(p == [18191, 18190, 18500, 18192])
    }
}
