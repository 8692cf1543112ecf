import CORSCorpus
import CORSModel
@testable import CORSReports
import Foundation
import Testing

@Suite("JSON report")
struct JSONReportTests {
    @Test("the streaming writer produces JSONEncoder's bytes exactly", arguments: ["basic", "all", "hostile", "no-cases"])
    func matchesJSONEncoder(_ which: String) throws {
        let report: RunReport
        switch which {
        case "basic": report = try Fixtures.basic()
        case "all": report = try Fixtures.all()
        case "hostile": report = try Fixtures.hostilized(try Fixtures.all())
        default:
            let full = try Fixtures.all()
            let data = try JSONReport.renderWithJSONEncoder(full)
            var tree = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            tree["cases"] = nil
            tree["time"] = nil
            tree["results"] = (tree["results"] as! [[String: Any]]).map { r in var r = r; r["time"] = nil; return r }
            report = try JSONDecoder().decode(RunReport.self, from: try JSONSerialization.data(withJSONObject: tree))
        }
        let fast = try JSONReport.render(report)
        let reference = try JSONReport.renderWithJSONEncoder(report)
        if fast != reference {
            let a = fast.utf8String.split(separator: "\n", omittingEmptySubsequences: false)
            let b = reference.utf8String.split(separator: "\n", omittingEmptySubsequences: false)
            let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Issue.record("first difference at line \(i + 1): \(i < a.count ? String(a[i]) : "(end)") vs \(i < b.count ? String(b[i]) : "(end)")")
        }
        let decoded = try JSONDecoder().decode(RunReport.self, from: fast)
        #expect(decoded.schemaVersion == RunReport.currentSchemaVersion)
        #expect(decoded.results.count == report.results.count)
    }

    @Test("every key of the document is documented in docs/JSON-SCHEMA.md")
    func keysAreDocumented() throws {
        let data = try JSONReport.render(try Fixtures.all())
        var keys = Set<String>()
        func walk(_ v: Any, parent: String?) {
            if let d = v as? [String: Any] {
                for (k, x) in d {
                    if parent != "totalsByBrowser" { keys.insert(k) }
                    walk(x, parent: k)
                }
            } else if let a = v as? [Any] {
                a.forEach { walk($0, parent: parent) }
            }
        }
        walk(try JSONSerialization.jsonObject(with: data), parent: nil)
        let doc = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("docs/JSON-SCHEMA.md"), encoding: .utf8)
        let missing = keys.filter { !doc.contains("`\($0)`") }.sorted()
        #expect(missing == [], "undocumented keys")
        #expect(doc.contains("`schemaVersion`") && doc.contains("\(RunReport.currentSchemaVersion)"))
    }
}

/// The bundled corpus exercises cookies, caches and every outcome: both JSON writers must agree on it.
@Suite struct BundledCorpusJSONTests {
    @Test func fastWriterMatchesJSONEncoderOnTheBundledCorpus() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (corpus, errors) = CaseLoader().load(paths: [root.appendingPathComponent("Cases/cookies").path, root.appendingPathComponent("Cases/servers").path])
        #expect(errors.isEmpty)
        let results = Runner(browsers: Browser.defaultSet, tracing: true).run(corpus.cases)
        let report = RunReport(results: results, browsers: Browser.defaultSet, generated: "2026-11-30T00:00:00Z", command: "test")
        #expect(report.results.contains { $0.cookies != nil })
        #expect(report.results.contains { $0.fromCache == true })
        let fast = try JSONReport.render(report)
        let reference = try JSONReport.renderWithJSONEncoder(report)
        #expect(fast == reference)
    }
}
