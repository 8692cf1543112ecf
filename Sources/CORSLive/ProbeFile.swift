import CORSCorpus
import CORSModel
import Foundation
import Yams

/// One endpoint of a probe file: the request a page's script makes, and the origins that must be
/// allowed or refused (docs/PROBE-FORMAT.md).
public struct ProbeEndpoint: Sendable {
    public var name: String
    public var url: WebURL
    public var method: String = "GET"
    public var headers: [Header] = []
    public var body: String?
    public var api: API = .fetch
    public var credentials: CredentialsMode = .sameOrigin
    public var withCredentials = false
    public var mode: RequestMode = .cors
    public var redirect: RedirectMode = .follow
    /// Sent as `Cookie` when the credentials mode sends credentials.
    public var cookie: String?
    public var allowed: [Origin] = []
    public var refused: [Origin] = []
    /// Expectations for the allowed origins (outcome defaults to `allowed`), as a case's `expect:`.
    public var expect: Expectation?
    public var location: SourceLocation

    public init(name: String, url: WebURL, location: SourceLocation) {
        self.name = name; self.url = url; self.location = location
    }

    public var scriptRequest: ScriptRequest {
        ScriptRequest(api: api, url: url, method: method, headers: headers, credentials: credentials, withCredentials: withCredentials,
                      mode: mode, redirect: redirect, body: body)
    }
}

/// A whole probe: the server, its endpoints and how to run the checks.
public struct ProbePlan: Sendable {
    public var file: String
    public var base: WebURL
    public var browsers: [Browser] = Browser.defaultSet
    public var endpoints: [ProbeEndpoint] = []
    public var options = LiveOptions()
    /// Checks run at once.
    public var concurrency = 4
    /// Reviewer flags fail the check, too.
    public var strict = false
    /// Also send each endpoint's request from an arbitrary origin and from `null` (flags only).
    public var reflectionChecks = true

    public init(file: String, base: WebURL) { self.file = file; self.base = base }
}

public enum ProbeFile {
    static let topKeys = ["base", "browsers", "allowed", "refused", "endpoints", "timeouts", "concurrency", "tls", "cookie",
                          "strict", "reflection", "credentials"]
    static let endpointKeys = ["name", "path", "url", "method", "headers", "body", "api", "credentials", "withCredentials", "mode",
                               "redirect", "cookie", "allowed", "refused", "expect"]

