import Foundation

/// `--format json` and `results.json`: the `RunReport` document (docs/JSON-SCHEMA.md).
///
/// Written by a streaming writer that produces exactly what `JSONEncoder` with `.prettyPrinted`,
/// `.sortedKeys` and `.withoutEscapingSlashes` produces (a test compares the two byte for byte),
/// about ten times faster, so a 10,000-case report is written in well under a second.
public enum JSONReport {
    /// Pretty, key-sorted JSON with a trailing newline.
    public static func render(_ report: RunReport) throws -> Data {
        Data(bytes(report))
    }

    static func bytes(_ report: RunReport) -> [UInt8] {
        var w = PrettyJSON()
        // Generous: reserving address space costs nothing until written, growing copies it all.
        w.out.reserveCapacity(report.results.count * 4096 + (report.cases?.count ?? 0) * 2048 + 65536)
        w.report(report)
        w.out.append(0x0A)
        return w.out
    }

    /// The same document through Foundation's `JSONEncoder` (the reference the fast writer matches).
    static func renderWithJSONEncoder(_ report: RunReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(report)
        data.append(0x0A)
        return data
    }
}

/// The one place `results.json` escapes strings: as `JSONEncoder` does (`\"`, `\\`, `\b`, `\t`,
/// `\n`, `\f`, `\r`, other C0 controls as `\u00xx`; everything else, `/` included, as is).
/// Keys are written in byte order, as `.sortedKeys` sorts them; nil optionals are left out.
struct PrettyJSON {
    var out: [UInt8] = []
    var level = 0

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// "\n" followed by the indentation of each level, made once.
    static let indents: [[UInt8]] = (0..<16).map { [0x0A] + [UInt8](repeating: 0x20, count: $0 * 2) }

    mutating func newline() {
        if level < PrettyJSON.indents.count {
            out.append(contentsOf: PrettyJSON.indents[level])
        } else {
            out.append(0x0A)
            out.append(contentsOf: [UInt8](repeating: 0x20, count: level * 2))
        }
    }

    mutating func open(_ c: UInt8) { out.append(c); level += 1 }

    mutating func close(_ c: UInt8, empty: Bool) {
        level -= 1
        if empty { out.append(0x0A) }
        newline()
        out.append(c)
    }

    /// Starts a member: a comma unless it is the first, the indentation, `"key" : `.
    mutating func key(_ k: StaticString, _ first: inout Bool) {
        if !first { out.append(0x2C) }
        first = false
        newline()
        out.append(0x22)
        k.withUTF8Buffer { out.append(contentsOf: $0) }
        raw("\" : ")
    }

    mutating func dynamicKey(_ k: String, _ first: inout Bool) {
        if !first { out.append(0x2C) }
        first = false
        newline()
        string(k)
        raw(" : ")
    }

    mutating func int(_ v: Int) { out.append(contentsOf: String(v).utf8) }
    mutating func bool(_ v: Bool) { if v { raw("true") } else { raw("false") } }
    mutating func double(_ v: Double) {
        var s = v.description
        if s.hasSuffix(".0") { s.removeLast(2) }
        out.append(contentsOf: s.utf8)
    }

