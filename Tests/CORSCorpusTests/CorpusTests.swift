import Foundation
import Testing
@testable import CORSCorpus
import CORSModel

/// The bundled corpus is the specification: every case must hold in every browser.
enum BundledCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let loaded: (Corpus, [CorpusError]) = CaseLoader().load(paths: [root.appendingPathComponent("Cases").path])
    static var cases: [Case] { loaded.0.cases }
}

@Suite struct CorpusTests {
    @Test func corpusLoadsWithoutErrors() {
        #expect(BundledCorpus.loaded.1.isEmpty, "\(BundledCorpus.loaded.1.map(\.description).joined(separator: "\n"))")
        #expect(BundledCorpus.cases.count >= 60)
    }

    @Test(arguments: BundledCorpus.cases)
    func caseHoldsInEveryBrowser(_ c: Case) {
        for r in Runner().run(c, browser: .chrome) + Runner().run(c, browser: .edge) + Runner().run(c, browser: .firefox) + Runner().run(c, browser: .safari) {
            #expect(r.verdict != .fail && r.verdict != .error,
                    "\(c.id) [\(r.browser.rawValue)] step \(r.step) at \(r.location):\n\(r.differences.joined(separator: "\n"))")
        }
    }

    /// Every scenario class of wpt-inventory.md section 9 (the optional L* private-network classes
    /// aside) is covered by a case that names it (`refs: ["wpt-class: …"]`), and the corpus is big
    /// enough for `verify` (issue: at least 250 cases).
    @Test func everyWPTScenarioClassHasACase() {
        let classes = ["C": 15, "E": 10, "H": 5, "K": 12, "N": 2, "O": 12, "P": 19, "R": 19, "V": 18]
            .flatMap { prefix, n in (1...n).map { "\(prefix)\($0)" } }
        #expect(classes.count == 112)
        var named: Set<String> = []
        for c in BundledCorpus.cases {
            for r in c.refs where r.hasPrefix("wpt-class: ") { named.insert(String(r.dropFirst("wpt-class: ".count))) }
        }
        let missing = classes.filter { !named.contains($0) }
        #expect(missing.isEmpty, "no case for: \(missing.joined(separator: ", "))")
        #expect(BundledCorpus.cases.count >= 250)
    }

    /// Every error message the article quotes is stated verbatim by some case.
    @Test func articleMessagesAreCovered() {
        let stated = Set(BundledCorpus.cases.flatMap { c in
            c.steps.flatMap { s in Browser.allCases.flatMap { s.expect.resolved(for: $0).messages ?? [] } }
        })
        let article = [
            "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
            "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
            "Access to XMLHttpRequest at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
        ]
        for m in article { #expect(stated.contains(m), "no case states: \(m)") }
        // Firefox's lines in the article are printed with straight quotes; the engine prints ‘ ’.
        let firefox = [
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).",
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘https://api.example.com/data’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).",
        ]
        for m in firefox { #expect(stated.contains(m), "no case states: \(m)") }
        #expect(stated.contains { $0.contains("The 'Access-Control-Allow-Origin' header contains multiple values") })
    }

    /// Every fix of the article is the subject of at least one case (refs: "article: Fix N").
    @Test func articleFixesAreCovered() {
        let refs = BundledCorpus.cases.flatMap(\.refs).joined(separator: "\n")
        for n in 1...9 where n != 6 && n != 7 {   // the article has no Fix 6/7 headings (cookies sections are unnumbered)
            #expect(refs.contains("article: Fix \(n)"), "no case refers to article: Fix \(n)")
        }
    }
}

extension Case: CustomTestStringConvertible {
    public var testDescription: String { id }
}
