import CORSCorpus
@testable import CORSReports
import Foundation
import Testing

@Suite("Writing report files")
struct ReportWriterTests {
    func listing(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test("--report DIR writes the four files atomically, replacing old ones, leaving no temporary file")
    func writesDirectory() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("Reports/nested").path
        let report = try Fixtures.basic()
        let written = try ReportWriter.write(report, files: ReportWriter.plan(directory: target + "/", single: []))
        #expect(written.map(\.path) == ["index.html", "junit.xml", "results.json", "summary.md"].map { target + "/" + $0 })
        #expect(try listing(URL(fileURLWithPath: target)) == ["index.html", "junit.xml", "results.json", "summary.md"])
        for w in written {
            let attributes = try FileManager.default.attributesOfItem(atPath: w.path)
            #expect((attributes[.size] as? NSNumber)?.intValue == w.bytes)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/results.json")) == JSONReport.render(report))
        // Again: replaced in place.
        try FileManager.default.removeItem(atPath: target + "/summary.md")
        try Data("old".utf8).write(to: URL(fileURLWithPath: target + "/summary.md"))
        try ReportWriter.write(report, files: ReportWriter.plan(directory: target, single: []))
        #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/summary.md")) == MarkdownReport.render(report))
        #expect(try listing(URL(fileURLWithPath: target)) == ["index.html", "junit.xml", "results.json", "summary.md"])
    }

    @Test("single-file flags write only what they name; a directory gets all four")
    func plan() {
        let files = ReportWriter.plan(directory: "Reports", single: [(.junit, "out/j.xml"), (.markdown, "s.md")])
        #expect(files.map(\.1) == ["Reports/index.html", "Reports/junit.xml", "Reports/results.json", "Reports/summary.md", "out/j.xml", "s.md"])
        #expect(ReportWriter.plan(directory: nil, single: [(.html, "x.html")]).map(\.1) == ["x.html"])
        #expect(ReportWriter.plan(directory: nil, single: []).isEmpty)
        #expect(ReportWriter.plan(directory: "out/", single: []).first?.1 == "out/index.html")
        #expect(ReportWriter.plan(directory: "/", single: []).first?.1 == "/index.html")
        #expect(ReportWriter.plan(directory: "", single: []).first?.1 == "./index.html")
    }

    @Test("a failed write leaves every previous file untouched and no temporary file behind")
    func failureKeepsOldFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("junit.xml")
        try Data("previous".utf8).write(to: good)
        let blocker = dir.appendingPathComponent("not-a-directory")
        try Data().write(to: blocker)
        #expect(throws: AtomicFileWriter.WriteError.self) {
            try AtomicFileWriter.writeAll([(good.path, Data("new".utf8)), (blocker.path + "/index.html", Data("new".utf8))])
        }
        #expect(try Data(contentsOf: good).utf8String == "previous")
        #expect(try listing(dir) == ["junit.xml", "not-a-directory"])
    }
}

@Suite("Edge cases every format handles")
struct EdgeCaseTests {
    @Test("an empty run renders valid, consistent files in every format")
    func emptyRun() throws {
        let report = RunReport(results: [], browsers: Fixtures.browsers, generated: "2026-01-02T03:04:05Z", command: "c", cases: [], times: [])
        let junit = try ReportFormat.junit.render(report)
        #expect(LibXML2.validate(junit, schema: Fixtures.junitSchema) == [])
        #expect(junit.utf8String.contains("<testsuites name=\"cors-harness\" tests=\"0\" failures=\"0\" errors=\"0\" time=\"0.000\">"))
        #expect(try JSONReport.render(report) == JSONReport.renderWithJSONEncoder(report))
        let html = try #require(LibXML2.parseHTML(try ReportFormat.html.render(report)))
        let island = try #require(html.all("script").first { $0["id"] == "report-data" })
        let data = try #require(try JSONSerialization.jsonObject(with: Data(island.text.utf8)) as? [String: Any])
        #expect((data["cases"] as? [Any])?.isEmpty == true)
        #expect(try ReportFormat.markdown.render(report).utf8String.hasPrefix("## ✅"))
    }

    @Test("the terminal matrix shows control characters from case files as \\xNN, never raw")
    func terminalMatrix() throws {
        let (corpus, errors) = CaseLoader().load(paths: [Fixtures.path("hostile")])
        #expect(errors.isEmpty)
        let results = Runner(browsers: Fixtures.browsers).run(corpus.cases)
        let table = TableReport.render(results, browsers: Fixtures.browsers, color: false)
        #expect(!table.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) })
        #expect(table.contains("\\x01"))
    }
}
