import ArgumentParser
import CORSCorpus
import CORSModel
import Foundation

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain, per browser, what happens to one request: outcome, algorithm steps, requests sent, console messages.",
        discussion: """
        Either name a case:   cors-harness explain --case Cases/credentials/wildcard.yaml --id wildcard-credentialed-fetch
        or describe one:      cors-harness explain --page http://localhost:3000 --url https://api.example.com/data \\
                                --credentials include --response-header 'Access-Control-Allow-Origin: *'
        A request that needs a preflight also needs --preflight-header (and optionally --preflight-status).
        """)

    @Option(help: "A case file.") var `case`: String?
    @Option(help: "The case id in that file.") var id: String?
    @Option(help: "Only this step of a steps: case (1-based).") var step: Int?

    @Option(help: "Origin of the page making the request.") var page: String?
    @Option(help: "Request URL.") var url: String?
    @Option(help: "Request method.") var method: String = "GET"
    @Option(help: "fetch or xhr.") var api: API = .fetch
    @Option(name: .customLong("header"), help: "A request header line set by the script (repeatable).") var headers: [String] = []
    @Option(help: "fetch credentials mode: omit, same-origin, include.") var credentials: CredentialsMode = .sameOrigin
    @Flag(help: "XHR withCredentials = true.") var withCredentials = false
    @Option(help: "fetch mode: cors, no-cors, same-origin.") var mode: RequestMode = .cors
    @Option(help: "fetch redirect mode: follow, error, manual.") var redirect: RedirectMode = .follow
    @Option(help: "Request body.") var body: String?
    @Option(help: "Status of the actual response.") var status: Int = 200
    @Option(name: .customLong("response-header"), help: "A header line of the actual response (repeatable).") var responseHeaders: [String] = []
    @Option(help: "Status of the preflight response.") var preflightStatus: Int = 204
    @Option(name: .customLong("preflight-header"), help: "A header line of the preflight response (repeatable).") var preflightHeaders: [String] = []

    @Option(help: "Comma-separated browsers.")
    var browsers: BrowserList = BrowserList(argument: "chrome,edge,firefox,safari")!

    func run() throws {
        let (steps, server, title) = try resolve()
        for browser in browsers.browsers {
            let profile = browser.profile
            print("== \(profile.displayName) (\(profile.modelledVersion))")
            var state = BrowserState()
            var network = server
            for (i, s) in steps.enumerated() where step == nil || step == i + 1 {
                state.now += s.after
                if steps.count > 1 { print("-- step \(i + 1)\(s.after > 0 ? " (after \(s.after) s)" : "")") }
                let r = Fetch(profile: profile, tracing: true).run(s.request, page: s.page, state: &state, network: &network)
                if let problem = r.caseError {
                    printError("error: \(problem)\(preflightHint(r))")
                    throw ExitCode(ExitStatus.invalidInput)
                }
                var line = "outcome: \(r.outcome.rawValue)"
                if let f = r.failure { line += " (reason \(f.reason.rawValue), stage \(f.stage.rawValue))" }
                if let st = r.status { line += ", status \(st)" }
                print(line)
                print("steps:")
                for t in r.trace { print("  [\(t.anchor)] \(t.text)") }
                print("requests sent:")
                for req in r.requests {
                    print("  \(req.method) \(req.url)\(req.isPreflight ? "   (preflight)" : "")")
                    for h in req.headers { print("    \(h.line)") }
                }
                if r.outcome == .allowed { print("readable headers: \(r.exposed.isEmpty ? "(none)" : r.exposed.joined(separator: ", "))") }
                print("console:")
                if r.messages.isEmpty { print(r.messagesModelled ? "  (nothing)" : "  (this engine's lines for this failure are not modelled)") }
                for m in r.messages { print("  \(m)") }
                if !r.cookieDecisions.isEmpty || !r.cookiesSent.isEmpty || !r.cookiesExcluded.isEmpty {
                    print("cookies:")
                    for d in r.cookieDecisions {
                        let why = d.reasons.map(\.summary).joined(separator: "; ")
                        print("  Set-Cookie \(d.name): \(d.outcome.rawValue)\(why.isEmpty ? "" : " — " + why)")
                        for m in d.messages {
                            print("    \(profile.displayName) reports: \(m.devToolsReason ?? m.identifier)\(m.text.map { " — " + $0 } ?? "")")
                        }
                    }
                    if !r.cookiesSent.isEmpty { print("  sent: \(r.cookiesSent.joined(separator: ", "))") }
                    for e in r.cookiesExcluded { print("  not sent: \(e.cookie.name) — \(e.reason.summary)") }
                }
                if r.fromCache { print("(the response came from the browser's HTTP cache)") }
            }
            print("")
        }
        if let title { print("case: \(title)") }
    }

    func preflightHint(_ r: FetchResult) -> String {
        (r.requests.last?.isPreflight ?? false) && `case` == nil ? " — this request needs a preflight: describe its response with --preflight-header (and --preflight-status)" : ""
    }

    func resolve() throws -> ([Step], ScriptedServer, String?) {
        if let file = `case` {
            guard let id else { throw ValidationError("--case needs --id") }
            let corpus = try loadCorpus([file])
            guard let c = corpus.cases.first(where: { $0.id == id }) else {
                throw ValidationError("no case with id '\(id)' in \(file); ids there: \(corpus.cases.map(\.id).joined(separator: ", "))")
            }
            return (c.steps, c.server, "\(c.id) — \(c.title) (\(c.location))")
        }
        guard let pageText = page, let urlText = url else {
            throw ValidationError("give either --case FILE --id ID, or at least --page and --url")
        }
        guard let origin = Origin.parse(pageText) else { throw ValidationError("--page '\(pageText)' is not an origin") }
        guard let u = WebURL.parse(urlText), u.host != nil else { throw ValidationError("--url '\(urlText)' is not an absolute URL") }
        func lines(_ list: [String], _ flag: String) throws -> [Header] {
            try list.map { l in
                guard let h = Header(line: l) else { throw ValidationError("\(flag) '\(l)' is not a \"Name: value\" header line") }
                return h
            }
        }
        let request = ScriptRequest(api: api, url: u, method: method, headers: try lines(headers, "--header"), credentials: credentials,
                                    withCredentials: withCredentials, mode: mode, redirect: redirect, body: body)
        var script: [String: [HTTPResponse]] = [
            ScriptedServer.key(method: Method.normalize(method), url: u): [HTTPResponse(status: status, headers: HeaderList(try lines(responseHeaders, "--response-header")))]
        ]
        if !preflightHeaders.isEmpty || preflightStatus != 204 {
            script[ScriptedServer.key(method: "OPTIONS", url: u)] = [HTTPResponse(status: preflightStatus, headers: HeaderList(try lines(preflightHeaders, "--preflight-header")))]
        }
        let step = Step(request: request, page: origin, after: 0, expect: Expectation(),
                        location: SourceLocation(file: "(command line)", line: 0, column: 0))
        return ([step], ScriptedServer(script), nil)
    }
}

extension API: ExpressibleByArgument {}
extension CredentialsMode: ExpressibleByArgument {}
extension RequestMode: ExpressibleByArgument {}
extension RedirectMode: ExpressibleByArgument {}
