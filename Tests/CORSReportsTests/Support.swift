import CLibXML2
import CORSCorpus
import CORSModel
@testable import CORSReports
import Foundation
import Testing

// MARK: Fixtures

enum Fixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static var junitSchema: String { packageRoot.appendingPathComponent("schemas/junit.xsd").path }

    static func path(_ fixture: String) -> String { testsDirectory.appendingPathComponent("Fixtures/\(fixture)").path }

    /// Loads fixture directories, runs them with tracing, and builds the report with fixed times
    /// (1.5 ms per result, so the JUnit times are not all zero).
    /// The four browsers `run` evaluates by default (the model knows more variants, e.g. private modes).
    static let browsers: [Browser] = [.chrome, .edge, .firefox, .safari]

    static func report(_ fixtures: [String], browsers: [Browser] = Fixtures.browsers) throws -> RunReport {
        let (corpus, errors) = CaseLoader().load(paths: fixtures.map(path))
        if !errors.isEmpty { throw FixtureError(errors: errors.map(\.description)) }
        let cases = corpus.cases
        let results = Runner(browsers: browsers, tracing: true).run(cases)
        return RunReport(results: results, browsers: browsers, generated: "2026-01-02T03:04:05Z",
                         command: "cors-harness run --report", cases: cases,
                         times: Array(repeating: 0.0015, count: results.count))
    }

    static func basic() throws -> RunReport { try report(["basic"]) }
    static func all() throws -> RunReport { try report(["basic", "incomplete", "hostile"]) }

    /// Text no report may pass through raw: markup, quotes, every class of control character,
    /// NUL, the XML non-characters, U+FFFD (what undecodable UTF-8 becomes), the JS line separators.
    static let payload = "<script>alert('x')</script>\"'&\u{0}\u{1}\u{8}\u{B}\u{C}\u{1B}\u{7F}\u{85}\u{9F}\u{FFFD}\u{FFFE}\u{FFFF}\u{2028}\u{2029}]]><!--\r\n</script ><img src=x onerror=alert(1)>"

    /// `payload` as the XML and HTML reports show it: control characters and non-characters visible.
    static let visiblePayload = "<script>alert('x')</script>\"'&\\x00\\x01\\x08\\x0B\\x0C\\x1B\\x7F\\x85\\x9F\u{FFFD}\\u{FFFE}\\u{FFFF}\u{2028}\u{2029}]]><!--\r\n</script ><img src=x onerror=alert(1)>"

    static let hostileKeys: Set<String> = [
        "title", "suite", "file", "page", "url", "headers", "messages", "differences", "anchor", "text", "command",
        "refs", "notes", "divergence", "verifiedNote", "key", "body", "case", "id", "displayName", "modelledVersion",
        "reason", "stage", "responseType", "exposed", "requests", "generated", "method", "tool",
    ]

    /// The report with `payload` appended to every string a case file, a command line or an
    /// engine profile could carry (ids and file names included; browser names and verdicts kept).
    static func hostilized(_ report: RunReport) throws -> RunReport {
        func walk(_ value: Any, hostile: Bool) -> Any {
            switch value {
            case let s as String: return hostile ? s + payload : s
            case let a as [Any]: return a.map { walk($0, hostile: hostile) }
            case let d as [String: Any]:
                var out: [String: Any] = [:]
                for (k, v) in d { out[k] = walk(v, hostile: hostileKeys.contains(k) || (hostile && !(v is [String: Any]))) }
                return out
            default: return value
            }
        }
        let tree = try JSONSerialization.jsonObject(with: try JSONReport.render(report))
        let data = try JSONSerialization.data(withJSONObject: walk(tree, hostile: false))
        return try JSONDecoder().decode(RunReport.self, from: data)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let errors: [String]
    var description: String { errors.joined(separator: "\n") }
}

// MARK: libxml2

/// A parsed element: enough of a DOM for assertions.
struct Element {
    var name: String
    var attributes: [String: String]
    var children: [Element]
    /// Concatenated text of the element's own text and CDATA children.
    var text: String

    func all(_ name: String) -> [Element] {
        var out: [Element] = []
        func visit(_ e: Element) {
            if e.name == name { out.append(e) }
            e.children.forEach(visit)
        }
        visit(self)
        return out
    }

    func allElements() -> [Element] {
        var out: [Element] = []
        func visit(_ e: Element) { out.append(e); e.children.forEach(visit) }
        visit(self)
        return out
    }

    subscript(attribute: String) -> String? { attributes[attribute] }
}

