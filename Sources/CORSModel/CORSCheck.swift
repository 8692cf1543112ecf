/// The CORS check (fetch#concept-cors-check) on one response, with each engine's order of checks
/// so that the failure reported is the one that engine reports.
public enum CORSCheck {
    /// Returns nil when the response passes, or the failure (stage and URL filled in by the caller).
    /// - Parameters:
    ///   - requestOrigin: the byte-serialized request origin (`null` once a redirect tainted it).
    ///   - includeCredentials: the credentials mode is `include` (for a preflight: the actual request's).
    public static func check(_ headers: HeaderList, status: Int, requestOrigin: String, includeCredentials: Bool,
                             family: EngineFamily, stage: Stage, url: WebURL) -> Failure? {
        let (acao, allLines) = headers.getCounting("access-control-allow-origin")
        // Only a second line can make Gecko's count differ from the plain one that matters (> 1).
        let lines = family == .gecko && allLines > 1 ? geckoAllowOriginLines(headers) : allLines

        func fail(_ reason: Reason) -> Failure {
            var f = Failure(reason: reason, stage: stage, url: url)
            f.status = status
            f.allowOrigin = acao
            f.allowOriginLines = lines
            f.allowCredentials = headers.get("access-control-allow-credentials")
            return f
        }

        switch family {
        case .gecko:
            // nsCORSListenerProxy::CheckRequestApproved: more than one ACAO line fails first (lines
            // counted as Gecko counts them, see geckoAllowOriginLines).
            if lines > 1 { return fail(.multipleAllowOrigin) }
            guard let acao else { return fail(.missingAllowOrigin) }
            if includeCredentials && acao == "*" { return fail(.wildcardOriginWithCredentials) }
            if (includeCredentials || acao != "*") && acao != requestOrigin { return fail(classifyMismatch(acao)) }
        case .chromium, .webkit:
            // cors.cc CheckAccess / CrossOriginAccessControl.cpp passesAccessControlCheck (same order
            // for what they decide; WebKit's texts merge some kinds, see Messages/WebKitMessages.swift).
            guard let acao else { return fail(.missingAllowOrigin) }
            if acao == "*" {
                if includeCredentials { return fail(.wildcardOriginWithCredentials) }
                return nil
            }
            if acao != requestOrigin { return fail(classifyMismatch(acao)) }
        }
        if includeCredentials {
            // Exactly the four bytes `true`: `True`, `"true"` and `true, true` all fail.
            if headers.get("access-control-allow-credentials") != "true" { return fail(.invalidAllowCredentials) }
        }
        return nil
    }

    /// Why an ACAO value that is not the request origin fails, in Chromium's classification
    /// (cors.cc): a comma or space means several values; `null` or a parseable URL is a mismatch;
    /// anything else (`foo`, empty) is invalid.
    static func classifyMismatch(_ acao: String) -> Reason {
        if acao.utf8.contains(where: { $0 == 0x2C || $0 == 0x20 }) { return .multipleAllowOrigin }
        if acao == "null" { return .allowOriginMismatch }
        return looksLikeURLWithHost(acao) ? .allowOriginMismatch : .invalidAllowOrigin
    }

    /// Whether the value parses as an absolute URL (checked without building one: this runs on
    /// every mismatching response).
    static func looksLikeURLWithHost(_ value: String) -> Bool {
        WebURL.isValidAbsolute(value)
    }

    /// The `Access-Control-Allow-Origin` lines Gecko counts before merging them: its visitor
    /// (nsCORSListenerProxy.cpp, CheckOriginHeader::VisitHeader) compares the name as received with
    /// `EqualsLiteral`, so a line spelled in other casing is not counted, only merged into the value
    /// (seen in Firefox 153 by `cors-harness verify`, case nginx-answers-preflight-app-adds-acao-again).
    public static func geckoAllowOriginLines(_ headers: HeaderList) -> Int {
        var n = 0
        for h in headers.headers where h.name == "Access-Control-Allow-Origin" { n += 1 }
        return n
    }
}
