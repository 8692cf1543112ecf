@testable import CORSModel

func url(_ s: String) -> WebURL { WebURL.parse(s)! }
func origin(_ s: String) -> Origin { Origin.parse(s)! }
func headers(_ lines: String...) -> HeaderList { HeaderList(lines.map { Header(line: $0)! }) }
func response(_ status: Int = 200, _ lines: String...) -> HTTPResponse { response(status, lines) }
func response(_ status: Int, _ lines: [String]) -> HTTPResponse { HTTPResponse(status: status, headers: HeaderList(lines.map { Header(line: $0)! })) }

/// Evaluates one request against a scripted server in a fresh (or given) browser state.
func evaluate(_ request: ScriptRequest, page: String = "http://localhost:3000", browser: Browser = .chrome,
              server: [String: [HTTPResponse]], state: inout BrowserState) -> FetchResult {
    var network = ScriptedServer(server)
    return Fetch(profile: browser.profile, tracing: true).run(request, page: origin(page), state: &state, network: &network)
}

func evaluate(_ request: ScriptRequest, page: String = "http://localhost:3000", browser: Browser = .chrome,
              server: [String: [HTTPResponse]]) -> FetchResult {
    var state = BrowserState()
    return evaluate(request, page: page, browser: browser, server: server, state: &state)
}

let api = "https://api.example.com/data"
