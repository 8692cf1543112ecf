import CORSModel
import Foundation
import Yams

/// Loads case files into typed cases. The only place that knows YAML. Every problem is collected
/// with its file, line and column; nothing stops at the first error.
public struct CaseLoader {
    public init() {}

    /// Loads every `*.yaml`/`*.yml` file below the given paths (files or directories), sorted by path.
    public func load(paths: [String]) -> (Corpus, [CorpusError]) {
        var errors: [CorpusError] = []
        var files: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                errors.append(CorpusError(SourceLocation(file: path, line: 0, column: 0), "no such file or directory"))
                continue
            }
            if isDir.boolValue {
                let base = URL(fileURLWithPath: path).resolvingSymlinksInPath()
                guard let e = fm.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
                var found: [String] = []
                for case let url as URL in e where ["yaml", "yml"].contains(url.pathExtension) {
                    found.append(path.hasSuffix("/") ? path + relative(url.path, to: base.path) : path + "/" + relative(url.path, to: base.path))
                }
                files += found.sorted()
            } else {
                files.append(path)
            }
        }
        var caseFiles: [CaseFile] = []
        for file in files {
            guard let data = fm.contents(atPath: file) else {
                errors.append(CorpusError(SourceLocation(file: file, line: 0, column: 0), "cannot read the file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                errors.append(CorpusError(SourceLocation(file: file, line: 1, column: 1), "the file is not valid UTF-8"))
                continue
            }
            let (cf, errs) = parse(text: text, file: file)
            errors += errs
            if let cf { caseFiles.append(cf) }
        }
        errors += validateAcrossFiles(caseFiles)
        return (Corpus(files: caseFiles), errors)
    }

    private func relative(_ path: String, to base: String) -> String {
        let b = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(b) ? String(path.dropFirst(b.count)) : path
    }

    /// Ids must be unique across the corpus.
    func validateAcrossFiles(_ files: [CaseFile]) -> [CorpusError] {
        var seen: [String: SourceLocation] = [:]
        var errors: [CorpusError] = []
        for f in files {
            for c in f.cases {
                if let first = seen[c.id] {
                    errors.append(CorpusError(c.location, "duplicate case id '\(c.id)' (first used at \(first))"))
                } else {
                    seen[c.id] = c.location
                }
            }
        }
        return errors
    }

    /// Parses one file's text. Returns the file (possibly partial) and every error found.
    public func parse(text: String, file: String) -> (CaseFile?, [CorpusError]) {
        var ctx = Context(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            ctx.errors.append(ctx.yamlError(error))
            return (nil, ctx.errors)
        } catch {
            ctx.errors.append(CorpusError(SourceLocation(file: file, line: 1, column: 1), "cannot parse YAML: \(error)"))
            return (nil, ctx.errors)
        }
        guard let root, let map = ctx.mapping(root, what: "the file") else {
            if root == nil { ctx.errors.append(CorpusError(SourceLocation(file: file, line: 1, column: 1), "the file is empty: expected 'suite:' and 'cases:'")) }
            return (nil, ctx.errors)
        }
        let fields = ctx.fields(map, allowed: ["suite", "description", "cases"], required: ["suite", "cases"], what: "the file")
        let suite = fields["suite"].flatMap { ctx.string($0, what: "suite") } ?? ""
        let description = fields["description"].flatMap { ctx.string($0, what: "description") }
        var cases: [Case] = []
        if let list = fields["cases"].flatMap({ ctx.sequence($0, what: "cases") }) {
            for node in list {
                if let c = ctx.parseCase(node, suite: suite) { cases.append(c) }
            }
        }
        return (CaseFile(path: file, suite: suite, description: description, cases: cases), ctx.errors)
    }
}

/// Walks the YAML node tree for one file, collecting located errors.
struct Context {
    let file: String
    var errors: [CorpusError] = []

    init(file: String) { self.file = file }

    func loc(_ node: Node) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    mutating func error(_ node: Node, _ message: String) { errors.append(CorpusError(loc(node), message)) }

