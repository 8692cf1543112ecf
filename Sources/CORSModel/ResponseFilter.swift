/// Filtered responses: which header names script can read (fetch#concept-filtered-response).
public enum ResponseFilter {
    public enum Tainting: String, Sendable { case basic, cors, opaque }

    /// Names are lower-cased, unique and sorted.
    public static func exposedHeaderNames(_ headers: HeaderList, tainting: Tainting, includeCredentials: Bool) -> [String] {
        var names: Set<String> = []
        switch tainting {
        case .opaque:
            return []
        case .basic:
            // fetch#concept-filtered-response-basic: everything but Set-Cookie/Set-Cookie2.
            for h in headers where !Safelist.isForbiddenResponseHeaderName(h.lowercasedName) { names.insert(h.lowercasedName) }
        case .cors:
            // fetch#concept-main-fetch: the CORS-exposed header-name list from Access-Control-Expose-Headers.
            var listed: Set<String> = []
            var all = false
            if case let .values(items) = HeaderListValues.extract("access-control-expose-headers", from: headers) {
                for item in items { listed.insert(item.lowercased()) }
                // `*` exposes everything only without credentials; with them it names a header called `*`.
                all = !includeCredentials && listed.contains("*")
            }
            for h in headers {
                let n = h.lowercasedName
                if Safelist.isForbiddenResponseHeaderName(n) { continue }
                if all || Safelist.safelistedResponseHeaderNames.contains(n) || listed.contains(n) { names.insert(n) }
            }
        }
        return names.sorted()
    }
}
