import CORSModel
@testable import CORSReports
import Foundation
import Testing

@Suite("JUnit XML")
struct JUnitReportTests {
    func parse(_ data: Data) throws -> Element {
        switch LibXML2.parseXML(data) {
        case .success(let root): return root
        case .failure(let e): throw e
        }
    }

    @Test("a normal run parses with libxml2 and validates against schemas/junit.xsd")
    func validatesAgainstSchema() throws {
        let xml = JUnitReport.render(try Fixtures.all())
        let root = try parse(xml)
        #expect(root.name == "testsuites")
        #expect(LibXML2.validate(xml, schema: Fixtures.junitSchema) == [])
    }

    @Test("hostile case text stays well-formed, valid XML and reads back as the same text")
    func hostileInputStaysValid() throws {
        let report = try Fixtures.hostilized(try Fixtures.all())
        let xml = JUnitReport.render(report)
        #expect(LibXML2.validate(xml, schema: Fixtures.junitSchema) == [])
        // No byte XML 1.0 forbids is ever written raw.
        let forbidden = xml.enumerated().first { _, b in b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D }
        #expect(forbidden == nil, "raw control byte \(forbidden.map { String($0.element, radix: 16) } ?? "") at offset \(forbidden?.offset ?? -1)")
        #expect(!xml.utf8String.contains("\u{FFFE}") && !xml.utf8String.contains("\u{FFFF}") && !xml.utf8String.contains("\u{85}"))
        let root = try parse(xml)
        let cases = root.all("testcase")
        #expect(!cases.isEmpty)
        // Markup in data comes back as text; control characters come back visible.
        #expect(cases.allSatisfy { $0["name"]!.contains(Fixtures.visiblePayload) })
        #expect(cases.allSatisfy { $0["classname"]!.contains(Fixtures.visiblePayload) })
        #expect(root.all("system-out").contains { $0.text.contains("<script>alert(10)</script>") })
        #expect(root.all("failure").allSatisfy { !$0["message"]!.isEmpty && $0["type"] == "verdict" })
        #expect(root.all("property").contains { $0["name"] == "command" && $0["value"] == "cors-harness run --report" + Fixtures.visiblePayload })
    }

    @Test("tests, failures, errors, skipped and time add up, per suite and in total")
    func countsAreConsistent() throws {
        let report = try Fixtures.all()
        let root = try parse(JUnitReport.render(report))
        func millis(_ s: String?) -> Int {
            let parts = (s ?? "").split(separator: ".")
            return Int(parts[0])! * 1000 + (parts.count > 1 ? Int(parts[1].padding(toLength: 3, withPad: "0", startingAt: 0))! : 0)
        }
        var total = (tests: 0, failures: 0, errors: 0, millis: 0)
        let suites = root.all("testsuite")
        #expect(suites.count == Set(report.results.map(\.file)).count, "one testsuite per case file")
        for suite in suites {
            let cases = suite.children.filter { $0.name == "testcase" }
            let failures = cases.filter { c in c.children.contains { $0.name == "failure" } }.count
            let errors = cases.filter { c in c.children.contains { $0.name == "error" } }.count
            let skipped = cases.filter { c in c.children.contains { $0.name == "skipped" } }.count
            #expect(Int(suite["tests"]!) == cases.count)
            #expect(Int(suite["failures"]!) == failures)
            #expect(Int(suite["errors"]!) == errors)
            #expect(Int(suite["skipped"]!) == skipped)
            #expect(millis(suite["time"]) == cases.reduce(0) { $0 + millis($1["time"]) })
            // A test case is one of: passed, failed, erred, skipped.
            for c in cases {
                let verdicts = c.children.filter { ["failure", "error", "skipped"].contains($0.name) }
                #expect(verdicts.count <= 1, "\(c["name"]!)")
                #expect(c["classname"] == suite["file"])
            }
            total.tests += cases.count; total.failures += failures; total.errors += errors
            total.millis += millis(suite["time"])
        }
        #expect(Int(root["tests"]!) == total.tests)
        #expect(Int(root["failures"]!) == total.failures)
        #expect(Int(root["errors"]!) == total.errors)
        #expect(millis(root["time"]) == total.millis)
        #expect(total.millis > 0)
        // One test case per case × browser, names unique within their class.
        let cases = root.all("testcase")
        let caseIDs = Set(report.results.map { $0.file + "\u{0}" + $0.case })
        #expect(cases.count == caseIDs.count * report.browsers.count)
        let keys = cases.map { $0["classname"]! + "\u{0}" + $0["name"]! }
        #expect(Set(keys).count == keys.count)
        // The fixture's verdicts land where expected.
        func testcase(_ name: String) -> Element? { cases.first { $0["name"] == name } }
        #expect(testcase("wrong-expectation-fails [firefox]")?.children.first?.name == "failure")
        #expect(testcase("wrong-expectation-fails [firefox]")?.children.first?["message"] == "outcome: expected allowed, got blocked")
        #expect(testcase("preflight-not-scripted [safari]")?.children.first?.name == "error")
        #expect(testcase("preflight-not-scripted [safari]")?.children.first?["type"] == "case-error")
        #expect(testcase("firefox-only-case [chrome]")?.children.first?.name == "skipped")
        #expect(testcase("firefox-only-case [chrome]")?.children.first?["message"] == "does not apply to chrome: the case lists firefox")
        #expect(testcase("safari-states-nothing [safari]")?.children.first?["message"]?.hasPrefix("unchecked") == true)
        #expect(testcase("safari-states-nothing [chrome]")?.children.contains { ["failure", "error", "skipped"].contains($0.name) } == false)
        // A three-step case is one test case per browser, its time the sum of its steps'.
        #expect(testcase("preflight-cached-then-expired [edge]")?["time"] == "0.006")
        #expect(cases.filter { $0["name"]!.hasPrefix("preflight-cached-then-expired ") }.count == report.browsers.count)
    }

