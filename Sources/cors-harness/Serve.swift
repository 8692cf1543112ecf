import ArgumentParser
import CORSCorpus
import CORSLive
import CORSModel
import CORSReports
import Foundation

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the cases' scripted responses over real HTTP/1.1, byte for byte, with a runner page for real browsers.",
        discussion: """
        Every origin the cases name gets its own loopback listener (printed at start-up); a case is
        reached at /c/<case-id>/<run>/<path> on the listener of its URL's origin (or at its own paths when
        one case is served, or with --root-case). Open /__index, then a runner: it runs its cases with real
        fetch/XHR and posts what the script saw to /__reports; /__requests lists every request received.
        Stop with Ctrl-C (SIGINT) or SIGTERM. Limits and the origin mapping: docs/LIVE.md.
        """)

    @Argument(help: "Case files or directories (default: Cases/).")
    var paths: [String] = []

    @Option(help: "Only cases whose id matches this glob.")
    var filter: String?

    @Option(help: "Address to bind. Anything but loopback exposes the server to the network.")
    var host: String = "127.0.0.1"

    @Option(help: "First port for the origins (0: any free ports).")
    var basePort: Int = 18100

    @Option(name: .customLong("map"), help: ArgumentHelp("Pin an origin to a port: ORIGIN=PORT (repeatable).", valueName: "origin=port"))
    var pins: [String] = []

    @Option(help: "Requests without the /c/<id>/<run> prefix go to this case (default: the only case, when one is served).")
    var rootCase: String?

    @Option(help: "Largest request head (request line and headers) in bytes; larger: 431.")
    var maxHeaderBytes: Int = 16 * 1024

    @Option(help: "Largest request body in bytes; larger: 413.")
    var maxBodyBytes: Int = 1 << 20

    @Option(help: "Event-loop threads.")
    var threads: Int = 1

    @Flag(help: "Evaluate every served case over HTTP (the model as a client of this server), print the matrix and exit (0/1/2 as run).")
    var selfCheck = false

    @Option(help: "Comma-separated browsers for --self-check.")
    var browsers: BrowserList = BrowserList(argument: "chrome,edge,firefox,safari")!

    func validate() throws {
        for p in pins where parsePin(p) == nil { throw ValidationError("--map '\(p)' must be ORIGIN=PORT, e.g. https://api.example.com=18200") }
        if maxHeaderBytes < 256 || maxBodyBytes < 0 { throw ValidationError("--max-header-bytes must be at least 256 and --max-body-bytes not negative") }
        if !(0...65535).contains(basePort) { throw ValidationError("--base-port must be 0…65535") }
    }

    func parsePin(_ s: String) -> (String, Int)? {
        guard let eq = s.lastIndex(of: "="), let port = Int(s[s.index(after: eq)...]), (1...65535).contains(port),
              let origin = Origin.parse(String(s[..<eq])) else { return nil }
        return (origin.serialized, port)
    }

    func run() throws {
        let cases = try selectCases(paths, filter: filter)
        if let rootCase, !cases.contains(where: { $0.id == rootCase }) {
            printError("--root-case '\(rootCase)' is not among the served cases")
            throw ExitCode(ExitStatus.invalidInput)
        }
        if !["127.0.0.1", "::1", "localhost"].contains(host) {
            printError("warning: binding \(host): the mock server answers anyone who can reach this address. It serves only scripted responses and no files, but keep it off untrusted networks.")
        }
        var config = MockServer.Configuration()
        config.host = host == "localhost" ? "127.0.0.1" : host
        config.basePort = basePort
        config.pinned = Dictionary(pins.compactMap(parsePin), uniquingKeysWith: { _, b in b })
        config.rootCase = rootCase
        config.limits = RequestLimits(maxHeadBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
        config.threads = threads
        let server = MockServer(cases: cases, configuration: config)
        do { try server.start() } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.invalidInput)
        }
        let map = server.map
        if selfCheck { return try runSelfCheck(server, cases: cases) }

        print("cors-harness serve: \(cases.count) case\(cases.count == 1 ? "" : "s"), \(map.entries.count) origin\(map.entries.count == 1 ? "" : "s") on \(config.host)")
        let width = map.entries.map(\.origin.count).max() ?? 10
        for e in map.entries {
            var line = "  \(e.origin.padding(toLength: width, withPad: " ", startingAt: 0))  →  \(e.local)"
            if e.pages > 0 { line += "   runner: \(e.local)/__runner (\(e.pages) case\(e.pages == 1 ? "" : "s"))" }
            print(line)
        }
        let first = map.entries[0].local
        print("index: \(first)/__index   requests: \(first)/__requests   reports: \(first)/__reports")
        if let root = rootCase ?? (cases.count == 1 ? cases[0].id : nil) { print("root case: \(root) (its paths are served without the /c/<id>/<run> prefix)") }
        print("case URLs: http://<listener>/c/<case-id>/<run>/<path>; https origins are served as http (docs/LIVE.md)")
        flushOutput()
        server.onReport = { line in print(line); flushOutput() }

        // Clean shutdown on SIGINT/SIGTERM: close the listeners, then exit 0.
        let done = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { done.signal() }
            s.resume()
            sources.append(s)
        }
        done.wait()
        print("shutting down")
        server.stop()
        withExtendedLifetime(sources) {}
    }

    func runSelfCheck(_ server: MockServer, cases: [Case]) throws {
        defer { server.stop() }
        let client = try LiveClient()
        defer { client.shutdown() }
        let results = ServedCheck.run(server: server, cases: cases, browsers: browsers.browsers, client: client, token: "self\(Int(Date().timeIntervalSince1970))")
        print(TableReport.render(results, browsers: browsers.browsers, color: useColor()), terminator: "")
        print("(each case evaluated by the model over HTTP against this server's listeners)")
        if results.contains(where: { $0.verdict == .error }) { throw ExitCode(ExitStatus.invalidInput) }
        if results.contains(where: { $0.verdict == .fail }) { throw ExitCode(ExitStatus.expectationFailed) }
    }
}

/// Flushes stdout (a served page's reports are printed as they arrive, also into a pipe).
func flushOutput() { fflush(nil) }
