import CORSModel
import Yams

// Public constructors for values that are not loaded from case files: `cors-harness probe` judges a
// live server and reports each check (endpoint × origin × browser) through the same `CaseResult`
// and report pipeline as `run`. Kept in one file so the schema's own declarations stay untouched.

extension CaseResult {
    /// A result built outside `Runner` (live probes).
    public static func live(caseID: String, title: String, suite: String, file: String, location: SourceLocation,
                            step: Int = 1, stepCount: Int = 1, browser: Browser, request: ScriptRequest?, page: Origin,
                            result: FetchResult?, expected: ExpectFields, verdict: Verdict, differences: [String]) -> CaseResult {
        CaseResult(caseID: caseID, title: title, suite: suite, file: file, location: location, step: step, stepCount: stepCount,
                   browser: browser, request: request, page: page, result: result, expected: expected, verdict: verdict,
                   differences: differences)
    }
}

extension Case {
    /// A case that only describes a live check for the reports (title, request, notes); it scripts
    /// no server and states no expectation of its own.
    public static func reportOnly(id: String, title: String, suite: String, file: String, location: SourceLocation,
                                  page: Origin, request: ScriptRequest, refs: [String] = [], notes: String? = nil) -> Case {
        let step = Step(request: request, page: page, after: 0, expect: Expectation(), location: location)
        return Case(id: id, title: title, refs: refs, suite: suite, file: file, location: location, page: page, steps: [step],
                    server: ScriptedServer([:]), serverScript: [], sharedCache: nil, browsers: nil, divergence: nil,
                    verified: true, verifiedNote: nil, notes: notes, isMultiStep: false)
    }
}

/// The case loader's YAML reading, for other documents that share its conventions (probe files):
/// the same located errors (`file:line:column`), quoting rules, header lines and `expect:` blocks.
public struct YAMLDocumentReader {
    var ctx: Context

    public init(file: String) { ctx = Context(file: file) }

    public var errors: [CorpusError] { ctx.errors }
    public var file: String { ctx.file }

    /// Parses the text into a node tree; nil (with an error) when it is not YAML or is empty.
    public mutating func compose(_ text: String) -> Node? {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                ctx.errors.append(CorpusError(SourceLocation(file: ctx.file, line: 1, column: 1), "the file is empty"))
                return nil
            }
            return root
        } catch let error as YamlError {
            ctx.errors.append(ctx.yamlError(error))
        } catch {
            ctx.errors.append(CorpusError(SourceLocation(file: ctx.file, line: 1, column: 1), "cannot parse YAML: \(error)"))
        }
        return nil
    }

    public func location(_ node: Node) -> SourceLocation { ctx.loc(node) }
    public mutating func error(_ node: Node, _ message: String) { ctx.error(node, message) }
    public mutating func mapping(_ node: Node, what: String) -> Node.Mapping? { ctx.mapping(node, what: what) }
    public mutating func sequence(_ node: Node, what: String) -> [Node]? { ctx.sequence(node, what: what) }
    public mutating func fields(_ map: Node.Mapping, allowed: [String], required: [String], what: String) -> [String: Node] {
        ctx.fields(map, allowed: allowed, required: required, what: what)
    }
    public mutating func string(_ node: Node, what: String) -> String? { ctx.string(node, what: what) }
    public mutating func bool(_ node: Node, what: String) -> Bool? { ctx.bool(node, what: what) }
    public mutating func int(_ node: Node, what: String) -> Int? { ctx.int(node, what: what) }
    public mutating func stringList(_ node: Node, what: String) -> [String]? { ctx.stringList(node, what: what) }
    public mutating func headerLines(_ node: Node, what: String) -> [Header]? { ctx.headerLines(node, what: what) }
    public mutating func enumValue<E: RawRepresentable & CaseIterable>(_ node: Node, _ type: E.Type, what: String) -> E? where E.RawValue == String {
        ctx.enumValue(node, type, what: what)
    }
    /// An `expect:` block as cases write it (shared keys, `chromium:`, browser keys).
    public mutating func expectation(_ node: Node) -> Expectation? { ctx.parseExpect(node) }
}