    func yamlError(_ e: YamlError) -> CorpusError {
        switch e {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            var msg = "invalid YAML: \(problem)"
            if let context { msg += " (\(context.text))" }
            if problem.contains("alias") || problem.contains("anchor") || context?.text.contains("alias") == true {
                msg += ". An unquoted * starts a YAML alias: quote the value, e.g. \"Access-Control-Allow-Origin: *\""
            }
            return CorpusError(SourceLocation(file: file, line: mark.line, column: mark.column), msg)
        case let .duplicatedKeysInMapping(duplicates, context):
            return CorpusError(SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                               "duplicate key \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")) in this mapping: each key may appear once")
        default:
            return CorpusError(SourceLocation(file: file, line: 1, column: 1), "invalid YAML: \(e)")
        }
    }

    // MARK: node shapes

    mutating func mapping(_ node: Node, what: String) -> Node.Mapping? {
        if let m = node.mapping { return m }
        error(node, "\(what) must be a mapping (key: value lines)\(describe(node))")
        return nil
    }

    mutating func sequence(_ node: Node, what: String) -> [Node]? {
        if let s = node.sequence { return Array(s) }
        error(node, "\(what) must be a list\(describe(node))")
        return nil
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return ", found the value '\(s.string)'"
        case .mapping: return ", found a mapping"
        case .sequence: return ", found a list"
        case .alias: return ", found an alias"
        }
    }

    /// Collects a mapping's keys, reporting duplicates, unknown keys (with the allowed ones) and missing required keys.
    mutating func fields(_ map: Node.Mapping, allowed: [String], required: [String], what: String) -> [String: Node] {
        var out: [String: Node] = [:]
        var keyNodes: [String: Node] = [:]
        for (k, v) in map {
            guard case let .scalar(ks) = k else { error(k, "keys of \(what) must be plain words"); continue }
            let key = ks.string
            if out[key] != nil { error(k, "duplicate key '\(key)' in \(what)"); continue }
            if !allowed.contains(key) {
                error(k, "unknown key '\(key)' in \(what); expected one of: \(allowed.joined(separator: ", "))")
                continue
            }
            out[key] = v
            keyNodes[key] = k
        }
        let anchor = Node.mapping(map)
        for r in required where out[r] == nil { error(anchor, "\(what) is missing the required key '\(r)'") }
        return out
    }

    /// A string scalar. A plain `null`/`~` (which YAML reads as no value) must be quoted.
    mutating func string(_ node: Node, what: String) -> String? {
        guard case let .scalar(s) = node else {
            error(node, "\(what) must be a single value\(describe(node)); quote it if it contains ': ' or starts with '*', '&', '[' or '{'")
            return nil
        }
        if s.style == .plain && ["null", "Null", "NULL", "~", ""].contains(s.string) {
            error(node, "\(what) is '\(s.string)', which YAML reads as no value: quote it, e.g. \"null\"")
            return nil
        }
        return s.string
    }

    mutating func bool(_ node: Node, what: String) -> Bool? {
        if case let .scalar(s) = node, s.style == .plain {
            if ["true", "True", "TRUE"].contains(s.string) { return true }
            if ["false", "False", "FALSE"].contains(s.string) { return false }
        }
        error(node, "\(what) must be true or false\(describe(node))")
        return nil
    }

    mutating func int(_ node: Node, what: String) -> Int? {
        if case let .scalar(s) = node, s.style == .plain, let i = Int(s.string) { return i }
        error(node, "\(what) must be a whole number\(describe(node))")
        return nil
    }

    mutating func stringList(_ node: Node, what: String) -> [String]? {
        guard let items = sequence(node, what: what) else { return nil }
        var out: [String] = []
        for item in items { if let s = string(item, what: "an item of \(what)") { out.append(s) } }
        return out
    }

    mutating func enumValue<E: RawRepresentable & CaseIterable>(_ node: Node, _: E.Type, what: String) -> E? where E.RawValue == String {
        guard let s = string(node, what: what) else { return nil }
        if let v = E(rawValue: s) { return v }
        error(node, "unknown \(what) '\(s)'; expected one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        return nil
    }

    /// A header line list: each item a quoted `Name: value` string.
    mutating func headerLines(_ node: Node, what: String) -> [Header]? {
        guard let items = sequence(node, what: what) else { return nil }
        var out: [Header] = []
        for item in items {
            if case let .mapping(m) = item {
                let text = m.first.map { "\($0.key.string ?? ""): \($0.value.string ?? "")" } ?? ""
                error(item, "a header line in \(what) was read as a mapping: quote the whole line, e.g. - \"\(text)\"")
                continue
            }
            guard let line = string(item, what: "a header line in \(what)") else { continue }
            guard let h = Header(line: line) else {
                error(item, "malformed header line '\(line)' in \(what): expected \"Name: value\" with a token name")
                continue
            }
            out.append(h)
        }
        return out
    }

    mutating func url(_ node: Node, what: String) -> WebURL? {
        guard let s = string(node, what: what) else { return nil }
        guard let u = WebURL.parse(s), u.host != nil || !u.isHTTPFamily else {
            error(node, "\(what) '\(s)' is not an absolute URL")
            return nil
        }
        return u
    }

    mutating func origin(_ node: Node, what: String) -> Origin? {
        guard let s = string(node, what: what) else { return nil }
        guard let o = Origin.parse(s) else {
            error(node, "\(what) '\(s)' is not an origin: write scheme://host[:port], or \"null\" for an opaque origin")
            return nil
        }
        return o
    }

    /// Durations like `6s`, `500ms`, `2m`, `1h`.
    mutating func duration(_ node: Node, what: String) -> Double? {
        guard let s = string(node, what: what) else { return nil }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where s.hasSuffix(suffix) {
            if let v = Double(s.dropLast(suffix.count)), v >= 0 { return v * factor }
        }
        error(node, "\(what) '\(s)' is not a duration: write e.g. 6s, 500ms, 2m or 1h")
        return nil
    }

    // MARK: cases

    static let caseKeys = ["id", "title", "refs", "page", "request", "server", "cache", "expect", "steps", "browsers", "divergence", "verified", "verifiedNote", "notes", "gaps"]
    static let requestKeys = ["api", "url", "method", "credentials", "withCredentials", "mode", "redirect", "headers", "body", "uploadListener", "referrerPolicy", "cache", "bodyStream"]
    static let expectKeys = ["outcome", "stage", "reason", "preflight", "status", "exposed", "requests", "messages", "fromCache", "cookies"]

    mutating func parseCase(_ node: Node, suite: String) -> Case? {
        guard let map = mapping(node, what: "a case") else { return nil }
        let f = fields(map, allowed: Context.caseKeys, required: ["id", "title", "page", "server"], what: "a case")
        let errorCount = errors.count
        let id = f["id"].flatMap { string($0, what: "id") } ?? ""
        if let n = f["id"], !id.isEmpty, !id.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) {
            error(n, "case id '\(id)' may contain only a-z, 0-9 and '-'")
        }
        let title = f["title"].flatMap { string($0, what: "title") } ?? ""
        let refs = f["refs"].flatMap { stringList($0, what: "refs") } ?? []
        let page = f["page"].flatMap { origin($0, what: "page") }
        let browsers = f["browsers"].flatMap { n -> [Browser]? in
            guard let items = sequence(n, what: "browsers") else { return nil }
            return items.compactMap { enumValue($0, Browser.self, what: "browser") }
        }
        let server = f["server"].flatMap { parseServer($0) }
        let baseRequest = f["request"]

        var steps: [Step] = []
        if let stepsNode = f["steps"] {
            if f["expect"] != nil { error(stepsNode, "a case has either 'steps' or 'request'/'expect' at its top level, not both 'steps' and 'expect'") }
            for stepNode in sequence(stepsNode, what: "steps") ?? [] {
                guard let sm = mapping(stepNode, what: "a step") else { continue }
                let sf = fields(sm, allowed: ["request", "after", "page", "expect"], required: ["expect"], what: "a step")
                let stepPage = sf["page"].flatMap { origin($0, what: "page") } ?? page
                let after = sf["after"].flatMap { duration($0, what: "after") } ?? 0
                let request = parseRequest(base: baseRequest, override: sf["request"], at: stepNode)
                let expect = sf["expect"].flatMap { parseExpect($0) }
                _ = (request, expect)
                if let request, let stepPage, let expect {
                    steps.append(Step(request: request, page: stepPage, after: after, expect: expect, location: loc(stepNode)))
                }
            }
        } else {
            if baseRequest == nil { error(node, "a case needs 'request' and 'expect' (or 'steps')") }
            if f["expect"] == nil { error(node, "a case needs 'expect' (or 'steps')") }
            let r = parseRequest(base: baseRequest, override: nil, at: node)
            let e = f["expect"].flatMap({ parseExpect($0) })
            if let r, let page, let e {
                steps.append(Step(request: r, page: page, after: 0, expect: e, location: loc(f["expect"]!)))
            }
        }
        let verified = f["verified"].flatMap { bool($0, what: "verified") } ?? true
        let sharedCache = f["cache"].flatMap { parseSharedCache($0) }
        let gaps = f["gaps"].flatMap { parseGaps($0) } ?? [:]
        guard errors.count == errorCount, let page, let server else { return nil }
        var c = Case(id: id, title: title, refs: refs, suite: suite, file: file, location: loc(node), page: page, steps: steps,
                    server: ScriptedServer(scripted: Dictionary(server.map { ($0.key, $0.responses) }, uniquingKeysWith: { a, _ in a })),
                    serverScript: server, sharedCache: sharedCache, browsers: browsers,
                    divergence: f["divergence"].flatMap { string($0, what: "divergence") },
                    verified: verified, verifiedNote: f["verifiedNote"].flatMap { string($0, what: "verifiedNote") },
                    notes: f["notes"].flatMap { string($0, what: "notes") }, isMultiStep: f["steps"] != nil)
        c.gaps = gaps
        return c
    }

    /// `gaps: {webkit: "why", …}`: engines (or `all`) that `verify` must not compare for this case.
    mutating func parseGaps(_ node: Node) -> [String: String]? {
        guard let m = mapping(node, what: "gaps") else { return nil }
        var out: [String: String] = [:]
        for (k, v) in m {
            guard let name = string(k, what: "a gaps key") else { continue }
            guard name == "all" || Engine(rawValue: name) != nil else {
                error(k, "gaps key '\(name)' is not an engine: use chromium, firefox, webkit or all"); continue
            }
            guard let why = string(v, what: "gaps.\(name)"), !why.trimmingSet(" ").isEmpty else {
                error(v, "gaps.\(name) must say why the engine cannot be compared"); continue
            }
            out[name] = why
        }
        return out
    }

    /// `cache: shared` (a CDN that honours Vary) or `cache: {shared: true, vary: ignore}`.
    mutating func parseSharedCache(_ node: Node) -> SharedCacheConfig? {
        if case let .scalar(sc) = node {
            if sc.string == "shared" { return SharedCacheConfig(honoursVary: true) }
            error(node, "cache must be 'shared' or a mapping {shared: true, vary: honour|ignore}")
            return nil
        }
        guard let m = mapping(node, what: "cache") else { return nil }
        let f = fields(m, allowed: ["shared", "vary"], required: ["shared"], what: "cache")
        guard let s = f["shared"], bool(s, what: "cache.shared") == true else { return nil }
        var honours = true
        if let v = f["vary"], let text = string(v, what: "cache.vary") {
            switch text {
            case "honour", "honor": honours = true
            case "ignore": honours = false
            default: error(v, "cache.vary must be 'honour' or 'ignore'")
            }
        }
        return SharedCacheConfig(honoursVary: honours)
    }

    /// A request: the case's `request` with a step's keys laid over it.
    mutating func parseRequest(base: Node?, override: Node?, at node: Node) -> ScriptRequest? {
        var merged: [String: Node] = [:]
        var keyAt: [String: Node] = [:]
        for part in [base, override].compactMap({ $0 }) {
            guard let m = mapping(part, what: "request") else { return nil }
            for (k, v) in fields(m, allowed: Context.requestKeys, required: [], what: "request") {
                merged[k] = v
                keyAt[k] = v
            }
        }
        guard let urlNode = merged["url"] else { error(override ?? base ?? node, "request is missing the required key 'url'"); return nil }
        let parsedURL = url(urlNode, what: "request url")
        var r = ScriptRequest(url: parsedURL ?? WebURL.parse("http://invalid.invalid/")!)
        if let n = merged["api"], let v = enumValue(n, API.self, what: "api") { r.api = v }
        if let n = merged["method"], let v = string(n, what: "method") { r.method = v }
        if let n = merged["credentials"], let v = enumValue(n, CredentialsMode.self, what: "credentials mode") {
            if r.api == .xhr { error(n, "'credentials' applies to fetch; an XMLHttpRequest uses 'withCredentials: true'") }
            r.credentials = v
        }
        if let n = merged["withCredentials"], let v = bool(n, what: "withCredentials") {
            if r.api == .fetch { error(n, "'withCredentials' applies to xhr; fetch uses 'credentials: include'") }
            r.withCredentials = v
        }
        if let n = merged["mode"], let v = enumValue(n, RequestMode.self, what: "mode") {
            if r.api == .xhr && v != .cors { error(n, "an XMLHttpRequest always uses mode cors") }
            r.mode = v
        }
        if let n = merged["redirect"], let v = enumValue(n, RedirectMode.self, what: "redirect mode") {
            if r.api == .xhr && v != .follow { error(n, "an XMLHttpRequest always follows redirects") }
            r.redirect = v
        }
        if let n = merged["headers"], let v = headerLines(n, what: "request headers") { r.headers = v }
        if let n = merged["body"] {
            // `body: null` (unquoted) removes a body a step would otherwise inherit.
            if case let .scalar(sc) = n, sc.style == .plain, ["null", "~"].contains(sc.string) { r.body = nil }
            else if let v = string(n, what: "body") { r.body = v }
        }
        if let n = merged["referrerPolicy"], let v = enumValue(n, ReferrerPolicy.self, what: "referrerPolicy") {
            if r.api == .xhr { error(n, "'referrerPolicy' applies to fetch") }
            r.referrerPolicy = v
        }
        if let n = merged["cache"], let v = enumValue(n, CacheMode.self, what: "cache mode") {
            if r.api == .xhr { error(n, "'cache' applies to fetch") }
            r.cache = v
        }
        if let n = merged["uploadListener"], let v = bool(n, what: "uploadListener") {
            if r.api == .fetch && v { error(n, "'uploadListener' applies to xhr") }
            r.uploadListener = v
        }
        if let n = merged["bodyStream"], let v = bool(n, what: "bodyStream") {
            if r.api == .xhr && v { error(n, "'bodyStream' applies to fetch") }
            if v && r.body == nil { error(n, "'bodyStream: true' needs a 'body' to stream") }
            r.bodyIsStream = v
        }
        return parsedURL == nil ? nil : r
    }

    mutating func parseServer(_ node: Node) -> [(key: String, responses: [ScriptedResponse])]? {
        guard let map = mapping(node, what: "server") else { return nil }
        var out: [(key: String, responses: [ScriptedResponse])] = []
        var seen: Set<String> = []
        for (k, v) in map {
            guard let keyText = string(k, what: "a server key") else { continue }
            let parts = keyText.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, HTTPToken.isToken(parts[0]), let url = WebURL.parse(String(parts[1])), url.host != nil else {
                error(k, "server key '\(keyText)' must be \"METHOD URL\", e.g. \"GET https://api.example.com/data\"")
                continue
            }
            let key = ScriptedServer.key(method: String(parts[0]), url: url)
            if !seen.insert(key).inserted { error(k, "server key '\(keyText)' is scripted twice"); continue }
            var responses: [ScriptedResponse] = []
            if let list = v.sequence {
                for item in list { if let r = parseResponse(item) { responses.append(r) } }
                if responses.isEmpty && list.isEmpty { error(v, "the response list for '\(keyText)' is empty") }
                // Alternatives: a response without `when:` matches any request, so one after it is unreachable.
                if responses.contains(where: { $0.when != nil }), let fallback = responses.firstIndex(where: { $0.when == nil }),
                   fallback < responses.count - 1 {
                    error(Array(list)[fallback + 1], "this response can never be chosen: the one before it has no 'when:' and answers every request")
                }
            } else if let r = parseResponse(v) {
                responses.append(r)
            }
            if !responses.isEmpty { out.append((key, responses)) }
        }
        return out
    }

    mutating func parseResponse(_ node: Node) -> ScriptedResponse? {
        guard let m = mapping(node, what: "a scripted response") else { return nil }
        let f = fields(m, allowed: ["status", "headers", "body", "when"], required: [], what: "a scripted response")
        var status = 200
        var headers = HeaderList()
        var body = ""
        if let n = f["status"], let s = int(n, what: "status") {
            if !(100...999).contains(s) { error(n, "status \(s) is not a three-digit HTTP status") }
            status = s
        }
        if let n = f["headers"], let h = headerLines(n, what: "response headers") {
            headers = HeaderList(h)
            // Templates must be well formed: report an unclosed ${ where it is.
            for (item, header) in zip(n.sequence.map(Array.init) ?? [], h) where header.rawValue.contains("$") {
                if case let .failure(problem) = HeaderTemplate.parse(header.rawValue) {
                    var at = loc(item)
                    let quoted: Bool = { if case let .scalar(sc) = item { return sc.style != .plain } else { return false } }()
                    let valueStart = header.name.count + 1 + (header.line.hasPrefix(header.name + ": ") ? 1 : 0)
                    at = SourceLocation(file: at.file, line: at.line, column: at.column + (quoted ? 1 : 0) + valueStart + problem.offset)
                    errors.append(CorpusError(at, problem.message))
                }
            }
        }
        if let n = f["body"], let b = string(n, what: "body") { body = b }
        var condition: ResponseCondition? = nil
        if let n = f["when"] { condition = parseCondition(n) }
        return ScriptedResponse(status: status, headers: headers, body: body, when: condition)
    }

    /// `when: {header: Origin, equals: "https://a.example"}` (or a list), `absent: true`, `present: true`.
    mutating func parseCondition(_ node: Node) -> ResponseCondition? {
        guard let m = mapping(node, what: "when") else { return nil }
        let f = fields(m, allowed: ["header", "equals", "absent", "present"], required: ["header"], what: "when")
        guard let nameNode = f["header"], let name = string(nameNode, what: "when.header") else { return nil }
        if !HTTPToken.isToken(name) { error(nameNode, "when.header '\(name)' is not a header name") }
        let tests = ["equals", "absent", "present"].filter { f[$0] != nil }
        guard tests.count == 1 else {
            error(node, "when needs exactly one of 'equals', 'absent: true' or 'present: true'")
            return nil
        }
        if let n = f["equals"] {
            if n.sequence != nil { return stringList(n, what: "when.equals").map { ResponseCondition(header: name, test: .equals($0)) } }
            return string(n, what: "when.equals").map { ResponseCondition(header: name, test: .equals([$0])) }
        }
        if let n = f["absent"], bool(n, what: "when.absent") == true { return ResponseCondition(header: name, test: .absent) }
        if let n = f["present"], bool(n, what: "when.present") == true { return ResponseCondition(header: name, test: .present) }
        error(node, "when: 'absent' and 'present' take the value true")
        return nil
    }

    mutating func parseExpectFields(_ f: [String: Node]) -> ExpectFields {
        var e = ExpectFields()
        if let n = f["outcome"] { e.outcome = enumValue(n, OutcomeKind.self, what: "outcome") }
        if let n = f["stage"] { e.stage = enumValue(n, Stage.self, what: "stage") }
        if let n = f["reason"] { e.reason = enumValue(n, Reason.self, what: "reason") }
        if let n = f["preflight"] { e.preflight = bool(n, what: "preflight") }
        if let n = f["status"] { e.status = int(n, what: "status") }
        if let n = f["exposed"] { e.exposed = stringList(n, what: "exposed")?.map { $0.lowercased() } }
        if let n = f["requests"], let list = stringList(n, what: "requests") {
            e.requests = list.map { item in
                let parts = item.split(separator: " ", maxSplits: 1)
                if parts.count == 2, let u = WebURL.parse(String(parts[1])) { return "\(parts[0]) \(u.serialized)" }
                error(n, "an item of requests, '\(item)', must be \"METHOD URL\"")
                return item
            }
        }
        if let n = f["messages"] { e.messages = stringList(n, what: "messages") }
        if let n = f["fromCache"] { e.fromCache = bool(n, what: "fromCache") }
        if let n = f["cookies"], let m = mapping(n, what: "cookies") {
            let cf = fields(m, allowed: ["stored", "sent", "rejected"], required: [], what: "cookies")
            if let v = cf["stored"] { e.cookiesStored = stringList(v, what: "cookies.stored") }
            if let v = cf["sent"] { e.cookiesSent = stringList(v, what: "cookies.sent") }
            if let v = cf["rejected"] { e.cookiesRejected = stringList(v, what: "cookies.rejected") }
        }
        return e
    }

    mutating func parseExpect(_ node: Node) -> Expectation? {
        guard let m = mapping(node, what: "expect") else { return nil }
        let perBrowserKeys = ["chromium"] + Browser.allCases.map(\.rawValue)
        let f = fields(m, allowed: Context.expectKeys + perBrowserKeys, required: [], what: "expect")
        var e = Expectation()
        e.shared = parseExpectFields(f)
        for key in perBrowserKeys {
            guard let n = f[key], let bm = mapping(n, what: "expect.\(key)") else { continue }
            let bf = parseExpectFields(fields(bm, allowed: Context.expectKeys, required: [], what: "expect.\(key)"))
            if key == "chromium" { e.chromium = bf } else if let b = Browser(rawValue: key) { e.perBrowser[b] = bf }
        }
        return e
    }
}
