import CORSModel
import Foundation

/// `index.html`: one self-contained page (inline CSS and script, no network: its
/// Content-Security-Policy allows no fetches and runs only the page's own script, by hash).
///
/// The header (headline, engines, totals) is static HTML. The matrix is drawn by the inline script
/// from a JSON data island (`<script type="application/json" id="report-data">`), a page of rows at
/// a time, so a 10,000-case run opens and filters at once. The script writes data into the page
/// with `textContent`/`setAttribute` only, never as markup.
///
/// Escaping lives here, once per context: `HTMLEscape` for the static HTML, `JSONIsland` for the data.
public enum HTMLReport {
    /// Version of the data island's shape (independent of `RunReport.schemaVersion`).
    public static let dataFormat = 1

    public static func render(_ report: RunReport) -> Data {
        Data(bytes(report, matrix: ReportMatrix(report)))
    }

    static func bytes(_ report: RunReport, matrix: ReportMatrix) -> [UInt8] {
        let t = report.totals
        let esc = HTMLEscape.text
        var h = ""
        h.reserveCapacity(64 * 1024)
        let headline: String
        if t.fail == 0 && t.error == 0 {
            headline = "✓ Every expectation holds: \(t.pass) passed"
        } else {
            headline = "✗ \(t.fail) failed, \(t.error) error\(t.error == 1 ? "" : "s"), \(t.pass) passed"
        }
        let extra = "\(t.unchecked) unchecked, \(t.skipped) skipped"
        let scriptHash = Data(SHA256.hash(Array(HTMLAssets.script.utf8))).base64EncodedString()
        h += """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-\(scriptHash)'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <meta name="generator" content="\(esc(report.tool))">
        <title>\(t.fail + t.error > 0 ? "✗" : "✓") cors-harness report: \(esc(headline))</title>
        <style>\(HTMLAssets.style)</style>
        </head>
        <body>
        <header id="top">
        <h1>cors-harness report</h1>
        <p id="headline" class="\(t.fail + t.error > 0 ? "bad" : "good")">\(esc(headline)), \(extra) — \(matrix.rows.count) case\(matrix.rows.count == 1 ? "" : "s") in \(matrix.groups.count) file\(matrix.groups.count == 1 ? "" : "s") × \(report.browsers.count) browser\(report.browsers.count == 1 ? "" : "s")</p>
        <p class="meta">Generated <time datetime="\(esc(report.generated))">\(esc(report.generated))</time>\(report.time.map { String(format: " · evaluated in %.3f s", $0) } ?? "") · <code>\(esc(report.command))</code></p>
        <table id="engines">
        <caption>Modelled engines and results (case × step × browser)</caption>
        <thead><tr><th scope="col">Browser</th><th scope="col">Modelled engine</th><th scope="col">✓ pass</th><th scope="col">✗ fail</th><th scope="col">⚠ error</th><th scope="col">○ unchecked</th><th scope="col">– skipped</th></tr></thead>
        <tbody>

        """
        for b in report.browsers {
            let bt = report.totalsByBrowser[b.name] ?? RunReport.Totals()
            h += "<tr><th scope=\"row\">\(esc(b.displayName))</th><td>\(esc(b.modelledVersion))</td><td>\(bt.pass)</td><td class=\"\(bt.fail > 0 ? "bad" : "")\">\(bt.fail)</td><td class=\"\(bt.error > 0 ? "bad" : "")\">\(bt.error)</td><td>\(bt.unchecked)</td><td>\(bt.skipped)</td></tr>\n"
        }
        h += "<tr class=\"all\"><th scope=\"row\">All</th><td></td><td>\(t.pass)</td><td>\(t.fail)</td><td>\(t.error)</td><td>\(t.unchecked)</td><td>\(t.skipped)</td></tr>\n"
        h += "</tbody>\n</table>\n</header>\n"
        h += "<noscript><p class=\"bad\">The matrix, filters and details need JavaScript. The same data is in results.json and junit.xml.</p></noscript>\n"
        h += "<section id=\"controls\" aria-label=\"Filters\">\n<fieldset><legend>Browsers</legend>"
        for b in report.browsers {
            h += "<label><input type=\"checkbox\" name=\"browser\" value=\"\(esc(b.name))\" checked> \(esc(b.displayName))</label>"
        }
        h += "</fieldset>\n<fieldset><legend>Verdict</legend>"
        for (v, label) in [("pass", "✓ pass"), ("fail", "✗ fail"), ("error", "⚠ error"), ("unchecked", "○ unchecked"), ("skipped", "– skipped")] {
            h += "<label class=\"v-\(v)\"><input type=\"checkbox\" name=\"verdict\" value=\"\(v)\" checked> \(label)</label>"
        }
        h += "<button type=\"button\" id=\"f-failing\">failures only</button></fieldset>\n"
        h += "<fieldset><legend>Outcome</legend><select id=\"f-outcome\" aria-label=\"Outcome\"><option value=\"\">any outcome</option>"
        for o in OutcomeKind.allCases { h += "<option value=\"\(o.rawValue)\">\(o.rawValue)</option>" }
        h += "</select> <label><input type=\"checkbox\" id=\"f-disagree\"> engines disagree</label> <label><input type=\"checkbox\" id=\"f-divergence\"> known divergence</label></fieldset>\n"
        h += "<fieldset><legend>Search</legend><input type=\"search\" id=\"f-text\" placeholder=\"id, title, file, reason, message…\" aria-label=\"Search\" size=\"32\"> <button type=\"button\" id=\"f-reset\">reset filters</button></fieldset>\n"
        h += "</section>\n<p id=\"status\" role=\"status\" aria-live=\"polite\"></p>\n"
        h += "<div id=\"matrix-wrap\"><table id=\"matrix\"><thead></thead><tbody></tbody></table></div>\n"
        h += "<nav id=\"pager\" aria-label=\"Pages\"><button type=\"button\" id=\"page-prev\">← previous</button> <span id=\"page-info\"></span> <button type=\"button\" id=\"page-next\">next →</button> <label>rows per page <select id=\"page-size\"><option>100</option><option selected>200</option><option>500</option><option>1000</option></select></label></nav>\n"
        h += "<aside id=\"detail\" hidden aria-label=\"Case detail\" tabindex=\"-1\"></aside>\n"
        h += "<script type=\"application/json\" id=\"report-data\">"
        var out: [UInt8] = []
        out.reserveCapacity(h.utf8.count + HTMLAssets.script.utf8.count + report.results.count * 2048 + 65536)
        out += h.utf8
        JSONIsland.write(report, matrix, into: &out)
        out += Array("</script>\n<script>".utf8)
        out += Array(HTMLAssets.script.utf8)
        out += Array("</script>\n</body>\n</html>\n".utf8)
        return out
    }
}