    @Test("console messages go to system-out verbatim; engine versions to suite properties")
    func messagesAndProperties() throws {
        let report = try Fixtures.basic()
        let root = try parse(JUnitReport.render(report))
        let chrome = try #require(root.all("testcase").first { $0["name"] == "wildcard-credentialed-blocked [chrome]" })
        let expected = try #require(report.results.first { $0.case == "wildcard-credentialed-blocked" && $0.browser == "chrome" }?.messages)
        #expect(chrome.all("system-out").first?.text == expected.joined(separator: "\n") + "\n")
        for suite in root.all("testsuite") {
            let properties = Dictionary(uniqueKeysWithValues: suite.all("property").map { ($0["name"]!, $0["value"]!) })
            for b in report.browsers {
                #expect(properties["engine.\(b.name)"] == "\(b.displayName): \(b.modelledVersion)")
            }
            #expect(report.browsers.allSatisfy { Browser(rawValue: $0.name)?.profile.modelledVersion == $0.modelledVersion })
            #expect(properties["mode"] == "model")
        }
    }

    @Test("the schema rejects what CI readers choke on (so a passing validation means something)",
          arguments: [
              ("<testsuites><testsuite tests=\"1\" failures=\"0\" errors=\"0\"><testcase name=\"a\"/></testsuite></testsuites>", "suite without a name"),
              ("<testsuites><testsuite name=\"s\" tests=\"one\" failures=\"0\" errors=\"0\"/></testsuites>", "a count that is not a number"),
              ("<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"1\" errors=\"0\"><testcase name=\"a\"><failure>x</failure></testcase></testsuite></testsuites>", "failure without message and type"),
              ("<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase name=\"a\" time=\"1,5s\"/></testsuite></testsuites>", "time that is not seconds"),
              ("<testsuites skipped=\"1\"><testsuite name=\"s\" tests=\"0\" failures=\"0\" errors=\"0\"/></testsuites>", "skipped on testsuites (Jenkins rejects it)"),
              ("<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase name=\"a\"><properties/></testcase></testsuite></testsuites>", "properties inside a testcase"),
              ("<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\"><testcase name=\"\"/></testsuite></testsuites>", "an empty test name"),
          ])
    func schemaRejects(_ xml: String, _ why: String) {
        #expect(!LibXML2.validate(Data(xml.utf8), schema: Fixtures.junitSchema).isEmpty, "accepted \(why)")
    }

    @Test("the schema accepts the shapes other producers write (nested suites, case output, reruns)")
    func schemaAcceptsCommonShapes() {
        let xml = """
        <?xml version="1.0"?>
        <testsuites name="x" tests="3" failures="1" errors="0" time="1.5">
          <testsuite name="outer" tests="3" failures="1" errors="0" skipped="1" time="1.500" timestamp="2024-01-01T00:00:00" hostname="ci">
            <properties><property name="k" value="v"/></properties>
            <testsuite name="inner" tests="1" failures="0" errors="0"><testcase name="n" classname="c" time="0.1"/></testsuite>
            <testcase name="f"><failure message="m" type="t">text</failure><system-out>o</system-out><system-err>e</system-err></testcase>
            <testcase name="s"><skipped/></testcase>
            <testcase name="r"><flakyFailure message="m" type="t"><stackTrace>s</stackTrace></flakyFailure></testcase>
            <system-out>suite output</system-out>
          </testsuite>
        </testsuites>
        """
        #expect(LibXML2.validate(Data(xml.utf8), schema: Fixtures.junitSchema) == [])
    }

    @Test("XML escaping: markup escaped, forbidden characters made visible, attribute whitespace kept")
    func escaping() {
        #expect(XMLEscape.text("a<b>&\"'") == "a&lt;b&gt;&amp;\"'")
        #expect(XMLEscape.attribute("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&apos;")
        #expect(XMLEscape.text("\u{0}\u{1}\u{B}\u{C}\u{1B}\u{1F}\u{7F}\u{80}\u{9F}") == "\\x00\\x01\\x0B\\x0C\\x1B\\x1F\\x7F\\x80\\x9F")
        #expect(XMLEscape.text("\t\n\r") == "\t\n&#13;")
        #expect(XMLEscape.attribute("\t\n\r") == "&#9;&#10;&#13;")
        #expect(XMLEscape.text("\u{FFFE}\u{FFFF}\u{FFFD}\u{A0}é😀\u{2028}") == "\\u{FFFE}\\u{FFFF}\u{FFFD}\u{A0}é😀\u{2028}")
        #expect(XMLEscape.text("]]>") == "]]&gt;")
        #expect(XMLEscape.text("plain text") == "plain text")
    }
}