enum LibXML2 {
    static func string(_ p: UnsafePointer<xmlChar>?) -> String {
        guard let p else { return "" }
        return String(cString: p)
    }

    static func tree(_ node: xmlNodePtr, doc: xmlDocPtr) -> Element {
        var attributes: [String: String] = [:]
        var a = node.pointee.properties
        while let attr = a {
            let value = xmlNodeListGetString(doc, attr.pointee.children, 1)
            attributes[string(attr.pointee.name)] = string(value)
            cors_xmlFree(value)
            a = attr.pointee.next
        }
        var children: [Element] = []
        var text = ""
        var c = node.pointee.children
        while let child = c {
            switch child.pointee.type {
            case XML_ELEMENT_NODE: children.append(tree(child, doc: doc))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE: text += string(child.pointee.content)
            default: break
            }
            c = child.pointee.next
        }
        return Element(name: string(node.pointee.name), attributes: attributes, children: children, text: text)
    }

    /// Parses XML strictly (no recovery, no network). Returns the root element, or the parser's error.
    static func parseXML(_ data: Data) -> Result<Element, ParseError> {
        xmlInitParser()
        guard let ctxt = xmlNewParserCtxt() else { return .failure(ParseError(message: "no parser context")) }
        defer { xmlFreeParserCtxt(ctxt) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let doc = data.withUnsafeBytes { raw in
            xmlCtxtReadMemory(ctxt, raw.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(raw.count), "junit.xml", "UTF-8", options)
        }
        guard let doc, ctxt.pointee.wellFormed != 0 else {
            if let doc { xmlFreeDoc(doc) }
            let e = xmlCtxtGetLastError(ctxt)
            return .failure(ParseError(message: e.map { "line \($0.pointee.line): \(String(cString: $0.pointee.message))" } ?? "not well-formed"))
        }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { return .failure(ParseError(message: "no root element")) }
        return .success(tree(root, doc: doc))
    }

    /// Validates XML against an XSD; returns every validity error (empty: valid).
    static func validate(_ data: Data, schema path: String) -> [String] {
        xmlInitParser()
        guard let parser = xmlSchemaNewParserCtxt(path) else { return ["cannot open the schema \(path)"] }
        defer { xmlSchemaFreeParserCtxt(parser) }
        guard let schema = xmlSchemaParse(parser) else { return ["the schema \(path) does not compile"] }
        defer { xmlSchemaFree(schema) }
        guard let valid = xmlSchemaNewValidCtxt(schema) else { return ["no validation context"] }
        defer { xmlSchemaFreeValidCtxt(valid) }
        let box = ErrorBox()
        let unmanaged = Unmanaged.passRetained(box)
        defer { unmanaged.release() }
        xmlSchemaSetValidStructuredErrors(valid, { ctx, error in
            guard let ctx, let error else { return }
            let box = Unmanaged<ErrorBox>.fromOpaque(ctx).takeUnretainedValue()
            box.errors.append("line \(error.pointee.line): \(String(cString: error.pointee.message).trimmingCharacters(in: .whitespacesAndNewlines))")
        }, unmanaged.toOpaque())
        guard let ctxt = xmlNewParserCtxt() else { return ["no parser context"] }
        defer { xmlFreeParserCtxt(ctxt) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let doc = data.withUnsafeBytes { raw in
            xmlCtxtReadMemory(ctxt, raw.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(raw.count), "doc.xml", "UTF-8", options)
        }
        guard let doc else { return ["not well-formed XML"] }
        defer { xmlFreeDoc(doc) }
        let rc = xmlSchemaValidateDoc(valid, doc)
        if rc != 0 && box.errors.isEmpty { return ["invalid (libxml2 code \(rc))"] }
        return box.errors
    }

    /// Parses HTML with libxml2's HTML parser (as lenient as a browser about structure, but it
    /// shows exactly which elements and attributes the markup creates).
    static func parseHTML(_ data: Data) -> Element? {
        xmlInitParser()
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue)
        let doc = data.withUnsafeBytes { raw in
            htmlReadMemory(raw.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(raw.count), "index.html", "UTF-8", options)
        }
        guard let doc else { return nil }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { return nil }
        return tree(root, doc: doc)
    }

    struct ParseError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    final class ErrorBox { var errors: [String] = [] }
}

extension Data {
    var utf8String: String { String(decoding: self, as: UTF8.self) }
}

func temporaryDirectory(_ name: String = #function) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("cors-reports-tests-\(ProcessInfo.processInfo.processIdentifier)-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