/// The one place static HTML is escaped: `& < > " '` become references (values are always in
/// double-quoted attributes or text); control characters other than tab and line feed, DEL, the C1
/// controls and U+FFFE/U+FFFF a visible `\xNN` / `\u{FFFE}`, as in the JUnit report.
enum HTMLEscape {
    static func text(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xEF }) {
            return s
        }
        var out = ""
        for u in s.unicodeScalars {
            switch u.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22: out += "&quot;"
            case 0x27: out += "&#39;"
            case 0x0A, 0x09: out.unicodeScalars.append(u)
            case 0x00...0x1F, 0x7F...0x9F:
                let hex = String(u.value, radix: 16, uppercase: true)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            case 0xFFFE, 0xFFFF: out += "\\u{\(String(u.value, radix: 16, uppercase: true))}"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}

/// The data island: compact JSON that is also safe inside `<script type="application/json">`.
/// Strings escape `"` `\` and every control character as JSON requires, and also `<`, `>`, `&`
/// (so no `</script>` or `<!--` can appear), U+2028/U+2029, DEL, the C1 controls and U+FFFE/U+FFFF,
/// as `\uXXXX`: the island's text is plain printable characters whatever the data holds.
///
/// Shape (format 1): `{format, tool, generated, command, time, browsers[{name, displayName, engine,
/// modelledVersion}], groups[{suite, file}], cases[…], strings[…]}`. A case holds what the matrix
/// and the filters need as plain values — `{id, title, g (group), file, line, n (steps), refs,
/// divergence, verified, verifiedNote, notes, applies, cells[per browser: {v, o, r[result per
/// step]} or null], …}` — and its detail with every string as an index into `strings` (a 10,000-case
/// run repeats the same header lines, messages and trace steps many times): `steps[{page, after,
/// line, request{api, method, url, headers, credentials, withCredentials, mode, redirect, body,
/// uploadListener}}]`, `server[{key, responses[{status, headers, body}]}]`, `results[{step, line, v,
/// o, stage, reason, pf, status, rt, page, exposed, req[{m, u, h, p}], resp[{s, h}], msg, tr[[anchor,
/// text]], exp{…}, diff}]`. Identical results of one case (Chrome and Edge, most often) are stored once.
struct JSONIsland {
    var out: [UInt8]
    var table = StringTable()

