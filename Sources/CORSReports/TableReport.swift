import CORSCorpus
import Foundation
import CORSModel

/// The terminal matrix: rows are cases (and steps), columns browsers, then the failures and totals.
public enum TableReport {
    public static func render(_ results: [CaseResult], browsers: [Browser], color: Bool) -> String {
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func cell(_ v: Verdict?) -> String {
            switch v {
            case .pass?: return paint("pass", "32")
            case .fail?: return paint("FAIL", "1;31")
            case .error?: return paint("ERROR", "1;33")
            case .unchecked?: return paint("-", "2")
            case .skipped?: return paint("skip", "2")
            case nil: return ""
            }
        }
        func width(_ v: Verdict?) -> Int {
            switch v { case .pass?: 4; case .fail?: 4; case .error?: 5; case .unchecked?: 1; case .skipped?: 4; case nil: 0 }
        }

        // Group rows by case id + step, preserving order.
        var order: [String] = []
        var rows: [String: [Browser: Verdict]] = [:]
        for r in results {
            let key = r.stepCount > 1 ? "\(r.caseID) #\(r.step)" : r.caseID
            if rows[key] == nil { order.append(key) }
            rows[key, default: [:]][r.browser] = r.verdict
        }
        let idWidth = max(4, order.map(\.count).max() ?? 0)
        let colWidth = max(7, browsers.map(\.rawValue.count).max() ?? 0) + 2
        var out = "case".padding(toLength: idWidth, withPad: " ", startingAt: 0)
        for b in browsers { out += "  " + b.rawValue.padding(toLength: colWidth, withPad: " ", startingAt: 0) }
        out += "\n" + String(repeating: "-", count: idWidth + browsers.count * (colWidth + 2)) + "\n"
        for key in order {
            out += key.padding(toLength: idWidth, withPad: " ", startingAt: 0)
            for b in browsers {
                let v = rows[key]?[b]
                out += "  " + cell(v) + String(repeating: " ", count: max(0, colWidth - width(v)))
            }
            out += "\n"
        }

        let problems = results.filter { $0.verdict == .fail || $0.verdict == .error }
        if !problems.isEmpty {
            out += "\n"
            for r in problems {
                let tag = r.verdict == .fail ? paint("FAIL", "1;31") : paint("ERROR", "1;33")
                let step = r.stepCount > 1 ? " step \(r.step)" : ""
                out += "\(tag) \(r.caseID)\(step) [\(r.browser.rawValue)] \(r.location)\n"
                for d in r.differences { out += "    " + TableReport.visible(d).replacingOccurrences(of: "\n", with: "\n    ") + "\n" }
            }
        }

        out += "\n"
        for b in browsers {
            let mine = results.filter { $0.browser == b }
            let pass = mine.filter { $0.verdict == .pass }.count
            let fail = mine.filter { $0.verdict == .fail }.count
            let err = mine.filter { $0.verdict == .error }.count
            out += "\(b.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(pass) passed, \(fail) failed, \(err) errors\n"
        }
        let pass = results.filter { $0.verdict == .pass }.count
        let fail = results.filter { $0.verdict == .fail }.count
        let err = results.filter { $0.verdict == .error }.count
        let unchecked = results.filter { $0.verdict == .unchecked }.count
        let skipped = results.filter { $0.verdict == .skipped }.count
        out += "total: \(pass) passed, \(fail) failed, \(err) errors, \(unchecked) unchecked, \(skipped) skipped\n"
        return out
    }

    /// Case text as the terminal shows it: control characters (ESC above all, which would drive the
    /// terminal) as a visible `\xNN`; line feeds and tabs kept.
    static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if (u.value < 0x20 && u != "\n" && u != "\t") || (0x7F...0x9F).contains(u.value) {
                let hex = String(u.value, radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
