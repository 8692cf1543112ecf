import ArgumentParser
import CORSCorpus
import CORSModel
import Foundation

/// `make bench`: a generated corpus, parsed once, then evaluated in every browser.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark the model on a generated corpus (use a release build: make bench).")

    @Option(help: "Number of generated cases.") var cases: Int = 10_000
    @Option(help: "Times the whole corpus is evaluated.") var rounds: Int = 5
    @Option(help: "Also time rendering and writing every report for the generated corpus into this directory.")
    var reports: String?

    func run() throws {
        let yaml = BenchCorpus.yaml(cases: cases)
        var t0 = Date()
        let (file, errors) = CaseLoader().parse(text: yaml, file: "(generated)")
        let parseSeconds = Date().timeIntervalSince(t0)
        guard errors.isEmpty, let file else {
            for e in errors.prefix(5) { printError(e.description) }
            throw ExitCode(ExitStatus.invalidInput)
        }
        let corpus = file.cases
        let browsers = Browser.defaultSet
        print("generated: \(corpus.count) cases (\(yaml.utf8.count / 1024) KiB of YAML), parsed in \(String(format: "%.2f", parseSeconds)) s")

        // Model alone: Fetch.run over every case × browser, no judging.
        var evaluations = 0
        var blocked = 0
        t0 = Date()
        for _ in 0..<rounds {
            for c in corpus {
                for b in browsers {
                    let fetch = Fetch(profile: b.profile)
                    var state = BrowserState()
                    var server = c.server
                    for s in c.steps {
                        let r = fetch.run(s.request, page: s.page, state: &state, network: &server)
                        if r.outcome == .blocked { blocked += 1 }
                        evaluations += 1
                    }
                }
            }
        }
        let modelSeconds = Date().timeIntervalSince(t0)
        let perSecond = Double(evaluations) / modelSeconds
        print("model: \(Int(perSecond)) evaluations/s (\(evaluations) case-browser evaluations in \(String(format: "%.2f", modelSeconds)) s, one core, \(blocked) blocked)")

        // The `run` path: Runner with expectations judged.
        t0 = Date()
        let results = Runner(browsers: browsers).run(corpus)
        let runSeconds = Date().timeIntervalSince(t0)
        print("run: \(Int(Double(results.count) / runSeconds)) judged evaluations/s (\(results.count) in \(String(format: "%.2f", runSeconds)) s)")

        if let reports { try benchReports(corpus: corpus, browsers: browsers, directory: reports) }

        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("peak memory: \(usage.ru_maxrss / 1024) MiB (max RSS)")
    }
}

/// A deterministic generated corpus that exercises every branch: credentials, wildcard, mismatch,
/// preflights that pass and fail, redirects, exposed headers, XHR.
enum BenchCorpus {
    static func yaml(cases n: Int) -> String {
        var out = "suite: Generated benchmark corpus\ncases:\n"
        let origins = ["http://localhost:3000", "https://myapp.com", "https://staging.myapp.com", "http://127.0.0.1:5173"]
        let acaos = ["*", "{origin}", "https://other.example", "{origin}/", "", "{origin}, {origin}"]
        for i in 0..<n {
            let page = origins[i % origins.count]
            let api = i % 5 == 0 ? "xhr" : "fetch"
            let include = i % 3 == 0
            let api2 = "https://api\(i % 97).example.com/r/\(i)"
            let preflight = i % 4 == 1
            let redirect = i % 11 == 7
            let acao = acaos[i % acaos.count].replacingOccurrences(of: "{origin}", with: page)
            let acaoLine = acao.isEmpty ? "" : "\"Access-Control-Allow-Origin: \(acao)\", "
            let acac = i % 7 == 0 ? "True" : "true"
            out += "  - id: gen-\(i)\n    title: generated \(i)\n    page: \(page)\n    request:\n      api: \(api)\n      url: \(api2)\n"
            if preflight { out += "      method: PUT\n      headers: [\"Content-Type: application/json\", \"X-Request-Id: \(i)\"]\n      body: '{}'\n" }
            if include { out += api == "xhr" ? "      withCredentials: true\n" : "      credentials: include\n" }
            out += "    server:\n"
            if preflight {
                out += "      \"OPTIONS \(api2)\":\n        status: \(i % 13 == 0 ? 404 : 204)\n        headers: [\(acaoLine)\"Access-Control-Allow-Credentials: \(acac)\", \"Access-Control-Allow-Methods: GET, PUT\", \"Access-Control-Allow-Headers: content-type, x-request-id\", \"Access-Control-Max-Age: 600\"]\n"
            }
            let method = preflight ? "PUT" : "GET"
            if redirect {
                out += "      \"\(method) \(api2)\":\n        status: 307\n        headers: [\(acaoLine)\"Access-Control-Allow-Credentials: \(acac)\", \"Location: \(api2)/next\"]\n"
                out += "      \"\(method) \(api2)/next\":\n        status: 200\n        headers: [\(acaoLine)\"Access-Control-Allow-Credentials: \(acac)\", \"Content-Type: application/json\", \"X-Total: 1\", \"Access-Control-Expose-Headers: X-Total\"]\n"
            } else {
                out += "      \"\(method) \(api2)\":\n        status: \(i % 17 == 0 ? 500 : 200)\n        headers: [\(acaoLine)\"Access-Control-Allow-Credentials: \(acac)\", \"Content-Type: application/json\", \"X-Total: 1\", \"Access-Control-Expose-Headers: X-Total\", \"Vary: Origin\"]\n"
            }
            out += "    expect: { outcome: \(i % 2 == 0 ? "allowed" : "blocked") }\n"
        }
        return out
    }
}
