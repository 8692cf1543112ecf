import Foundation

/// JUnit XML as Jenkins, GitLab and the GitHub test-report actions read it (schemas/junit.xsd):
/// one `<testsuite>` per case file, one `<testcase>` per case × browser.
///
/// - `classname` is the case file's path (GitLab's "Suite" column; annotators resolve it as a file),
///   `name` is `case-id [browser]`, unique across the report because case ids are.
/// - A multi-step case is one test case per browser; its verdict is the worst of its steps.
/// - `fail` → `<failure type="verdict">`, `error` (an incomplete case) → `<error type="case-error">`,
///   `skipped` (the case does not apply to the browser) and `unchecked` (it states nothing for the
///   browser, so nothing was asserted) → `<skipped message=…/>`.
/// - `<system-out>` holds the console messages; suite `<properties>` the modelled engine versions.
/// - `tests`, `failures`, `errors`, `skipped` count the test cases below; `time` is the sum of the
///   test cases' times as written (milliseconds), so the numbers always add up.
public enum JUnitReport {
    public static func render(_ report: RunReport) -> Data {
        Data(bytes(report, matrix: ReportMatrix(report)))
    }

    struct Counts { var tests = 0, failures = 0, errors = 0, skipped = 0, millis = 0 }

    static func millis(_ cell: ReportMatrix.Cell, _ report: RunReport) -> Int {
        cell.steps.reduce(0) { $0 + Int(((report.results[$1].time ?? 0) * 1000).rounded()) }
    }

    static func counts(_ group: ReportMatrix.Group, _ matrix: ReportMatrix, _ report: RunReport) -> Counts {
        var c = Counts()
        for ri in group.rows {
            for cell in matrix.rows[ri].cells {
                c.tests += 1
                c.millis += millis(cell, report)
                switch cell.verdict {
                case "fail": c.failures += 1
                case "error": c.errors += 1
                case "skipped", "unchecked": c.skipped += 1
                default: break
                }
            }
        }
        return c
    }

    static func bytes(_ report: RunReport, matrix: ReportMatrix) -> [UInt8] {
        var x = XMLOut()
        x.out.reserveCapacity(report.results.count * 2048 + 65536)
        let perGroup = matrix.groups.map { counts($0, matrix, report) }
        let total = perGroup.reduce(Counts()) {
            Counts(tests: $0.tests + $1.tests, failures: $0.failures + $1.failures, errors: $0.errors + $1.errors,
                   skipped: $0.skipped + $1.skipped, millis: $0.millis + $1.millis)
        }
        x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        // Jenkins' junit-10.xsd has no `skipped` on `<testsuites>`; each `<testsuite>` carries it.
        x.raw("<testsuites name=\"cors-harness\" tests=\"\(total.tests)\" failures=\"\(total.failures)\" errors=\"\(total.errors)\" time=\"\(seconds(total.millis))\">\n")
        for (gi, group) in matrix.groups.enumerated() {
            let counts = perGroup[gi]
            x.raw("  <testsuite name=\"")
            x.attribute(group.suite.isEmpty ? group.file : group.suite)
            x.raw("\" tests=\"\(counts.tests)\" failures=\"\(counts.failures)\" errors=\"\(counts.errors)\" skipped=\"\(counts.skipped)\" time=\"\(seconds(counts.millis))\" timestamp=\"")
            x.attribute(report.generated)
            x.raw("\" file=\"")
            x.attribute(group.file)
            x.raw("\">\n    <properties>\n")
            x.property("tool", report.tool)
            x.property("mode", "model")
            x.property("suite", group.suite)
            x.property("file", group.file)
            x.property("generated", report.generated)
            x.property("command", report.command)
            for b in report.browsers {
                x.property("engine.\(b.name)", "\(b.displayName): \(b.modelledVersion)")
            }
            x.raw("    </properties>\n")
            for ri in group.rows {
                let row = matrix.rows[ri]
                for cell in row.cells {
                    x.raw("    <testcase name=\"")
                    x.attribute(row.id)
                    x.raw(" [")
                    x.attribute(cell.browser)
                    x.raw("]\" classname=\"")
                    x.attribute(row.file)
                    x.raw("\" time=\"\(seconds(millis(cell, report)))\"")
                    switch cell.verdict {
                    case "skipped", "unchecked":
                        let why = cell.verdict == "skipped"
                            ? "does not apply to \(cell.browser)" + (row.info?.browsers.map { ": the case lists \($0.joined(separator: ", "))" } ?? "")
                            : "unchecked: the case states no expectation for \(cell.browser)"
                        x.raw(">\n      <skipped message=\"")
                        x.attribute(why)
                        x.raw("\"/>\n")
                    case "fail", "error":
                        let isError = cell.verdict == "error"
                        let (message, text) = failureText(cell.steps, report, browser: cell.browser)
                        x.raw(isError ? ">\n      <error message=\"" : ">\n      <failure message=\"")
                        x.attribute(message)
                        x.raw(isError ? "\" type=\"case-error\">" : "\" type=\"verdict\">")
                        x.text(text)
                        x.raw(isError ? "</error>\n" : "</failure>\n")
                    default:
                        x.raw(">\n")
                    }
                    systemOut(cell.steps, report, into: &x)
                    x.raw("    </testcase>\n")
                }
            }
            x.raw("  </testsuite>\n")
        }
        x.raw("</testsuites>\n")
        return x.out
    }

