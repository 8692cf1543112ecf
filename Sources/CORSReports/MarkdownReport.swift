import Foundation

/// `summary.md`: a short Markdown page for a CI job summary (`$GITHUB_STEP_SUMMARY`, GitLab/Jenkins
/// descriptions): the headline, totals per browser, then the failing cases with their first
/// difference and first console message. GitHub caps a job summary at 1 MiB, so the list stops
/// after `maxCases` cases or `maxBytes` and says how many more there are.
public enum MarkdownReport {
    public static let maxCases = 200
    public static let maxBytes = 512 * 1024

    public static func render(_ report: RunReport) -> Data {
        render(report, matrix: ReportMatrix(report))
    }

    static func render(_ report: RunReport, matrix: ReportMatrix) -> Data {
        let e = MarkdownEscape.inline
        let t = report.totals
        var out = ""
        let headline: String
        if t.fail == 0 && t.error == 0 {
            headline = "✅ cors-harness: every expectation holds (\(t.pass) passed)"
        } else {
            headline = "❌ cors-harness: \(t.fail) failed, \(t.error) error\(t.error == 1 ? "" : "s"), \(t.pass) passed"
        }
        out += "## \(headline)\n\n"
        out += "\(matrix.rows.count) case\(matrix.rows.count == 1 ? "" : "s") in \(matrix.groups.count) file\(matrix.groups.count == 1 ? "" : "s") × \(report.browsers.count) browser\(report.browsers.count == 1 ? "" : "s"); "
        out += "\(t.total) results (case × step × browser): \(t.pass) passed, \(t.fail) failed, \(t.error) errors, \(t.unchecked) unchecked, \(t.skipped) skipped. "
        out += "Generated \(e(report.generated)).\n\n"
        out += "| Browser | Modelled engine | Passed | Failed | Errors | Unchecked | Skipped |\n"
        out += "|---|---|--:|--:|--:|--:|--:|\n"
        for b in report.browsers {
            let bt = report.totalsByBrowser[b.name] ?? RunReport.Totals()
            out += "| \(e(b.displayName)) | \(e(b.modelledVersion)) | \(bt.pass) | \(bt.fail) | \(bt.error) | \(bt.unchecked) | \(bt.skipped) |\n"
        }
        out += "| **All** | | **\(t.pass)** | **\(t.fail)** | **\(t.error)** | **\(t.unchecked)** | **\(t.skipped)** |\n"

        let failing = matrix.rows.filter { row in row.cells.contains { $0.verdict == "fail" || $0.verdict == "error" } }
        if !failing.isEmpty {
            out += "\n### Failing cases (\(failing.count))\n\n"
            var shown = 0
            for row in failing {
                if shown == maxCases || out.utf8.count > maxBytes { break }
                shown += 1
                let bad = row.cells.filter { $0.verdict == "fail" || $0.verdict == "error" }
                let first = report.results[matrix.representativeStep(bad[0], in: report)]
                let kind = bad.contains { $0.verdict == "error" } ? "error" : "fail"
                out += "- \(kind == "error" ? "⚠️" : "❌") **\(e(row.id))** — \(e(row.title)) · \(e(row.file)):\(first.line) · "
                out += bad.map { e($0.browser) + ($0.verdict == "error" ? " (error)" : "") }.joined(separator: ", ") + "\n"
                let step = first.steps > 1 ? "step \(first.step): " : ""
                if let d = first.differences.first {
                    out += "  - \(step)\(e(String(d.prefix { $0 != "\n" })))\n"
                }
                if let m = first.messages.first {
                    out += "  - first message (\(e(first.browser))): \(e(m))\n"
                } else {
                    out += "  - no console message (\(e(first.browser)))\n"
                }
            }
            if shown < failing.count {
                out += "\n… and \(failing.count - shown) more failing case\(failing.count - shown == 1 ? "" : "s"): see `index.html` or `junit.xml`.\n"
            }
        }
        return Data(out.utf8)
    }
}

/// The one place the Markdown summary escapes text: a value from a case file becomes one line of
/// literal text. Markdown punctuation and HTML's `<`, `>`, `&` are backslash-escaped (so
/// `<script>` shows as text and never reaches GitHub's HTML sanitizer as a tag), line breaks
/// become spaces, other control characters a visible `\xNN`.
enum MarkdownEscape {
    static let special: Set<UInt8> = Set("\\`*_[]<>|~&".utf8)

    static func inline(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || special.contains($0) }) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for u in s.unicodeScalars {
            switch u.value {
            case 0x0A, 0x0D, 0x09: out += " "
            case 0x00...0x1F, 0x7F...0x9F:
                let hex = String(u.value, radix: 16, uppercase: true)
                out += "\\\\x" + (hex.count < 2 ? "0" : "") + hex
            case 0x2028, 0x2029: out += " "
            default:
                if u.isASCII, special.contains(UInt8(u.value)) { out += "\\" }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
