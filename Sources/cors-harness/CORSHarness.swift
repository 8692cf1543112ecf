import ArgumentParser
import CORSCorpus
import CORSModel
import CORSReports
import Foundation

@main
struct CORSHarness: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cors-harness",
        abstract: "Predicts what Chrome, Edge, Firefox and Safari do with a cross-origin request, and what each prints.",
        subcommands: [Run.self, Explain.self, Bench.self, Reasons.self, Serve.self, Probe.self, Verify.self],
        defaultSubcommand: Run.self)

    /// As ArgumentParser's, except that a usage error (unknown option, bad value: its EX_USAGE, 64)
    /// exits 2, the status every command documents for unusable input.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error).rawValue == 64 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.invalidInput)
            }
            exit(withError: error)
        }
    }
}

/// Exit codes, the same for every subcommand.
enum ExitStatus {
    static let allPassed: Int32 = 0
    static let expectationFailed: Int32 = 1
    static let invalidInput: Int32 = 2
}

struct BrowserList: ExpressibleByArgument {
    let browsers: [Browser]
    init?(argument: String) {
        var list: [Browser] = []
        for part in argument.split(separator: ",") {
            guard let b = Browser(rawValue: part.trimmingCharacters(in: .whitespaces).lowercased()) else { return nil }
            if !list.contains(b) { list.append(b) }
        }
        if list.isEmpty { return nil }
        browsers = list
    }
    var defaultValueDescription: String { browsers.map(\.rawValue).joined(separator: ",") }
}

func printError(_ s: String) {
    FileHandle.standardError.write((s.hasSuffix("\n") ? s : s + "\n").data(using: .utf8)!)
}

func useColor() -> Bool {
    ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) != 0
}

/// Loads the corpus or exits 2 with every error, located.
func loadCorpus(_ paths: [String]) throws -> Corpus {
    let (corpus, errors) = CaseLoader().load(paths: paths)
    if !errors.isEmpty {
        for e in errors { printError(e.description) }
        printError("\(errors.count) error\(errors.count == 1 ? "" : "s") in the case files; nothing was run.")
        throw ExitCode(ExitStatus.invalidInput)
    }
    return corpus
}

/// The cases under `paths` (default Cases/) whose id matches `filter`; exits 2 when none does.
func selectCases(_ paths: [String], filter: String?) throws -> [Case] {
    var cases = try loadCorpus(paths.isEmpty ? ["Cases"] : paths).cases
    if let filter { cases = cases.filter { fnmatch(filter, $0.id, 0) == 0 } }
    if cases.isEmpty {
        printError("no cases matched\(filter.map { " the filter '\($0)'" } ?? "")")
        throw ExitCode(ExitStatus.invalidInput)
    }
    return cases
}

func isoNow() -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.string(from: Date())
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate the case corpus in every browser and compare with each case's expectations.",
        discussion: "Exit status: 0 when every expectation holds, 1 when any fails, 2 when a case file is invalid or a case is incomplete.")

    @Argument(help: "Case files or directories (default: Cases/).")
    var paths: [String] = []

    @Option(help: "Comma-separated browsers.")
    var browsers: BrowserList = BrowserList(argument: "chrome,edge,firefox,safari")!

    @Option(help: "Only cases whose id matches this glob (e.g. 'wildcard-*').")
    var filter: String?

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @Flag(help: "Include the algorithm's steps (with spec anchors) in JSON output.")
    var trace = false

    @Option(name: .customLong("report"), defaultAsFlag: "Reports", parsing: .next,
            help: ArgumentHelp("Write index.html, junit.xml, results.json and summary.md into this directory.",
                               valueName: "dir"))
    var reportDirectory: String?

    @Option(help: ArgumentHelp("Write the JUnit XML report to this file.", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write the HTML report to this file.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Write the JSON report (the --format json document) to this file.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Write the Markdown summary to this file.", valueName: "file"))
    var markdown: String?

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

    func run() throws {
        let cases = try selectCases(paths, filter: filter)
        let reportFiles = ReportWriter.plan(directory: reportDirectory, single: singleReportFiles)
        try checkReportDirectory()
        let runner = Runner(browsers: browsers.browsers, tracing: trace || format == .json || !reportFiles.isEmpty)
        let (results, times) = reportFiles.isEmpty ? (runner.run(cases), nil) : timedRun(runner, cases)
        // Variants a case names (chrome-incognito …) run too, and get their own columns.
        let shown = browsers.browsers + Browser.allCases.filter { b in !browsers.browsers.contains(b) && results.contains { $0.browser == b } }
        // One document for stdout and the report files: `--format json` prints what results.json holds.
        var document: RunReport?
        if format == .json || !reportFiles.isEmpty {
            document = RunReport(results: results, browsers: shown, generated: isoNow(),
                                 command: CommandLine.arguments.joined(separator: " "), cases: cases, times: times)
        }
        switch format {
        case .table:
            print(TableReport.render(results, browsers: shown, color: useColor()), terminator: "")
        case .json:
            FileHandle.standardOutput.write(try JSONReport.render(document!))
        }
        if let document, !reportFiles.isEmpty { try writeReports(document, files: reportFiles) }
        if results.contains(where: { $0.verdict == .error }) { throw ExitCode(ExitStatus.invalidInput) }
        if results.contains(where: { $0.verdict == .fail }) { throw ExitCode(ExitStatus.expectationFailed) }
    }
}

struct Reasons: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the reason codes with their Fetch Standard anchors.")
    func run() {
        for r in Reason.allCases { print("\(r.rawValue.padding(toLength: 34, withPad: " ", startingAt: 0)) \(r.specAnchor)") }
    }
}