    static func seconds(_ millis: Int) -> String {
        let ms = millis % 1000
        return "\(millis / 1000)." + (ms < 10 ? "00" : ms < 100 ? "0" : "") + "\(ms)"
    }

    /// The failure's one-line message (its first difference) and its text: every difference, then
    /// the exchange (→ requests sent, ← responses received) and the console of each failing step.
    static func failureText(_ steps: [Int], _ report: RunReport, browser: String) -> (String, String) {
        var message = ""
        var text = ""
        for i in steps where report.results[i].verdict == "fail" || report.results[i].verdict == "error" {
            let r = report.results[i]
            let prefix = r.steps > 1 ? "step \(r.step) of \(r.steps): " : ""
            if message.isEmpty {
                let first = r.differences.first ?? r.verdict
                message = prefix + String(first.prefix { $0 != "\n" })
            }
            if !text.isEmpty { text += "\n" }
            if r.steps > 1 { text += "step \(r.step) of \(r.steps) (\(r.file):\(r.line))\n" }
            for d in r.differences { text += d + "\n" }
            text += "\npage: " + r.page + "\n"
            for (k, q) in r.requests.enumerated() {
                text += "→ " + q.method + " " + q.url + (q.preflight ? "  (preflight)\n" : "\n")
                for h in q.headers { text += "    " + h + "\n" }
                if k < r.responses.count {
                    text += "← \(r.responses[k].status)\n"
                    for h in r.responses[k].headers { text += "    " + h + "\n" }
                }
            }
            if !r.messages.isEmpty {
                text += "console (" + browser + "):\n"
                for m in r.messages { text += "  " + m + "\n" }
            }
        }
        return (message, text)
    }

    /// `<system-out>` with the console messages, verbatim, one per line (headed by the step in
    /// multi-step cases); nothing when the browser printed nothing.
    static func systemOut(_ steps: [Int], _ report: RunReport, into x: inout XMLOut) {
        var opened = false
        for i in steps where !report.results[i].messages.isEmpty {
            if !opened { x.raw("      <system-out>"); opened = true }
            if report.results[i].steps > 1 { x.raw("step \(report.results[i].step) of \(report.results[i].steps):\n") }
            for m in report.results[i].messages {
                x.text(m)
                x.out.append(0x0A)
            }
        }
        if opened { x.raw("</system-out>\n") }
    }
}

/// The one place the JUnit report escapes text: `&`, `<`, `>` always; `"` and `'` in attributes,
/// with tab, line feed and carriage return as references there so attribute normalisation keeps
/// them (a carriage return also in text). XML 1.0 allows only #x9 #xA #xD #x20-#xD7FF
/// #xE000-#xFFFD #x10000-#x10FFFF, even as character references: every other C0 control (NUL,
/// ESC, …), U+FFFE and U+FFFF become a visible `\xNN` / `\u{FFFE}`, and so do DEL and the C1
/// controls, which XML allows but no reader wants raw. Invalid UTF-8 cannot reach here: Swift
/// strings hold Unicode scalars (undecodable bytes are already U+FFFD).
struct XMLOut {
    var out: [UInt8] = []

    mutating func raw(_ s: String) { out.append(contentsOf: s.utf8) }
    mutating func text(_ s: String) { escape(s, attribute: false) }
    mutating func attribute(_ s: String) { escape(s, attribute: true) }

    mutating func property(_ name: String, _ value: String) {
        raw("      <property name=\"")
        attribute(name)
        raw("\" value=\"")
        attribute(value)
        raw("\"/>\n")
    }

    mutating func escape(_ s: String, attribute: Bool) {
        var s = s
        s.withUTF8 { u in
            var start = 0
            var i = 0
            let n = u.count
            while i < n {
                let b = u[i]
                var replacement: String?
                var width = 1
                switch b {
                case 0x26: replacement = "&amp;"
                case 0x3C: replacement = "&lt;"
                case 0x3E: replacement = "&gt;"
                case 0x22 where attribute: replacement = "&quot;"
                case 0x27 where attribute: replacement = "&apos;"
                case 0x09 where attribute: replacement = "&#9;"
                case 0x0A where attribute: replacement = "&#10;"
                case 0x0D: replacement = "&#13;"
                case 0x09, 0x0A: break
                case 0x00...0x1F, 0x7F: replacement = XMLOut.visible(UInt32(b))
                case 0xC2 where i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F:
                    replacement = XMLOut.visible(UInt32(u[i + 1])); width = 2
                case 0xEF where i + 2 < n && u[i + 1] == 0xBF && (u[i + 2] == 0xBE || u[i + 2] == 0xBF):
                    replacement = u[i + 2] == 0xBE ? "\\u{FFFE}" : "\\u{FFFF}"; width = 3
                default: break
                }
                if let replacement {
                    if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i])) }
                    out.append(contentsOf: replacement.utf8)
                    start = i + width
                }
                i += width
            }
            if start < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<n])) }
        }
    }

    static func visible(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "\\x" + (hex.count < 2 ? "0" : "") + hex
    }
}

/// Escaping helpers for tests and other callers that want a `String`.
enum XMLEscape {
    static func text(_ s: String) -> String { var x = XMLOut(); x.text(s); return String(decoding: x.out, as: UTF8.self) }
    static func attribute(_ s: String) -> String { var x = XMLOut(); x.attribute(s); return String(decoding: x.out, as: UTF8.self) }
}