    init(out: [UInt8]) { self.out = out }

    static func write(_ report: RunReport, _ matrix: ReportMatrix, into bytes: inout [UInt8]) {
        var w = JSONIsland(out: bytes)
        bytes = []
        w.raw("{\"format\":\(HTMLReport.dataFormat),\"tool\":")
        w.string(report.tool)
        w.raw(",\"generated\":"); w.string(report.generated)
        w.raw(",\"command\":"); w.string(report.command)
        w.raw(",\"time\":"); if let t = report.time { w.raw(String(format: "%.6f", t)) } else { w.raw("null") }
        w.raw(",\"browsers\":[")
        for (i, b) in report.browsers.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"name\":"); w.string(b.name)
            w.raw(",\"displayName\":"); w.string(b.displayName)
            w.raw(",\"engine\":"); w.string(b.engine)
            w.raw(",\"modelledVersion\":"); w.string(b.modelledVersion)
            w.raw("}")
        }
        w.raw("],\"groups\":[")
        var groupOf = [Int](repeating: 0, count: matrix.rows.count)
        for (gi, g) in matrix.groups.enumerated() {
            if gi > 0 { w.raw(",") }
            w.raw("{\"suite\":"); w.string(g.suite)
            w.raw(",\"file\":"); w.string(g.file)
            w.raw("}")
            for r in g.rows { groupOf[r] = gi }
        }
        w.raw("],\"cases\":[")
        let browserIndex = Dictionary(report.browsers.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        var scratch = JSONIsland(out: [])
        for (ri, row) in matrix.rows.enumerated() {
            if ri > 0 { w.raw(",\n") }
            w.writeCase(row, group: groupOf[ri], report: report, matrix: matrix, browserIndex: browserIndex, scratch: &scratch)
        }
        w.raw("],\"strings\":[")
        let table = w.table
        table.arena.withUnsafeBufferPointer { arena in
            for (i, span) in table.spans.enumerated() {
                if i > 0 { w.out.append(0x2C) }
                if i % 64 == 63 { w.out.append(0x0A) }
                w.escaped(UnsafeBufferPointer(rebasing: arena[span.start..<(span.start + span.count)]))
            }
        }
        w.raw("]}")
        bytes = w.out
    }

    mutating func writeCase(_ row: ReportMatrix.Row, group: Int, report: RunReport, matrix: ReportMatrix,
                            browserIndex: [String: Int], scratch: inout JSONIsland) {
        raw("{\"id\":"); string(row.id)
        raw(",\"title\":"); string(row.title)
        raw(",\"g\":"); int(group)
        raw(",\"file\":"); string(row.file)
        raw(",\"line\":"); int(row.line)
        let stepCount = row.cells.map(\.steps.count).max() ?? 1
        raw(",\"n\":"); int(stepCount)
        if let info = row.info {
            raw(",\"refs\":"); strings(info.refs)
            raw(",\"divergence\":"); optional(info.divergence)
            raw(info.verified ? ",\"verified\":true" : ",\"verified\":false")
            raw(",\"verifiedNote\":"); optional(info.verifiedNote)
            raw(",\"notes\":"); optional(info.notes)
            raw(",\"applies\":"); if let b = info.browsers { strings(b) } else { raw("null") }
            raw(",\"steps\":[")
            for (i, s) in info.steps.enumerated() {
                if i > 0 { raw(",") }
                raw("{\"page\":"); ref(s.page)
                raw(",\"after\":\(s.after),\"line\":"); int(s.line)
                raw(",\"request\":{\"api\":"); ref(s.request.api)
                raw(",\"method\":"); ref(s.request.method)
                raw(",\"url\":"); ref(s.request.url)
                raw(",\"headers\":"); refs(s.request.headers)
                raw(",\"credentials\":"); ref(s.request.credentials)
                raw(s.request.withCredentials ? ",\"withCredentials\":true,\"mode\":" : ",\"withCredentials\":false,\"mode\":"); ref(s.request.mode)
                raw(",\"redirect\":"); ref(s.request.redirect)
                raw(",\"body\":"); optionalRef(s.request.body)
                raw(s.request.uploadListener ? ",\"uploadListener\":true}}" : ",\"uploadListener\":false}}")
            }
            raw("],\"server\":[")
            for (i, entry) in info.server.enumerated() {
                if i > 0 { raw(",") }
                raw("{\"key\":"); ref(entry.key)
                raw(",\"responses\":[")
                for (j, r) in entry.responses.enumerated() {
                    if j > 0 { raw(",") }
                    raw("{\"status\":"); int(r.status)
                    raw(",\"headers\":"); refs(r.headers)
                    raw(",\"body\":"); optionalRef(r.body)
                    raw("}")
                }
                raw("]}")
            }
            raw("]")
        } else {
            raw(",\"refs\":[],\"divergence\":null,\"verified\":null,\"verifiedNote\":null,\"notes\":null,\"applies\":null,\"steps\":[],\"server\":[]")
        }
        // Results, each distinct evaluation once; cells point at them.
        var results: [(first: Int, bytes: Range<Int>)] = []
        scratch.out.removeAll(keepingCapacity: true)
        var cells = [[Int]?](repeating: nil, count: report.browsers.count)
        var cellVerdicts = [String](repeating: "", count: report.browsers.count)
        var cellOutcomes = [String?](repeating: nil, count: report.browsers.count)
        swap(&table, &scratch.table)
        for cell in row.cells {
            guard let bi = browserIndex[cell.browser] else { continue }
            var indices: [Int] = []
            for ri in cell.steps {
                if let k = results.firstIndex(where: { report.results[$0.first].sameEvaluation(as: report.results[ri]) }) {
                    indices.append(k)
                    continue
                }
                let start = scratch.out.count
                scratch.writeResult(report.results[ri])
                indices.append(results.count)
                results.append((ri, start..<scratch.out.count))
            }
            cells[bi] = indices
            cellVerdicts[bi] = cell.verdict
            let rep = report.results[matrix.representativeStep(cell, in: report)]
            // An incomplete case (error) or a skipped one has no outcome to show or filter on.
            cellOutcomes[bi] = rep.verdict == "skipped" || rep.verdict == "error" ? nil : rep.outcome
        }
        swap(&table, &scratch.table)
        raw(",\"cells\":[")
        for bi in cells.indices {
            if bi > 0 { raw(",") }
            guard let indices = cells[bi] else { raw("null"); continue }
            raw("{\"v\":"); string(cellVerdicts[bi])
            raw(",\"o\":"); optional(cellOutcomes[bi])
            raw(",\"r\":[")
            for (k, i) in indices.enumerated() {
                if k > 0 { out.append(0x2C) }
                int(i)
            }
            raw("]}")
        }
        raw("],\"results\":[")
        for (i, r) in results.enumerated() {
            if i > 0 { out.append(0x2C) }
            out += scratch.out[r.bytes]
        }
        raw("]}")
    }

    mutating func writeResult(_ r: borrowing RunReport.Result) {
        raw("{\"step\":"); int(r.step)
        raw(",\"line\":"); int(r.line)
        raw(",\"v\":"); ref(r.verdict)
        raw(",\"o\":"); optionalRef(r.outcome)
        raw(",\"stage\":"); optionalRef(r.stage)
        raw(",\"reason\":"); optionalRef(r.reason)
        raw(r.preflight ? ",\"pf\":true,\"status\":" : ",\"pf\":false,\"status\":")
        if let s = r.status { int(s) } else { raw("null") }
        raw(",\"rt\":"); optionalRef(r.responseType)
        raw(",\"page\":"); ref(r.page)
        raw(",\"exposed\":"); refs(r.exposed)
        raw(",\"req\":[")
        for (i, q) in r.requests.enumerated() {
            if i > 0 { out.append(0x2C) }
            raw("{\"m\":"); ref(q.method)
            raw(",\"u\":"); ref(q.url)
            raw(",\"h\":"); refs(q.headers)
            raw(q.preflight ? ",\"p\":true}" : ",\"p\":false}")
        }
        raw("],\"resp\":[")
        for (i, s) in r.responses.enumerated() {
            if i > 0 { out.append(0x2C) }
            raw("{\"s\":"); int(s.status)
            raw(",\"h\":"); refs(s.headers)
            raw("}")
        }
        raw("],\"msg\":"); refs(r.messages)
        raw(",\"tr\":[")
        for (i, s) in r.trace.enumerated() {
            if i > 0 { out.append(0x2C) }
            out.append(0x5B); ref(s.anchor); out.append(0x2C); ref(s.text); out.append(0x5D)
        }
        raw("],\"exp\":{")
        var first = true
        func key(_ k: StaticString) {
            if !first { out.append(0x2C) }
            first = false
            out.append(0x22)
            k.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(0x22); out.append(0x3A)
        }
        let e = r.expected
        if let v = e.outcome { key("outcome"); ref(v) }
        if let v = e.stage { key("stage"); ref(v) }
        if let v = e.reason { key("reason"); ref(v) }
        if let v = e.preflight { key("preflight"); raw(v ? "true" : "false") }
        if let v = e.status { key("status"); int(v) }
        if let v = e.exposed { key("exposed"); refs(v) }
        if let v = e.requests { key("requests"); refs(v) }
        if let v = e.messages { key("messages"); refs(v) }
        raw("},\"diff\":"); refs(r.differences)
        out.append(0x7D)
    }

    mutating func raw(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
    mutating func raw(_ s: String) { out.append(contentsOf: s.utf8) }

    mutating func int(_ v: Int) {
        if v < 0 { out.append(0x2D); int(-v); return }
        if v >= 10 { int(v / 10) }
        out.append(0x30 + UInt8(v % 10))
    }

    /// A string of the detail, as its index in the string table.
    mutating func ref(_ s: String) {
        int(table.index(s))
    }

    mutating func optionalRef(_ s: String?) {
        if let s { ref(s) } else { raw("null") }
    }

    mutating func refs(_ a: [String]) {
        out.append(0x5B)
        for (i, s) in a.enumerated() {
            if i > 0 { out.append(0x2C) }
            ref(s)
        }
        out.append(0x5D)
    }

    mutating func optional(_ s: String?) {
        if let s { string(s) } else { raw("null") }
    }

    mutating func strings(_ a: [String]) {
        out.append(0x5B)
        for (i, s) in a.enumerated() {
            if i > 0 { out.append(0x2C) }
            string(s)
        }
        out.append(0x5D)
    }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { escaped($0) }
    }

    /// A JSON string literal of UTF-8 bytes, escaped for the island.
    mutating func escaped(_ u: UnsafeBufferPointer<UInt8>) {
        out.append(0x22)
        do {
            let hex: StaticString = "0123456789abcdef"
            var start = 0
            var i = 0
            let n = u.count
            while i < n {
                let b = u[i]
                let isSeparator = b == 0xE2 && i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)
                let isC1 = b == 0xC2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F
                let isNonCharacter = b == 0xEF && i + 2 < n && u[i + 1] == 0xBF && (u[i + 2] == 0xBE || u[i + 2] == 0xBF)
                guard b < 0x20 || b == 0x22 || b == 0x5C || b == 0x3C || b == 0x3E || b == 0x26 || b == 0x7F || isSeparator || isC1 || isNonCharacter else {
                    i += 1
                    continue
                }
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i])) }
                switch b {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(0x6E)
                case 0x0D: out.append(0x5C); out.append(0x72)
                case 0x09: out.append(0x5C); out.append(0x74)
                case 0xE2:
                    out.append(contentsOf: [0x5C, 0x75, 0x32, 0x30, 0x32, u[i + 2] == 0xA8 ? 0x38 : 0x39])
                    i += 2
                case 0xC2:
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30])
                    hex.withUTF8Buffer { h in out.append(h[Int(u[i + 1] >> 4)]); out.append(h[Int(u[i + 1] & 0xF)]) }
                    i += 1
                case 0xEF:
                    out.append(contentsOf: [0x5C, 0x75, 0x66, 0x66, 0x66, u[i + 2] == 0xBE ? 0x65 : 0x66])
                    i += 2
                default:
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30])
                    hex.withUTF8Buffer { h in out.append(h[Int(b >> 4)]); out.append(h[Int(b & 0xF)]) }
                }
                i += 1
                start = i
            }
            if start < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<n])) }
        }
        out.append(0x22)
    }
}

