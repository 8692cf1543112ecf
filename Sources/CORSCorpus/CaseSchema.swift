import CORSModel

/// A place in a case file (1-based line and column).
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { "\(file):\(line):\(column)" }
}

/// A problem with a case file: where, and a plain sentence.
public struct CorpusError: Error, Hashable, Sendable, CustomStringConvertible {
    public let location: SourceLocation
    public let message: String
    public init(_ location: SourceLocation, _ message: String) { self.location = location; self.message = message }
    public var description: String { "\(location): error: \(message)" }
}

public struct CorpusErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [CorpusError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// What a case expects of one browser; a nil field is not checked.
public struct ExpectFields: Hashable, Sendable {
    public var outcome: OutcomeKind?
    public var stage: Stage?
    public var reason: Reason?
    public var preflight: Bool?
    public var status: Int?
    public var exposed: [String]?
    public var requests: [String]?
    public var messages: [String]?
    public var fromCache: Bool?
    /// `cookies: {stored: [...], sent: [...], rejected: [...]}`: cookie names.
    public var cookiesStored: [String]?
    public var cookiesSent: [String]?
    public var cookiesRejected: [String]?

    public init() {}

    public var isEmpty: Bool { self == ExpectFields() }

    /// Fields stated in `other` win.
    public func overlaid(by other: ExpectFields?) -> ExpectFields {
        guard let other else { return self }
        var r = self
        if let v = other.outcome { r.outcome = v }
        if let v = other.stage { r.stage = v }
        if let v = other.reason { r.reason = v }
        if let v = other.preflight { r.preflight = v }
        if let v = other.status { r.status = v }
        if let v = other.exposed { r.exposed = v }
        if let v = other.requests { r.requests = v }
        if let v = other.messages { r.messages = v }
        if let v = other.fromCache { r.fromCache = v }
        if let v = other.cookiesStored { r.cookiesStored = v }
        if let v = other.cookiesSent { r.cookiesSent = v }
        if let v = other.cookiesRejected { r.cookiesRejected = v }
        return r
    }
}

/// `expect:` — shared fields, then the engine family (`chromium`), then the browser key.
public struct Expectation: Hashable, Sendable {
    public var shared = ExpectFields()
    public var chromium: ExpectFields?
    public var perBrowser: [Browser: ExpectFields] = [:]

    public init() {}

    public func resolved(for browser: Browser) -> ExpectFields {
        var r = shared
        if browser.profile.family == .chromium { r = r.overlaid(by: chromium) }
        return r.overlaid(by: perBrowser[browser])
    }
}

public struct Step: Hashable, Sendable {
    public var request: ScriptRequest
    public var page: Origin
    /// Seconds the clock advances before this step.
    public var after: Double
    public var expect: Expectation
    public var location: SourceLocation

    public init(request: ScriptRequest, page: Origin, after: Double, expect: Expectation, location: SourceLocation) {
        self.request = request; self.page = page; self.after = after; self.expect = expect; self.location = location
    }
}

public struct Case: Hashable, Sendable {
    public var id: String
    public var title: String
    public var refs: [String]
    public var suite: String
    public var file: String
    public var location: SourceLocation
    public var page: Origin
    public var steps: [Step]
    public var server: ScriptedServer
    /// Scripted responses in file order, as `METHOD URL` → responses (reports show them).
    public var serverScript: [(key: String, responses: [ScriptedResponse])]
    /// A shared cache (CDN) in front of the server, when the case has `cache:`.
    public var sharedCache: SharedCacheConfig?
    public var browsers: [Browser]?
    public var divergence: String?
    public var verified: Bool
    public var verifiedNote: String?
    public var notes: String?
    /// Declared gaps of `verify`: engine (`chromium`, `firefox`, `webkit`, or `all`) → why that
    /// engine cannot stand for its browsers in this case (docs/VERIFY.md).
    public var gaps: [String: String] = [:]
    /// True when the case was written with `steps:`.
    public var isMultiStep: Bool

    public static func == (a: Case, b: Case) -> Bool { a.id == b.id && a.file == b.file }
    public func hash(into h: inout Hasher) { h.combine(id); h.combine(file) }

    public func applies(to browser: Browser) -> Bool { browsers?.contains(browser) ?? true }
}

public struct SharedCacheConfig: Hashable, Sendable {
    public var honoursVary: Bool
    public init(honoursVary: Bool) { self.honoursVary = honoursVary }
}

public struct CaseFile: Sendable {
    public var path: String
    public var suite: String
    public var description: String?
    public var cases: [Case]
}

public struct Corpus: Sendable {
    public var files: [CaseFile]
    public var cases: [Case] { files.flatMap(\.cases) }
    public init(files: [CaseFile]) { self.files = files }
}
