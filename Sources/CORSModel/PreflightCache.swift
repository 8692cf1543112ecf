/// The CORS-preflight cache (fetch#cors-preflight-cache). Time comes from the caller (`BrowserState.now`).
public struct PreflightCache: Sendable, Hashable {
    struct Item: Sendable, Hashable {
        var method: String?
        var headerName: String?     // lower-cased
        var credentials: Bool
        var expiry: Double
    }

    /// Keyed by byte-serialized request origin + URL; the network partition key is the page's
    /// top-level site, which is constant within one browser state here.
    private var entries: [Key: [Item]] = [:]

    struct Key: Hashable, Sendable {
        let origin: String
        let url: String
    }

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }

    static func key(origin: String, url: WebURL) -> Key { Key(origin: origin, url: url.serialized) }

    /// fetch#concept-cache-match-method. A `*` entry matches only uncredentialed requests: engines
    /// never let a cached `*` serve a credentialed request (fetch-rules.md rule 52 observation).
    public func matchesMethod(origin: String, url: WebURL, method: String, includeCredentials: Bool, now: Double, keyedByCredentials: Bool = false) -> Bool {
        guard let items = entries[PreflightCache.key(origin: origin, url: url)] else { return false }
        for item in items where item.expiry > now && (keyedByCredentials ? item.credentials == includeCredentials : (item.credentials || !includeCredentials)) {
            if let m = item.method, m == method || (m == "*" && !includeCredentials) { return true }
        }
        return false
    }

    /// fetch#concept-cache-match-header: case-insensitive; `*` never matches `Authorization`
    /// unless the engine lets the wildcard cover it.
    public func matchesHeader(origin: String, url: WebURL, name: String, includeCredentials: Bool, now: Double, wildcardCoversAuthorization: Bool, keyedByCredentials: Bool = false) -> Bool {
        guard let items = entries[PreflightCache.key(origin: origin, url: url)] else { return false }
        for item in items where item.expiry > now && (keyedByCredentials ? item.credentials == includeCredentials : (item.credentials || !includeCredentials)) {
            guard let h = item.headerName else { continue }
            if h == name { return true }
            if h == "*" && !includeCredentials && (name != "authorization" || wildcardCoversAuthorization) { return true }
        }
        return false
    }

    /// fetch#concept-cache-create-entry for each method and header name of a successful preflight.
    public mutating func store(origin: String, url: WebURL, methods: [String], headerNames: [String],
                               includeCredentials: Bool, maxAge: Int, now: Double, replacing: Bool) {
        let key = PreflightCache.key(origin: origin, url: url)
        var items = replacing ? [] : (entries[key] ?? [])
        let expiry = now + Double(maxAge)
        func upsert(method: String?, header: String?) {
            if let i = items.firstIndex(where: { $0.method == method && $0.headerName == header && $0.credentials == includeCredentials }) {
                items[i].expiry = expiry
            } else {
                items.append(Item(method: method, headerName: header, credentials: includeCredentials, expiry: expiry))
            }
        }
        for m in methods { upsert(method: m, header: nil) }
        for h in headerNames { upsert(method: nil, header: h.lowercased()) }
        entries[key] = items
    }

    /// fetch#concept-cache-clear: after a network error on the preflight path.
    public mutating func clear(origin: String, url: WebURL) {
        entries[PreflightCache.key(origin: origin, url: url)] = nil
    }
}