/// Interned strings for the island, keyed by their UTF-8 bytes: a 10,000-case report looks up
/// about a million strings, and `[String: Int]` would hash each with SipHash after an NFC check.
struct StringTable {
    /// The distinct strings' bytes, one after another.
    private(set) var arena: [UInt8] = []
    /// Each distinct string's place in `arena`, by index.
    private(set) var spans: [(start: Int, count: Int)] = []
    private var hashes: [UInt64] = []
    /// Open addressing: 0 is empty, else index + 1.
    private var slots = [Int32](repeating: 0, count: 1 << 12)

    var count: Int { spans.count }

    mutating func index(_ s: String) -> Int {
        var s = s
        return s.withUTF8 { index(bytes: $0) }
    }

    mutating func index(bytes u: UnsafeBufferPointer<UInt8>) -> Int {
        let h = StringTable.hash(u)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[i]
            if e == 0 { break }
            let k = Int(e) - 1
            if hashes[k] == h && spans[k].count == u.count && equal(k, u) { return k }
            i = (i + 1) & mask
        }
        let k = spans.count
        spans.append((arena.count, u.count))
        arena.append(contentsOf: u)
        hashes.append(h)
        slots[i] = Int32(k + 1)
        if spans.count * 2 > slots.count { grow() }
        return k
    }

    private func equal(_ k: Int, _ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = u.baseAddress else { return spans[k].count == 0 }
        return arena.withUnsafeBufferPointer { a in memcmp(a.baseAddress! + spans[k].start, base, u.count) == 0 }
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (k, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = Int32(k + 1)
        }
    }

    /// 64-bit multiply-mix over 8-byte words (not for adversaries: a collision only costs a compare).
    static func hash(_ u: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(u.count)
        guard let base = u.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= u.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < u.count {
            tail |= UInt64(u[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        return h
    }
}
