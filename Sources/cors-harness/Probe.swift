import ArgumentParser
import CORSCorpus
import CORSLive
import CORSModel
import CORSReports
import Foundation

extension ExitStatus {
    /// `probe`: a check could not reach the server, or got no HTTP answer.
    static let serverUnreachable: Int32 = 3
}

struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Judge a running server: send what each browser would send, feed the real responses to the model, check the policy.",
        discussion: """
        With a probe file (docs/PROBE-FORMAT.md, example: examples/probe.yaml):
          cors-harness probe examples/probe.yaml --report Reports/probe
        One-off:
          cors-harness probe https://api.example.com/items --origin https://myapp.com --method PUT \\
            --header 'Authorization: Bearer x' --credentials include
        Exit status: 0 every check holds, 1 a policy check failed, 2 unusable input, 3 a check could not reach the
        server (refused, reset, timeout, or no HTTP answer).
        """)

    @Argument(help: "A probe file, or a URL for a one-off probe.")
    var target: String

    @Option(name: .customLong("origin"), help: "One-off: an origin that must be allowed (repeatable).")
    var origins: [String] = []
    @Option(name: .customLong("refused"), help: "One-off: an origin that must be refused (repeatable).")
    var refusedOrigins: [String] = []
    @Option(help: "One-off: request method.") var method: String = "GET"
    @Option(name: .customLong("header"), help: "One-off: a request header line the script sets (repeatable).") var headers: [String] = []
    @Option(help: "One-off: fetch credentials mode: omit, same-origin, include.") var credentials: CredentialsMode = .sameOrigin
    @Flag(help: "One-off: XHR withCredentials = true.") var withCredentials = false
    @Option(help: "One-off: fetch or xhr.") var api: API = .fetch
    @Option(help: "One-off: request body.") var body: String?
    @Option(help: "One-off: Cookie value sent when credentials are included.") var cookie: String?

    @Option(help: "Comma-separated browsers (default: the probe file's, else all four).")
    var browsers: BrowserList?
    @Option(help: "Seconds to connect (default 2).") var connectTimeout: Double?
    @Option(help: "Seconds without a byte from the server (default 5).") var readTimeout: Double?
    @Option(help: "Seconds for a whole request (default connect + read).") var requestTimeout: Double?
    @Option(help: "Checks run at once (default 4).") var concurrency: Int?
    @Flag(help: "https: do not verify the server certificate.") var insecure = false
    @Option(help: "https: also trust the certificates in this PEM file.") var ca: String?
    @Flag(help: "Reviewer flags fail the check too.") var strict = false
    @Flag(help: "Skip the extra requests from an arbitrary origin and from null (no reflection flags).") var noReflection = false
    @Flag(help: "Print only the matrix, not each check's outcome and console lines.") var quiet = false

    @Option(help: "Output format: table or json (probe.json on stdout).") var format: Run.OutputFormat = .table
    @Option(name: .customLong("report"), defaultAsFlag: "Reports", parsing: .next,
            help: ArgumentHelp("Write index.html, junit.xml, results.json, summary.md and probe.json into this directory (alone: Reports/).", valueName: "dir"))
    var reportDirectory: String?
    @Option(help: ArgumentHelp("Write the JUnit XML report to this file.", valueName: "file")) var junit: String?
    @Option(help: ArgumentHelp("Write the HTML report to this file.", valueName: "file")) var html: String?
    @Option(help: ArgumentHelp("Write the JSON report (as run writes it) to this file.", valueName: "file")) var json: String?
    @Option(help: ArgumentHelp("Write the Markdown summary to this file.", valueName: "file")) var markdown: String?

    func plan() throws -> ProbePlan {
        var plan: ProbePlan
        if target.hasPrefix("http://") || target.hasPrefix("https://") {
            guard let url = WebURL.parse(target), url.host != nil else { throw invalid("'\(target)' is not an absolute URL") }
            if origins.isEmpty && refusedOrigins.isEmpty { throw invalid("a one-off probe needs --origin (must be allowed) and/or --refused") }
            func origin(_ s: String) throws -> Origin {
                guard let o = Origin.parse(s) else { throw invalid("'\(s)' is not an origin (scheme://host[:port] or null)") }
                return o
            }
            var e = ProbeEndpoint(name: "\(method) \(url.path)\(url.query.map { "?" + $0 } ?? "")", url: url,
                                  location: SourceLocation(file: "(command line)", line: 0, column: 0))
            e.method = method
            e.headers = try headers.map { l in
                guard let h = Header(line: l) else { throw invalid("--header '\(l)' is not a \"Name: value\" header line") }
                return h
            }
            e.api = api; e.credentials = credentials; e.withCredentials = withCredentials || (api == .xhr && credentials == .include)
            e.body = body; e.cookie = cookie
            e.allowed = try origins.map(origin); e.refused = try refusedOrigins.map(origin)
            plan = ProbePlan(file: "(command line)", base: url)
            plan.endpoints = [e]
        } else {
            let (p, errors) = ProbeFile.load(path: target)
            guard let p else {
                for e in errors { printError(e.description) }
                printError("\(errors.count) error\(errors.count == 1 ? "" : "s") in the probe file; nothing was probed.")
                throw ExitCode(ExitStatus.invalidInput)
            }
            plan = p
        }
        if let b = browsers { plan.browsers = b.browsers }
        if let v = connectTimeout { plan.options.connectTimeout = v }
        if let v = readTimeout { plan.options.readTimeout = v }
        if let v = requestTimeout { plan.options.requestTimeout = v }
        if let v = concurrency {
            guard (1...64).contains(v) else { throw invalid("--concurrency must be 1…64") }
            plan.concurrency = v
        }
        if insecure { plan.options.insecure = true }
        if let ca { plan.options.caFile = ca }
        if strict { plan.strict = true }
        if noReflection { plan.reflectionChecks = false }
        for t in [plan.options.connectTimeout, plan.options.readTimeout, plan.options.effectiveRequestTimeout] where !(t > 0 && t <= 600) {
            throw invalid("timeouts must be between 0 and 600 seconds")
        }
        return plan
    }

    func invalid(_ message: String) -> ExitCode {
        printError("error: \(message)")
        return ExitCode(ExitStatus.invalidInput)
    }

    func run() throws {
        let plan = try plan()
        let client: LiveClient
        do { client = try LiveClient(options: plan.options) } catch {
            throw invalid("\(error)")
        }
        defer { client.shutdown() }
        let report = Prober(plan: plan).run(client: client)
        let results = report.results

        let single: [(ReportFormat, String)] = [(ReportFormat.junit, junit), (.html, html), (.json, json), (.markdown, markdown)]
            .compactMap { f, path in path.map { (f, $0) } }
        let files = ReportWriter.plan(directory: reportDirectory, single: single)
        switch format {
        case .table:
            if !quiet { print(report.detailText(), terminator: "") }
            print(TableReport.render(results, browsers: plan.browsers, color: useColor()), terminator: "")
            let flagged = Set(report.checks.flatMap { $0.flags.map(\.id) })
            if !flagged.isEmpty { print("reviewer flags: \(flagged.sorted().joined(separator: ", "))\(plan.strict ? " (strict: they fail)" : " (informational; --strict makes them fail)")") }
            let requests = report.checks.reduce(0) { $0 + $1.exchanges.count }
            print(String(format: "probed %d checks (%d requests) in %.2f s: %.0f checks/s", report.checks.count, requests, report.seconds,
                         Double(report.checks.count) / max(report.seconds, 0.001)))
            if report.unreachable { print("some checks could not reach the server: exit status 3") }
        case .json:
            FileHandle.standardOutput.write(try report.json())
        }
        if !files.isEmpty {
            let document = RunReport(results: results, browsers: plan.browsers, generated: isoNow(),
                                     command: CommandLine.arguments.joined(separator: " "), cases: report.cases, times: report.times)
            do {
                var written = try ReportWriter.write(document, files: files)
                if let dir = reportDirectory {
                    let path = (dir.hasSuffix("/") ? String(dir.dropLast()) : dir) + "/probe.json"
                    let data = try report.json()
                    try AtomicFileWriter.writeAll([(path, data)])
                    written.append((path, data.count))
                }
                printError("reports: " + written.map { "\($0.path) (\(byteCount($0.bytes)))" }.joined(separator: ", "))
            } catch {
                printError("error: \(error)")
                throw ExitCode(ExitStatus.invalidInput)
            }
        }
        if report.exitStatus != 0 { throw ExitCode(report.exitStatus) }
    }
}
