/// Request methods: safelisting, forbidding and normalisation (fetch#methods).
public enum Method {
    /// fetch#cors-safelisted-method — byte-exact, after normalisation.
    public static func isCORSSafelisted(_ method: String) -> Bool {
        method == "GET" || method == "HEAD" || method == "POST"
    }

    /// fetch#forbidden-method — `CONNECT`, `TRACE`, `TRACK`, compared case-insensitively.
    public static func isForbidden(_ method: String) -> Bool {
        let u = method.uppercased()
        return u == "CONNECT" || u == "TRACE" || u == "TRACK"
    }

    /// fetch#concept-method-normalize — only the six well-known methods are upper-cased,
    /// so `patch` stays `patch` and must then match ACAM case-sensitively.
    public static func normalize(_ method: String) -> String {
        let u = method.uppercased()
        switch u {
        case "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT": return u
        default: return method
        }
    }
}