    /// Reads and parses a probe file; every problem is returned, located.
    public static func load(path: String) -> (ProbePlan?, [CorpusError]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (nil, [CorpusError(SourceLocation(file: path, line: 0, column: 0), "cannot read the probe file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [CorpusError(SourceLocation(file: path, line: 1, column: 1), "the file is not valid UTF-8")])
        }
        return parse(text: text, file: path)
    }

    /// Durations as `2s`, `500ms`, `1m` or a number of seconds.
    static func seconds(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces)
        for (suffix, factor) in [("ms", 0.001), ("s", 1.0), ("m", 60.0)] where t.hasSuffix(suffix) {
            if let v = Double(t.dropLast(suffix.count)), v > 0 { return v * factor }
            return nil
        }
        if let v = Double(t), v > 0 { return v }
        return nil
    }

    public static func parse(text: String, file: String) -> (ProbePlan?, [CorpusError]) {
        var r = YAMLDocumentReader(file: file)
        guard let root = r.compose(text), let top = r.mapping(root, what: "the probe file") else { return (nil, r.errors) }
        let f = r.fields(top, allowed: topKeys, required: ["base", "endpoints"], what: "the probe file")
        guard let baseNode = f["base"], let baseText = r.string(baseNode, what: "base") else { return (nil, r.errors) }
        guard let base = WebURL.parse(baseText), base.isHTTPFamily, base.host != nil else {
            r.error(baseNode, "base '\(baseText)' must be an absolute http:// or https:// URL")
            return (nil, r.errors)
        }
        var plan = ProbePlan(file: file, base: base)
        func origins(_ node: Node, what: String) -> [Origin] {
            var out: [Origin] = []
            for item in r.sequence(node, what: what) ?? [] {
                guard let s = r.string(item, what: "an origin in \(what)") else { continue }
                if let o = Origin.parse(s), o.isOpaque || WebURL.parse(s)?.isHTTPFamily == true { out.append(o) } else {
                    r.error(item, "'\(s)' in \(what) is not an origin: write scheme://host[:port] or \"null\"")
                }
            }
            return out
        }
        if let n = f["browsers"], let list = r.stringList(n, what: "browsers") {
            var bs: [Browser] = []
            for s in list {
                if let b = Browser(rawValue: s.lowercased()) { if !bs.contains(b) { bs.append(b) } } else {
                    r.error(n, "unknown browser '\(s)'; expected: \(Browser.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            if !bs.isEmpty { plan.browsers = bs }
        }
        let allowed = f["allowed"].map { origins($0, what: "allowed") } ?? []
        let refused = f["refused"].map { origins($0, what: "refused") } ?? []
        let cookie = f["cookie"].flatMap { r.string($0, what: "cookie") }
        let defaultCredentials = f["credentials"].flatMap { r.enumValue($0, CredentialsMode.self, what: "credentials") }
        if let n = f["timeouts"], let m = r.mapping(n, what: "timeouts") {
            let tf = r.fields(m, allowed: ["connect", "read", "request"], required: [], what: "timeouts")
            for (key, node) in tf {
                guard let s = r.string(node, what: "timeouts.\(key)") else { continue }
                guard let v = seconds(s) else { r.error(node, "timeouts.\(key) '\(s)' is not a duration such as 2s or 500ms"); continue }
                switch key {
                case "connect": plan.options.connectTimeout = v
                case "read": plan.options.readTimeout = v
                default: plan.options.requestTimeout = v
                }
            }
        }
        if let n = f["concurrency"], let v = r.int(n, what: "concurrency") {
            if (1...64).contains(v) { plan.concurrency = v } else { r.error(n, "concurrency must be between 1 and 64") }
        }
        if let n = f["tls"], let m = r.mapping(n, what: "tls") {
            let tf = r.fields(m, allowed: ["insecure", "ca"], required: [], what: "tls")
            if let x = tf["insecure"], let b = r.bool(x, what: "tls.insecure") { plan.options.insecure = b }
            if let x = tf["ca"], let s = r.string(x, what: "tls.ca") {
                plan.options.caFile = s.hasPrefix("/") ? s : URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/")).absoluteURL.deletingLastPathComponent().appendingPathComponent(s).standardized.path
            }
        }
        if let n = f["strict"], let b = r.bool(n, what: "strict") { plan.strict = b }
        if let n = f["reflection"], let b = r.bool(n, what: "reflection") { plan.reflectionChecks = b }

        var names = Set<String>()
        for node in f["endpoints"].flatMap({ r.sequence($0, what: "endpoints") }) ?? [] {
            guard let m = r.mapping(node, what: "an endpoint") else { continue }
            let ef = r.fields(m, allowed: endpointKeys, required: [], what: "an endpoint")
            var url: WebURL?
            if let n = ef["url"], let s = r.string(n, what: "url") {
                url = WebURL.parse(s)
                if url == nil || url?.isHTTPFamily != true { r.error(n, "url '\(s)' must be an absolute http(s) URL"); continue }
            } else if let n = ef["path"], let s = r.string(n, what: "path") {
                guard s.hasPrefix("/") else { r.error(n, "path '\(s)' must start with /"); continue }
                url = WebURL.parse(s, base: base)
                if url == nil { r.error(n, "path '\(s)' does not make a URL with base \(base)"); continue }
            } else {
                r.error(node, "an endpoint needs 'path:' (below base) or 'url:'")
                continue
            }
            var e = ProbeEndpoint(name: "", url: url!, location: r.location(node))
            if let n = ef["method"], let s = r.string(n, what: "method") { e.method = s }
            if let n = ef["headers"], let h = r.headerLines(n, what: "headers") { e.headers = h }
            if let n = ef["body"], let s = r.string(n, what: "body") { e.body = s }
            if let n = ef["api"], let v = r.enumValue(n, API.self, what: "api") { e.api = v }
            if let v = defaultCredentials { e.credentials = v; e.withCredentials = v == .include }
            if let n = ef["credentials"], let v = r.enumValue(n, CredentialsMode.self, what: "credentials") { e.credentials = v; e.withCredentials = v == .include }
            if let n = ef["withCredentials"], let b = r.bool(n, what: "withCredentials") { e.withCredentials = b }
            if let n = ef["mode"], let v = r.enumValue(n, RequestMode.self, what: "mode") { e.mode = v }
            if let n = ef["redirect"], let v = r.enumValue(n, RedirectMode.self, what: "redirect") { e.redirect = v }
            e.cookie = ef["cookie"].flatMap { r.string($0, what: "cookie") } ?? cookie
            e.allowed = ef["allowed"].map { origins($0, what: "allowed") } ?? allowed
            e.refused = ef["refused"].map { origins($0, what: "refused") } ?? refused
            if let n = ef["expect"] { e.expect = r.expectation(n) }
            let pathPart = e.url.path + (e.url.query.map { "?" + $0 } ?? "")
            e.name = ef["name"].flatMap { r.string($0, what: "name") } ?? "\(e.method) \(e.url.origin == base.origin ? pathPart : e.url.serialized)"
            if !names.insert(e.name).inserted { r.error(node, "two endpoints are named '\(e.name)': give one a 'name:'") }
            if e.allowed.isEmpty && e.refused.isEmpty {
                r.error(node, "endpoint '\(e.name)' has no origins to check: give 'allowed:' and/or 'refused:' (here or at the top)")
            }
            if let both = e.allowed.first(where: { e.refused.contains($0) }) {
                r.error(node, "origin \(both.serialized) is both allowed and refused for '\(e.name)'")
            }
            plan.endpoints.append(e)
        }
        if plan.endpoints.isEmpty && r.errors.isEmpty, let n = f["endpoints"] { r.error(n, "endpoints is empty") }
        return r.errors.isEmpty ? (plan, []) : (nil, r.errors)
    }
}
