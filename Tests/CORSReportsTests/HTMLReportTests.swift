import CORSModel
@testable import CORSReports
import Foundation
import Testing

@Suite("HTML report")
struct HTMLReportTests {
    func page(_ html: Data) throws -> Element {
        try #require(LibXML2.parseHTML(html), "libxml2 could not parse index.html")
    }

    func island(_ root: Element) throws -> [String: Any] {
        let script = try #require(root.all("script").first { $0["id"] == "report-data" })
        #expect(script["type"] == "application/json")
        let object = try JSONSerialization.jsonObject(with: Data(script.text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test("one self-contained file: no external resource, a CSP that runs only the page's own script")
    func selfContained() throws {
        let html = HTMLReport.render(try Fixtures.all())
        let root = try page(html)
        let scripts = root.all("script")
        #expect(scripts.count == 2)
        #expect(scripts.allSatisfy { $0["src"] == nil })
        for tag in ["link", "img", "iframe", "object", "embed", "base", "a", "form"] {
            #expect(root.all(tag).isEmpty, "static page has a <\(tag)>")
        }
        #expect(root.allElements().allSatisfy { $0["src"] == nil && $0["href"] == nil })
        let csp = try #require(root.all("meta").first { $0["http-equiv"] == "Content-Security-Policy" }?["content"])
        #expect(csp.contains("default-src 'none'"))
        let app = try #require(scripts.first { $0["type"] == nil })
        let hash = Data(SHA256.hash(Array(app.text.utf8))).base64EncodedString()
        #expect(csp.contains("script-src 'sha256-\(hash)';"), "the CSP hash must match the inline script as parsed")
        #expect(!csp.contains("unsafe-inline'; img") || csp.contains("style-src 'unsafe-inline'"))
        #expect(!csp.contains("script-src 'unsafe-inline'"))
    }

    @Test("header: headline, engine versions, time and totals, in static HTML")
    func header() throws {
        let report = try Fixtures.all()
        let root = try page(HTMLReport.render(report))
        let headline = try #require(root.all("p").first { $0["id"] == "headline" })
        let t = report.totals
        #expect(headline.text.contains("\(t.fail) failed, \(t.error) errors, \(t.pass) passed"))
        #expect(headline.text.contains("\(t.unchecked) unchecked, \(t.skipped) skipped"))
        let engines = try #require(root.all("table").first { $0["id"] == "engines" })
        let rows = engines.all("tr").filter { !$0.all("th").isEmpty && !$0.all("td").isEmpty }
        for b in report.browsers {
            let row = try #require(rows.first { $0.all("th").first?.text == b.displayName })
            let cells = row.all("td").map(\.text)
            let bt = report.totalsByBrowser[b.name]!
            #expect(cells == [b.modelledVersion, "\(bt.pass)", "\(bt.fail)", "\(bt.error)", "\(bt.unchecked)", "\(bt.skipped)"])
        }
        #expect(root.all("time").first?["datetime"] == report.generated)
    }

    @Test("hostile text from case files is inert: escaped in the page, exact in the data")
    func hostileDataIsInert() throws {
        let report = try Fixtures.hostilized(try Fixtures.all())
        let html = HTMLReport.render(report)
        let text = html.utf8String
        // Only the page's two script elements exist, however the data tries.
        #expect(text.components(separatedBy: "<script").count - 1 == 2)
        #expect(text.lowercased().components(separatedBy: "<script").count - 1 == 2)
        #expect(!text.contains("<img"))
        let root = try page(html)
        #expect(root.all("script").count == 2)
        #expect(root.all("img").isEmpty)
        #expect(root.allElements().allSatisfy { e in !e.attributes.keys.contains { $0.lowercased().hasPrefix("on") } })
        // The data island holds no character that could end it or confuse a JS parser.
        let start = try #require(text.range(of: "<script type=\"application/json\" id=\"report-data\">"))
        let end = try #require(text.range(of: "</script>", range: start.upperBound..<text.endIndex))
        let raw = text[start.upperBound..<end.lowerBound]
        for c in ["<", ">", "&", "\u{2028}", "\u{2029}", "\u{0}", "\u{1B}", "\u{85}", "\u{FFFE}", "\u{FFFF}"] {
            #expect(!raw.contains(c), "raw \(c.unicodeScalars.first!.value) in the data island")
        }
        // …and decodes to the exact strings (the page shows them with textContent).
        let data = try island(root)
        let cases = try #require(data["cases"] as? [[String: Any]])
        let titles = Set(cases.compactMap { $0["title"] as? String })
        #expect(titles == Set(report.results.map(\.title)))
        let strings = try #require(data["strings"] as? [String])
        #expect(strings.contains { $0.hasPrefix("Access-Control-Allow-Origin: <script>alert(10)</script>") && $0.hasSuffix(Fixtures.payload) })
        #expect(data["command"] as? String == report.command)
        // Static text shows control characters as \xNN.
        let command = try #require(root.all("code").first)
        #expect(command.text == "cors-harness run --report" + Fixtures.visiblePayload.replacingOccurrences(of: "\r", with: "\\x0D"))
    }

    @Test("the data island describes the matrix: one row per case, a cell per browser, results by index")
    func islandMatchesResults() throws {
        let report = try Fixtures.all()
        let data = try island(try page(HTMLReport.render(report)))
        #expect(data["format"] as? Int == HTMLReport.dataFormat)
        let strings = try #require(data["strings"] as? [String])
        let cases = try #require(data["cases"] as? [[String: Any]])
        let groups = try #require(data["groups"] as? [[String: Any]])
        #expect(groups.count == Set(report.results.map(\.file)).count)
        #expect(cases.count == Set(report.results.map { $0.file + "\u{0}" + $0.case }).count)
        for c in cases {
            let id = try #require(c["id"] as? String)
            let cells = try #require(c["cells"] as? [Any])
            let results = try #require(c["results"] as? [[String: Any]])
            #expect(cells.count == report.browsers.count)
            for (bi, b) in report.browsers.enumerated() {
                let mine = report.results.filter { $0.case == id && $0.browser == b.name }
                let cell = try #require(cells[bi] as? [String: Any])
                #expect(cell["v"] as? String == ReportMatrix.aggregate(mine.map(\.verdict)), "\(id) [\(b.name)]")
                let refs = try #require(cell["r"] as? [Int])
                #expect(refs.count == mine.count)
                for (k, r) in refs.enumerated() {
                    let result = results[r]
                    #expect(strings[result["v"] as! Int] == mine[k].verdict)
                    #expect((result["msg"] as! [Int]).map { strings[$0] } == mine[k].messages)
                    #expect((result["tr"] as! [[Int]]).map { $0.map { strings[$0] } } == mine[k].trace.map { [$0.anchor, $0.text] })
                }
            }
        }
        // The multi-step case keeps its three steps; Chrome and Edge share identical results.
        let multi = try #require(cases.first { $0["id"] as? String == "preflight-cached-then-expired" })
        #expect(multi["n"] as? Int == 3)
        #expect((multi["steps"] as? [Any])?.count == 3)
        let cells = multi["cells"] as! [[String: Any]]
        #expect(cells[0]["r"] as! [Int] == cells[1]["r"] as! [Int])
        let server = try #require(cases.first { $0["id"] as? String == "wildcard-credentialed-blocked" }?["server"] as? [[String: Any]])
        #expect(server.map { strings[$0["key"] as! Int] } == ["GET https://api.example.com/data"])
    }

    @Test("SHA-256 known answers (FIPS 180-4 examples)")
    func sha256() {
        func hex(_ s: String) -> String { SHA256.hash(Array(s.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test("HTML and island escaping, one function each")
    func escaping() {
        #expect(HTMLEscape.text("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLEscape.text("a\u{0}b\u{1B}c\u{7F}\u{85}\r\n\t\u{FFFE}") == "a\\x00b\\x1Bc\\x7F\\x85\\x0D\n\t\\u{FFFE}")
        var w = JSONIsland(out: [])
        w.string("</script><!--\u{2028}\u{2029}&\"\\\u{0}\u{1F}\u{7F}\u{85}\u{FFFE}\u{FFFF}\u{FFFD}é\n")
        #expect(String(decoding: w.out, as: UTF8.self) == #""\u003c/script\u003e\u003c!--\u2028\u2029\u0026\"\\\u0000\u001f\u007f\u0085\ufffe\uffff"# + "\u{FFFD}é" + #"\n""#)
    }
}
