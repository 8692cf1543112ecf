/// The browser's HTTP cache as it affects CORS (fetch#http-network-or-cache-fetch, RFC 9111):
/// a stored response can answer a later CORS request without the server, and a 304 merges new
/// headers into the stored response before the CORS check (fetch-rules.md rule 81). Entries are
/// partitioned by the page's site, as Chromium, Firefox and Safari all partition their caches.
public struct HTTPCache: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var response: HTTPResponse
        /// The request's values of every header the response's `Vary` names (lower-cased).
        var varyValues: [String: String?]
        var varyAll: Bool
        public var storedAt: Double
        public var freshFor: Double
    }

    struct Key: Hashable, Sendable {
        let partition: String
        let url: String
    }

    private var entries: [Key: [Entry]] = [:]

    public init() {}
    public var isEmpty: Bool { entries.isEmpty }

    /// Seconds of explicit freshness (`max-age`, or `s-maxage` for a shared cache); nil when the
    /// response may not be stored (`no-store`, `private` in a shared cache, or nothing to go on).
    public static func freshness(_ headers: HeaderList, shared: Bool) -> Double? {
        let directives = (headers.get("cache-control") ?? "").lowercased().split(separator: ",").map { $0.trimmingSpacesAndTabs() }
        if directives.contains("no-store") { return nil }
        if shared && directives.contains("private") { return nil }
        func value(_ name: String) -> Double? {
            for d in directives where d.hasPrefix(name + "=") { return Double(d.dropFirst(name.count + 1).filter { $0 != "\"" }) }
            return nil
        }
        if shared, let s = value("s-maxage") { return s }
        if directives.contains("no-cache") { return 0 }
        if let m = value("max-age") { return m }
        // Validators alone make a response storable for revalidation.
        if headers.contains("etag") || headers.contains("last-modified") { return 0 }
        return nil
    }

    static func isStorableStatus(_ status: Int) -> Bool { [200, 203, 204, 300, 301, 308, 404, 410].contains(status) }

    /// Finds the stored response this request may use (Vary-aware, RFC 9111 §4.1).
    public func lookup(partition: String, url: WebURL, request: HeaderList) -> Entry? {
        guard let list = entries[Key(partition: partition, url: url.withoutFragment.serialized)] else { return nil }
        return list.last { e in
            !e.varyAll && e.varyValues.allSatisfy { name, value in request.get(name) == value }
        }
    }

    /// - Parameter implicitlyFresh: statuses fresh forever when nothing says otherwise (Chromium:
    ///   300, 301, 308 and 410, net/http/http_response_headers.cc GetFreshnessLifetimes).
    public mutating func store(partition: String, url: WebURL, request: HeaderList, response: HTTPResponse, now: Double, shared: Bool,
                               implicitlyFresh: [Int] = []) {
        guard Self.isStorableStatus(response.status) else { return }
        let explicit = Self.freshness(response.headers, shared: shared)
        let implicit: Double? = implicitlyFresh.contains(response.status) && explicit == nil
            && !(response.headers.get("cache-control") ?? "").lowercased().contains("no-store") ? .infinity : nil
        guard let fresh = explicit ?? implicit else { return }
        var varyValues: [String: String?] = [:]
        var varyAll = false
        if case let .values(names) = HeaderListValues.extract("vary", from: response.headers) {
            for n in names {
                if n == "*" { varyAll = true } else { varyValues[n.lowercased()] = request.get(n) }
            }
        }
        let key = Key(partition: partition, url: url.withoutFragment.serialized)
        // A browser's cache keeps one response per key: a response stored for other `Vary` values
        // replaces it (Chromium's disk cache, Gecko's cache2, WebKit's NetworkCache; seen in
        // Chromium 156 by `verify`). A shared cache may keep one per variant (Varnish, CDNs).
        var list = shared ? entries[key] ?? [] : []
        list.removeAll { $0.varyValues == varyValues }
        list.append(Entry(response: response, varyValues: varyValues, varyAll: varyAll, storedAt: now, freshFor: fresh))
        entries[key] = list
    }

    /// RFC 9111 §4.3.4: a 304's headers replace the stored ones of the same name.
    public static func merge(_ stored: HTTPResponse, with notModified: HTTPResponse) -> HTTPResponse {
        let updated = Set(notModified.headers.lowercasedNames).subtracting(["content-length"])
        var headers = HeaderList(stored.headers.headers.filter { !updated.contains($0.lowercasedName) })
        for h in notModified.headers where updated.contains(h.lowercasedName) { headers.append(h) }
        return HTTPResponse(status: stored.status, headers: headers, body: stored.body)
    }
}

/// fetch#concept-request-cache-mode
public enum CacheMode: String, Sendable, Codable, CaseIterable {
    case `default`, noStore = "no-store", reload, noCache = "no-cache", forceCache = "force-cache", onlyIfCached = "only-if-cached"
}

/// A shared cache (a CDN or caching proxy) in front of the origin server. It stores by URL and,
/// when configured to, by the request headers `Vary` names; one that ignores `Vary: Origin` serves
/// one origin's answer to another (the article's "Still not working" item 8).
public struct SharedCache<Base: Network>: Network {
    public var base: Base
    public var honoursVary: Bool
    /// The clock, set by the caller before each request.
    public var now: Double = 0
    private var cache = HTTPCache()

    public init(base: Base, honoursVary: Bool) { self.base = base; self.honoursVary = honoursVary }

    public mutating func send(_ request: HTTPRequest) -> Result<HTTPResponse, NetworkFailure> {
        guard request.method == "GET" else { return base.send(request) }
        let keyHeaders = honoursVary ? request.headers : HeaderList()
        if let hit = cache.lookup(partition: "", url: request.url, request: keyHeaders), now - hit.storedAt < hit.freshFor {
            var r = hit.response
            r.headers.append(name: "Age", value: String(Int(now - hit.storedAt)))
            return .success(r)
        }
        let result = base.send(request)
        if case let .success(response) = result {
            cache.store(partition: "", url: request.url, request: keyHeaders, response: response, now: now, shared: true)
        }
        return result
    }
}
