/// Request methods: safelisting, forbidding and normalisation (fetch#methods).
public enum Method {
    /// fetch#cors-safelisted-method — byte-exact, after normalisation.
    public static func isCORSSafelisted(_ method: String) -> Bool {
        method == "GET" || method == "HEAD" || method == "POST"
    }

    /// fetch#forbidden-method — `CONNECT`, `TRACE`, `TRACK`, compared case-insensitively.
    public static func isForbidden(_ method: String) -> Bool {
        // Lengths first: most methods are none of these, and uppercased() allocates.
        let n = method.utf8.count
        guard n == 5 || n == 7 else { return false }
        let u = method.uppercased()
        return u == "CONNECT" || u == "TRACE" || u == "TRACK"
    }

    /// fetch#concept-method-normalize — only the six well-known methods are upper-cased,
    /// so `patch` stays `patch` and must then match ACAM case-sensitively.
    public static func normalize(_ method: String) -> String {
        // Already upper-case (what scripts write, nearly always): nothing to do.
        if !method.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) { return method }
        let u = method.uppercased()
        switch u {
        case "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT": return u
        default: return method
        }
    }
}
