import Testing
@testable import CORSModel

/// Message texts are facts from engine sources (docs/MESSAGES.md); these pin the templates.
@Suite struct MessagesTests {
    let page = "http://localhost:3000"
    func blocked(_ browser: Browser, api: API = .fetch, include: Bool = true, _ lines: String...) -> [String] {
        let req = ScriptRequest(api: api, url: url(api == .fetch ? CORSModelTests.api : CORSModelTests.api), credentials: api == .fetch && include ? .include : .sameOrigin,
                                withCredentials: api == .xhr && include)
        return evaluate(req, browser: browser, server: ["GET \(CORSModelTests.api)": [response(200, lines)]]).messages
    }

    @Test func articleChromeAndFirefoxLines() {
        #expect(blocked(.chrome, "Access-Control-Allow-Origin: *") == [
            "Access to fetch at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
            "Failed to load resource: net::ERR_FAILED"])
        #expect(blocked(.chrome, api: .xhr, "Access-Control-Allow-Origin: *")[0] ==
            "Access to XMLHttpRequest at 'https://api.example.com/data' from origin 'http://localhost:3000' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.")
        #expect(blocked(.firefox, "Access-Control-Allow-Origin: http://localhost:3000") == [
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’)."])
        #expect(blocked(.firefox, "Access-Control-Allow-Origin: *") == [
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘https://api.example.com/data’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’)."])
    }

    @Test func chromeHintsAndSuffixes() {
        #expect(blocked(.chrome, include: false, "Access-Control-Allow-Origin: \(page)", "Access-Control-Allow-Origin: \(page)")[0].hasSuffix(
            "The 'Access-Control-Allow-Origin' header contains multiple values 'http://localhost:3000, http://localhost:3000', but only one is allowed. Have the server send the header with a valid value."))
        #expect(blocked(.chrome, "Access-Control-Allow-Origin: \(page)", "Access-Control-Allow-Credentials: True")[0].hasSuffix("is 'True' which must be 'true' when the request's credentials mode is 'include'."))
        #expect(ChromiumMessages.hint("a\u{09}é") == "a\\u0009\\u00C3\\u00A9")
        #expect(blocked(.chrome, include: false, "X: 1")[0].hasSuffix("No 'Access-Control-Allow-Origin' header is present on the requested resource."))
    }

    @Test func safariLines() {
        #expect(blocked(.safari, include: false, "X: 1") == [
            "Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin. Status code: 200",
            "Fetch API cannot load https://api.example.com/data due to access control checks.",
            "Failed to load resource: Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin. Status code: 200"])
        #expect(blocked(.safari, api: .xhr, "Access-Control-Allow-Origin: \(page)")[1] == "XMLHttpRequest cannot load https://api.example.com/data due to access control checks.")
        #expect(blocked(.safari, "Access-Control-Allow-Origin: \(page)")[0] == "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".")
    }

    @Test func preflightLines() {
        let req = ScriptRequest(url: url(CORSModelTests.api), method: "PUT")
        let server = ["OPTIONS \(CORSModelTests.api)": [response(403, "Access-Control-Allow-Origin: *")]]
        #expect(evaluate(req, browser: .chrome, server: server).messages[0].hasSuffix("has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status."))
        #expect(evaluate(req, browser: .firefox, server: server).messages == [
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS preflight response did not succeed). Status code: 403.",
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/data. (Reason: CORS request did not succeed). Status code: (null)."])
        #expect(evaluate(req, browser: .safari, server: server).messages[0] == "Preflight response is not successful. Status code: 403")
        let method = ["OPTIONS \(CORSModelTests.api)": [response(204, "Access-Control-Allow-Origin: *", "Access-Control-Allow-Methods: GET")]]
        #expect(evaluate(req, browser: .chrome, server: method).messages[0].hasSuffix("blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response."))
        #expect(evaluate(req, browser: .safari, server: method).messages[0] == "Method PUT is not allowed by Access-Control-Allow-Methods.")
    }

    @Test func redirectedRequestsNameTheFirstURL() {
        let r = evaluate(ScriptRequest(url: url("https://a.example/1")), browser: .chrome, server: [
            "GET https://a.example/1": [response(302, "Location: https://b.example/2", "Access-Control-Allow-Origin: *")],
            "GET https://b.example/2": [response(200)]])
        #expect(r.messages[0].hasPrefix("Access to fetch at 'https://b.example/2' (redirected from 'https://a.example/1') from origin 'http://localhost:3000'"))
        let s = evaluate(ScriptRequest(url: url("https://a.example/1")), browser: .safari, server: ["GET https://a.example/1": [response(302, "Location: https://b.example/2")]])
        #expect(s.messages[0] == "Cross-origin redirection to https://b.example/2 denied by Cross-Origin Resource Sharing policy: Origin http://localhost:3000 is not allowed by Access-Control-Allow-Origin. Status code: 302")
    }

    /// Lines observed in the real engines (docs/engine-observations.md) that differ from a plain reading of the sources.
    @Test func observedCompanionLines() {
        let hop = ["GET https://a.example/1": [response(302, "Location: https://b.example/2")]]
        let ff = evaluate(ScriptRequest(url: url("https://a.example/1")), browser: .firefox, server: hop).messages
        #expect(ff == ["Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://a.example/1. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 302.",
                       "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://a.example/1. (Reason: CORS request did not succeed). Status code: (null)."])
        let pre = ["OPTIONS \(CORSModelTests.api)": [response(302, "Location: /x", "Access-Control-Allow-Origin: *")]]
        #expect(evaluate(ScriptRequest(url: url(CORSModelTests.api), method: "PUT"), browser: .firefox, server: pre).messages.count == 3)
        let same = evaluate(ScriptRequest(url: url(CORSModelTests.api), mode: .sameOrigin), browser: .chrome, server: [:]).messages
        #expect(same == ["Fetch API cannot load https://api.example.com/data. Request mode is \"same-origin\" but the URL's origin is not same as the request origin http://localhost:3000."])
        #expect(evaluate(ScriptRequest(url: url(CORSModelTests.api), mode: .sameOrigin), browser: .safari, server: [:]).messages == ["Fetch API cannot load https://api.example.com/data."])
        let creds = evaluate(ScriptRequest(url: url("https://a.example/1")), browser: .safari,
                             server: ["GET https://a.example/1": [response(302, "Location: https://u:p@b.example/2", "Access-Control-Allow-Origin: *")]]).messages
        #expect(creds.first == "Cross-origin redirection to https://b.example/2 denied by Cross-Origin Resource Sharing policy: redirection URL https://u:p@b.example/2 has credentials")
        #expect(creds.dropFirst().first == "Fetch API cannot load https://a.example/1 due to access control checks.")
    }

    /// Seen by `cors-harness verify` in Chromium 156 and WebKitGTK 2.50: a delivered error status gets
    /// its own line (also for an opaque no-cors response); Firefox prints nothing.
    @Test func errorStatusOfADeliveredResponse() {
        func lines(_ b: Browser, status: Int, mode: RequestMode = .cors) -> [String] {
            let req = ScriptRequest(api: .fetch, url: url(CORSModelTests.api), method: mode == .noCORS ? "POST" : "GET", mode: mode)
            return evaluate(req, browser: b, server: ["\(mode == .noCORS ? "POST" : "GET") \(CORSModelTests.api)": [response(status, ["Access-Control-Allow-Origin: *"])]]).messages
        }
        #expect(lines(.chrome, status: 404) == ["Failed to load resource: the server responded with a status of 404 (Not Found)"])
        #expect(lines(.safari, status: 500) == ["Failed to load resource: the server responded with a status of 500 (Internal Server Error)"])
        #expect(lines(.chrome, status: 403, mode: .noCORS) == ["Failed to load resource: the server responded with a status of 403 (Forbidden)"])
        #expect(lines(.firefox, status: 404).isEmpty)
        #expect(lines(.chrome, status: 302 + 97).isEmpty)
    }
}