    mutating func string(_ s: String) {
        out.append(0x22)
        var s = s
        s.withUTF8 { u in
            let hex: StaticString = "0123456789abcdef"
            var start = 0
            for i in 0..<u.count {
                let b = u[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i])) }
                start = i + 1
                switch b {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x08: out.append(0x5C); out.append(0x62)
                case 0x09: out.append(0x5C); out.append(0x74)
                case 0x0A: out.append(0x5C); out.append(0x6E)
                case 0x0C: out.append(0x5C); out.append(0x66)
                case 0x0D: out.append(0x5C); out.append(0x72)
                default:
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30])
                    hex.withUTF8Buffer { h in out.append(h[Int(b >> 4)]); out.append(h[Int(b & 0xF)]) }
                }
            }
            if start < u.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<u.count])) }
        }
        out.append(0x22)
    }

    mutating func strings(_ a: [String]) {
        open(0x5B)
        for (i, s) in a.enumerated() {
            if i > 0 { out.append(0x2C) }
            newline()
            string(s)
        }
        close(0x5D, empty: a.isEmpty)
    }

    mutating func array<T>(_ a: [T], _ element: (inout PrettyJSON, T) -> Void) {
        open(0x5B)
        for (i, x) in a.enumerated() {
            if i > 0 { out.append(0x2C) }
            newline()
            element(&self, x)
        }
        close(0x5D, empty: a.isEmpty)
    }

    // MARK: the document (members in byte order of their keys)

    mutating func report(_ r: RunReport) {
        open(0x7B)
        var f = true
        key("browsers", &f); array(r.browsers) { $0.browser($1) }
        if let cases = r.cases { key("cases", &f); array(cases) { $0.caseInfo($1) } }
        key("command", &f); string(r.command)
        key("generated", &f); string(r.generated)
        key("results", &f)
        open(0x5B)
        r.results.withUnsafeBufferPointer { results in
            for i in results.indices {
                if i > 0 { out.append(0x2C) }
                newline()
                result(results[i])
            }
        }
        close(0x5D, empty: r.results.isEmpty)
        key("schemaVersion", &f); int(r.schemaVersion)
        if let t = r.time { key("time", &f); double(t) }
        key("tool", &f); string(r.tool)
        key("totals", &f); totals(r.totals)
        key("totalsByBrowser", &f)
        open(0x7B)
        var g = true
        for name in r.totalsByBrowser.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            dynamicKey(name, &g); totals(r.totalsByBrowser[name]!)
        }
        close(0x7D, empty: r.totalsByBrowser.isEmpty)
        close(0x7D, empty: false)
    }

    mutating func browser(_ b: RunReport.BrowserInfo) {
        open(0x7B)
        var f = true
        key("displayName", &f); string(b.displayName)
        key("engine", &f); string(b.engine)
        key("modelledVersion", &f); string(b.modelledVersion)
        key("name", &f); string(b.name)
        close(0x7D, empty: false)
    }

    mutating func totals(_ t: RunReport.Totals) {
        open(0x7B)
        var f = true
        key("error", &f); int(t.error)
        key("fail", &f); int(t.fail)
        key("pass", &f); int(t.pass)
        key("skipped", &f); int(t.skipped)
        key("unchecked", &f); int(t.unchecked)
        close(0x7D, empty: false)
    }

    mutating func result(_ r: borrowing RunReport.Result) {
        open(0x7B)
        var f = true
        key("browser", &f); string(r.browser)
        key("case", &f); string(r.case)
        if let c = r.cookies { key("cookies", &f); cookies(c) }
        key("differences", &f); strings(r.differences)
        key("expected", &f); expected(r.expected)
        key("exposed", &f); strings(r.exposed)
        key("file", &f); string(r.file)
        if let v = r.fromCache { key("fromCache", &f); bool(v) }
        key("line", &f); int(r.line)
        key("messages", &f); strings(r.messages)
        if let v = r.outcome { key("outcome", &f); string(v) }
        key("page", &f); string(r.page)
        key("preflight", &f); bool(r.preflight)
        if let v = r.reason { key("reason", &f); string(v) }
        key("requests", &f); array(r.requests) { $0.requestLine($1) }
        if let v = r.responseType { key("responseType", &f); string(v) }
        key("responses", &f); array(r.responses) { $0.responseLine($1) }
        if let v = r.stage { key("stage", &f); string(v) }
        if let v = r.status { key("status", &f); int(v) }
        key("step", &f); int(r.step)
        key("steps", &f); int(r.steps)
        key("suite", &f); string(r.suite)
        if let v = r.time { key("time", &f); double(v) }
        key("title", &f); string(r.title)
        key("trace", &f)
        array(r.trace) { w, s in
            w.open(0x7B)
            var g = true
            w.key("anchor", &g); w.string(s.anchor)
            w.key("text", &g); w.string(s.text)
            w.close(0x7D, empty: false)
        }
        key("verdict", &f); string(r.verdict)
        close(0x7D, empty: false)
    }

    mutating func cookies(_ c: RunReport.CookieActivity) {
        open(0x7B)
        var f = true
        key("decisions", &f)
        array(c.decisions) { w, d in
            w.open(0x7B)
            var g = true
            w.key("engine", &g)
            w.array(d.engine) { w2, m in
                w2.open(0x7B)
                var h = true
                if let v = m.devToolsReason { w2.key("devToolsReason", &h); w2.string(v) }
                w2.key("identifier", &h); w2.string(m.identifier)
                if let v = m.text { w2.key("text", &h); w2.string(v) }
                w2.close(0x7D, empty: false)
            }
            w.key("name", &g); w.string(d.name)
            w.key("outcome", &g); w.string(d.outcome)
            w.key("reasons", &g); w.strings(d.reasons)
            w.close(0x7D, empty: false)
        }
        key("sent", &f); strings(c.sent)
        key("stored", &f); strings(c.stored)
        close(0x7D, empty: false)
    }

    mutating func expected(_ e: borrowing RunReport.Expected) {
        open(0x7B)
        var f = true
        if let v = e.exposed { key("exposed", &f); strings(v) }
        if let v = e.messages { key("messages", &f); strings(v) }
        if let v = e.outcome { key("outcome", &f); string(v) }
        if let v = e.preflight { key("preflight", &f); bool(v) }
        if let v = e.reason { key("reason", &f); string(v) }
        if let v = e.requests { key("requests", &f); strings(v) }
        if let v = e.stage { key("stage", &f); string(v) }
        if let v = e.status { key("status", &f); int(v) }
        close(0x7D, empty: f)
    }

    mutating func requestLine(_ q: RunReport.RequestLine) {
        open(0x7B)
        var f = true
        key("headers", &f); strings(q.headers)
        key("method", &f); string(q.method)
        key("preflight", &f); bool(q.preflight)
        key("url", &f); string(q.url)
        close(0x7D, empty: false)
    }

    mutating func responseLine(_ r: RunReport.ResponseLine) {
        open(0x7B)
        var f = true
        if let b = r.body { key("body", &f); string(b) }
        key("headers", &f); strings(r.headers)
        key("status", &f); int(r.status)
        close(0x7D, empty: false)
    }

    mutating func caseInfo(_ c: RunReport.CaseInfo) {
        open(0x7B)
        var f = true
        if let v = c.browsers { key("browsers", &f); strings(v) }
        if let v = c.divergence { key("divergence", &f); string(v) }
        key("file", &f); string(c.file)
        key("id", &f); string(c.id)
        key("line", &f); int(c.line)
        if let v = c.notes { key("notes", &f); string(v) }
        key("refs", &f); strings(c.refs)
        key("server", &f)
        array(c.server) { w, s in
            w.open(0x7B)
            var g = true
            w.key("key", &g); w.string(s.key)
            w.key("responses", &g); w.array(s.responses) { $0.responseLine($1) }
            w.close(0x7D, empty: false)
        }
        key("steps", &f)
        array(c.steps) { w, s in
            w.open(0x7B)
            var g = true
            w.key("after", &g); w.double(s.after)
            w.key("line", &g); w.int(s.line)
            w.key("page", &g); w.string(s.page)
            w.key("request", &g); w.scriptRequest(s.request)
            w.close(0x7D, empty: false)
        }
        key("suite", &f); string(c.suite)
        key("title", &f); string(c.title)
        key("verified", &f); bool(c.verified)
        if let v = c.verifiedNote { key("verifiedNote", &f); string(v) }
        close(0x7D, empty: false)
    }

    mutating func scriptRequest(_ r: RunReport.CaseInfo.ScriptRequestInfo) {
        open(0x7B)
        var f = true
        key("api", &f); string(r.api)
        if let v = r.body { key("body", &f); string(v) }
        key("credentials", &f); string(r.credentials)
        key("headers", &f); strings(r.headers)
        key("method", &f); string(r.method)
        key("mode", &f); string(r.mode)
        key("redirect", &f); string(r.redirect)
        key("uploadListener", &f); bool(r.uploadListener)
        key("url", &f); string(r.url)
        key("withCredentials", &f); bool(r.withCredentials)
        close(0x7D, empty: false)
    }
}
