import CORSCorpus
import CORSModel
@testable import CORSReports
import Foundation
import Testing

@Suite("Markdown summary")
struct MarkdownReportTests {
    @Test("totals per browser and the failing cases with their first message")
    func totalsAndFailures() throws {
        let report = try Fixtures.all()
        let md = MarkdownReport.render(report).utf8String
        for b in report.browsers {
            let t = report.totalsByBrowser[b.name]!
            let row = try #require(md.split(separator: "\n").first { $0.hasPrefix("| \(b.displayName) |") })
            #expect(row.hasSuffix("| \(t.pass) | \(t.fail) | \(t.error) | \(t.unchecked) | \(t.skipped) |"), "\(row)")
        }
        #expect(md.contains("| **All** | | **\(report.totals.pass)** | **\(report.totals.fail)** | **\(report.totals.error)** |"))
        #expect(md.contains("### Failing cases (3)"))
        #expect(md.contains("**wrong-expectation-fails**") && md.contains("**preflight-not-scripted**") && md.contains("**hostile-headers**"))
        #expect(!md.contains("**exact-origin-allowed**"))
        let firstMessage = report.results.first { $0.case == "wrong-expectation-fails" && $0.browser == "chrome" }!.messages[0]
        #expect(md.contains("first message (chrome): " + MarkdownEscape.inline(firstMessage)))
        #expect(md.contains("outcome: expected allowed, got blocked"))
        #expect(md.utf8.count < 1 << 20)
    }

    @Test("a passing run says so in its headline and lists nothing")
    func passingHeadline() throws {
        let (corpus, errors) = CaseLoader().load(paths: [Fixtures.path("basic")])
        #expect(errors.isEmpty)
        let cases = corpus.cases.filter { ["exact-origin-allowed", "wildcard-credentialed-blocked"].contains($0.id) }
        let results = Runner(browsers: Fixtures.browsers).run(cases)
        let md = MarkdownReport.render(RunReport(results: results, browsers: Fixtures.browsers, generated: "now", command: "c")).utf8String
        #expect(md.hasPrefix("## ✅ cors-harness: every expectation holds (8 passed)\n"))
        #expect(!md.contains("Failing cases"))
    }

    @Test("hostile text renders as literal text: no tag, no control character, one line per item")
    func hostileText() throws {
        let md = MarkdownReport.render(try Fixtures.hostilized(try Fixtures.all())).utf8String
        var previous: Character = " "
        for c in md {
            if c == "<" { #expect(previous == "\\", "an unescaped < would start HTML") }
            previous = c
        }
        #expect(!md.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(!md.unicodeScalars.contains { (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 || $0.value == 0x2029 })
        for line in md.split(separator: "\n") where line.hasPrefix("- ") || line.hasPrefix("  - ") || line.hasPrefix("|") {
            #expect(!line.isEmpty)
        }
        #expect(MarkdownEscape.inline("a|b*c_d`e[f]<g>&h\\i\u{1}\n") == "a\\|b\\*c\\_d\\`e\\[f\\]\\<g\\>\\&h\\\\i\\\\x01 ")
    }

    @Test("a long list of failures stops before the job-summary limit and says how many more")
    func capped() throws {
        var yaml = "suite: many failures\ncases:\n"
        for i in 0..<(MarkdownReport.maxCases + 30) {
            yaml += "  - id: f-\(i)\n    title: t\n    page: http://localhost:3000\n    request: { url: 'https://a.example/\(i)' }\n"
            yaml += "    server: { 'GET https://a.example/\(i)': { headers: ['Access-Control-Allow-Origin: *'] } }\n    expect: { outcome: blocked }\n"
        }
        let (file, errors) = CaseLoader().parse(text: yaml, file: "many.yaml")
        #expect(errors.isEmpty)
        let cases = try #require(file?.cases)
        let results = Runner(browsers: [.chrome]).run(cases)
        let md = MarkdownReport.render(RunReport(results: results, browsers: [.chrome], generated: "now", command: "c")).utf8String
        #expect(md.contains("… and 30 more failing cases"))
        #expect(md.components(separatedBy: "\n- ❌").count - 1 == MarkdownReport.maxCases)
    }
}
