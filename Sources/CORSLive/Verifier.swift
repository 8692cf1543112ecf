import CORSCorpus
import CORSModel
import Foundation

/// `cors-harness verify`: serves cases with the mock server, opens each one in real engines
/// through the runner page, and compares what each engine did with the model's prediction for the
/// browsers it stands for (`Engine.browsers`).
public final class Verifier: @unchecked Sendable {
    public struct Options: Sendable {
        public var engines: [Engine] = Engine.allCases
        /// Directory of the drivers (`<engine>_driver.py`).
        public var drivers: String = "tools/verify"
        public var python: String = "/usr/bin/python3"
        /// Browser profiles and driver logs go below this directory.
        public var workDirectory: String = ".live/verify"
        /// Seconds a page may take to say it is done (its steps' `after:` waits are added).
        public var pageTimeout: Double = 45
        /// Seconds to wait after the page is done, for late console lines.
        public var settle: Double = 0.3
        /// A case that disagrees is run again this many times; agreement on a retry counts, and the
        /// case is listed as flaky with its first observation.
        public var retries: Int = 1
        public var startTimeout: Double = 90
        public init() {}
    }

    /// How one case fared in one engine.
    public enum Status: String, Codable, Sendable {
        case agree, differ, gap
        /// The engine could not be asked (driver failure, time-out, no report from the page).
        case notObserved = "not-observed"
        /// The model cannot evaluate the case (incomplete script).
        case error
    }

    public struct Attempt: Codable, Sendable {
        public var run: String
        public var observation: EngineObservation
        /// Differences per browser of the engine (`chrome` → [...]), empty when it agreed.
        public var differences: [String: [String]]
    }

    public struct CaseOutcome: Codable, Sendable {
        public var id: String
        public var engine: Engine
        public var status: Status
        public var gap: VerifyGap?
        /// Per browser of the engine and per step: the differences of the final attempt.
        public var differences: [String: [[String]]]
        public var attempts: [Attempt]
        public var flaky: Bool { status == .agree && attempts.count > 1 }
    }

    public struct EngineRun: Codable, Sendable {
        public var engine: Engine
        public var browsers: [String]
        public var version: String?
        public var userAgent: String?
        /// Set when the engine could not be used at all.
        public var problem: String?
        public var seconds: Double
        public var outcomes: [CaseOutcome]

        public func count(_ s: Status) -> Int { outcomes.filter { $0.status == s }.count }
        public func status(of id: String) -> Status? { outcomes.first { $0.id == id }?.status }
        /// Cases run per second of wall time (cases that were observed and compared).
        public var casesPerSecond: Double {
            let run = outcomes.filter { $0.status == .agree || $0.status == .differ }.count
            return seconds > 0 ? Double(run) / seconds : 0
        }
    }

    public let cases: [Case]
    public let options: Options
    public var progress: (@Sendable (String) -> Void)?
    let server: MockServer
    /// The model's results per case and browser (one per step), computed once.
    public let predictions: [String: [Browser: [FetchResult]]]

    public init(cases: [Case], options: Options, server: MockServer) {
        self.cases = cases
        self.options = options
        self.server = server
        var p: [String: [Browser: [FetchResult]]] = [:]
        for c in cases {
            for b in options.engines.flatMap(\.browsers) where c.applies(to: b) {
                let results = Runner(browsers: [b]).run(c, browser: b).compactMap(\.result)
                if results.count == c.steps.count && results.allSatisfy({ $0.caseError == nil }) { p[c.id, default: [:]][b] = results }
            }
        }
        self.predictions = p
    }

    /// Runs every selected engine over the cases, the engines side by side.
    public func run() -> [EngineRun] {
        final class Slots: @unchecked Sendable {
            let lock = NSLock()
            var runs: [EngineRun?]
            init(_ n: Int) { runs = Array(repeating: nil, count: n) }
            func set(_ i: Int, _ r: EngineRun) { lock.lock(); runs[i] = r; lock.unlock() }
        }
        let slots = Slots(options.engines.count)
        let group = DispatchGroup()
        for (i, engine) in options.engines.enumerated() {
            group.enter()
            let t = Thread { [self] in
                slots.set(i, runEngine(engine))
                group.leave()
            }
            t.stackSize = 4 << 20
            t.start()
        }
        group.wait()
        return slots.runs.compactMap { $0 }
    }

    func say(_ s: String) { progress?(s) }

    /// How many of `cases` every engine of `runs` agreed on.
    public static func agreedEverywhere(_ cases: [Case], runs: [EngineRun]) -> Int {
        cases.filter { c in runs.allSatisfy { $0.status(of: c.id) == .agree } }.count
    }

    func startDriver(_ engine: Engine) throws -> (EngineDriver, EngineDriver.Ready) {
        let fm = FileManager.default
        let work = (options.workDirectory as NSString).appendingPathComponent(engine.rawValue)
        try? fm.createDirectory(atPath: work, withIntermediateDirectories: true)
        let profile = (work as NSString).appendingPathComponent("profile")
        killLeftovers(profile: profile)
        let driver = try EngineDriver(engine: engine, python: options.python,
                                      script: (options.drivers as NSString).appendingPathComponent("\(engine.rawValue)_driver.py"),
                                      profile: profile, log: (work as NSString).appendingPathComponent("driver.log"))
        do {
            return (driver, try driver.waitReady(timeout: options.startTimeout))
        } catch {
            driver.stop()
            killLeftovers(profile: profile)
            throw error
        }
    }

    /// A driver that was killed may leave its browser behind; its processes name the profile.
    func killLeftovers(profile: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        p.arguments = ["-9", "-f", "--", profile]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try? p.run()
        p.waitUntilExit()
    }

    func runEngine(_ engine: Engine) -> EngineRun {
        let t0 = Date()
        var run = EngineRun(engine: engine, browsers: engine.browsers.map(\.rawValue), version: nil, userAgent: nil, problem: nil,
                            seconds: 0, outcomes: [])
        var driver: EngineDriver?
        var failuresInARow = 0
        func ensureDriver() -> EngineDriver? {
            if let driver { return driver }
            do {
                let (d, ready) = try startDriver(engine)
                run.version = ready.version; run.userAgent = ready.userAgent
                say("\(engine.rawValue): \(ready.version)")
                driver = d
                return d
            } catch {
                // An engine that cannot start is not tried again for every case.
                run.problem = "\(error)"
                failuresInARow = 3
                return nil
            }
        }
        var serial = 0
        for (n, c) in cases.enumerated() {
            if n > 0 && n % 50 == 0 { say("\(engine.rawValue): \(n)/\(cases.count) cases, \(String(format: "%.0f", Date().timeIntervalSince(t0))) s") }
            if let gap = Verification.gap(for: c, engine: engine) {
                run.outcomes.append(CaseOutcome(id: c.id, engine: engine, status: .gap, gap: gap, differences: [:], attempts: []))
                continue
            }
            let browsers = engine.browsers.filter { c.applies(to: $0) }
            guard !browsers.isEmpty else {
                run.outcomes.append(CaseOutcome(id: c.id, engine: engine, status: .gap,
                                                gap: VerifyGap(rule: "browsers", reason: "the case applies to none of \(engine.browsers.map(\.rawValue).joined(separator: ", "))"),
                                                differences: [:], attempts: []))
                continue
            }
            guard browsers.allSatisfy({ predictions[c.id]?[$0] != nil }) else {
                run.outcomes.append(CaseOutcome(id: c.id, engine: engine, status: .error, gap: nil,
                                                differences: [:], attempts: []))
                continue
            }
            var outcome = CaseOutcome(id: c.id, engine: engine, status: .notObserved, gap: nil, differences: [:], attempts: [])
            for _ in 0...max(0, options.retries) {
                guard run.problem == nil || failuresInARow < 3, let d = ensureDriver() else { break }
                serial += 1
                let token = "v\(engine.rawValue.prefix(1))\(serial)x\(UInt32.random(in: 0...UInt32.max) % 46656)"
                let observation: EngineObservation
                do {
                    observation = try observe(c, run: token, driver: d)
                    failuresInARow = 0
                } catch {
                    // The driver died or hung: record it, start a fresh one for the next attempt.
                    d.stop()
                    driver = nil
                    failuresInARow += 1
                    let o = EngineObservation(steps: [], requests: [], console: [], problem: "\(error)")
                    outcome.attempts.append(Attempt(run: token, observation: o, differences: [:]))
                    if failuresInARow >= 3 { run.problem = "the \(engine.rawValue) driver failed 3 times in a row (last: \(error))" }
                    continue
                }
                var diffs: [String: [String]] = [:]
                var perStep: [String: [[String]]] = [:]
                let scriptedLength = MappedNetwork.keysScriptingLength(c)
                for b in browsers {
                    let steps = Verification.compare(c, model: predictions[c.id]![b]!, observed: observation, engine: engine) { i in
                        !scriptedLength.contains(ScriptedServer.key(method: Method.normalize(c.steps[i].request.method), url: c.steps[i].request.url))
                    }
                    perStep[b.rawValue] = steps
                    let flat = steps.flatMap { $0 }
                    if !flat.isEmpty { diffs[b.rawValue] = flat }
                }
                outcome.attempts.append(Attempt(run: token, observation: observation, differences: diffs))
                outcome.differences = perStep
                if observation.problem != nil {
                    outcome.status = .notObserved
                } else {
                    outcome.status = diffs.isEmpty ? .agree : .differ
                }
                if outcome.status == .agree { break }
            }
            if outcome.status == .differ {
                say("\(engine.rawValue): \(c.id) DIFFERS: " + (outcome.differences.values.first?.flatMap { $0 }.first ?? ""))
            } else if outcome.status == .notObserved && run.problem == nil {
                say("\(engine.rawValue): \(c.id) not observed: \(outcome.attempts.last?.observation.problem ?? run.problem ?? "?")")
            }
            run.outcomes.append(outcome)
        }
        driver?.stop()
        run.seconds = Date().timeIntervalSince(t0)
        return run
    }

    /// A received header line in the case's terms: local origins mapped back; a `Referer` naming the
    /// runner page or a step's frame (`/__runner?…`, `/__frame?…`) becomes the page's document URL
    /// as cases imply it (`origin/`), and one naming a case URL loses the run prefix.
    public static func caseTerms(header line: String, map: OriginMap, prefix: String) -> String {
        guard line.lowercased().hasPrefix("referer:") else { return map.rewriteIncoming(line) }
        var value = map.restoreText(String(line.dropFirst("referer:".count)).trimmingSet(" \t"), prefix: prefix)
        if let scheme = value.range(of: "://"), let slash = value[scheme.upperBound...].firstIndex(of: "/"),
           value[slash...].hasPrefix("/__runner") || value[slash...].hasPrefix("/__frame") {
            value = String(value[..<slash]) + "/"
        }
        return "Referer: " + value
    }

    /// Opens the case in a fresh page of the engine and gathers what the script saw, what the
    /// server received and what the engine printed, all in the case's terms.
    func observe(_ c: Case, run token: String, driver: EngineDriver) throws -> EngineObservation {
        let map = server.map
        let prefix = OriginMap.prefix(case: c.id, run: token)
        let page = c.steps[0].page.serialized
        guard let entry = map.entry(forOrigin: page) else {
            return EngineObservation(steps: [], requests: [], console: [], problem: "the page origin \(page) is not served")
        }
        let url = entry.local + "/__runner?case=\(c.id)&run=\(token)&prompts=1"
        let wait = c.steps.reduce(0) { $0 + $1.after }
        // A 401 with WWW-Authenticate may put up a login prompt; the driver cancels it as a user would.
        let page_ = try driver.run(id: token, url: url, timeout: options.pageTimeout + wait, settle: options.settle, handleAuth: c.asksForLogin)
        let requests = server.requests(case: c.id, run: token).map { r in
            EngineObservation.Received(method: r.method, url: r.url, headers: r.headers.map { Verifier.caseTerms(header: $0, map: map, prefix: prefix) })
        }
        let console = page_.console.map {
            EngineObservation.ConsoleLine(level: $0.level, source: $0.source, text: map.restoreText($0.text, prefix: prefix))
        }
        var steps: [EngineObservation.ScriptStep] = []
        var problem = page_.error
        if let report = server.report(case: c.id, run: token) {
            for s in report["steps"] as? [[String: Any]] ?? [] {
                let o = s["observed"] as? [String: Any] ?? [:]
                let headers = (o["headers"] as? [[Any]])?.map { $0.map { "\($0)" } }
                let error = (o["error"] as? String) ?? (o["threw"] as? String) ?? (o["why"] as? String)
                steps.append(.init(outcome: o["outcome"] as? String ?? "?", status: o["status"] as? Int, headers: headers,
                                   error: error.map { map.restoreText($0, prefix: prefix) }))
            }
        } else if problem == nil {
            problem = page_.done ? "the page finished without posting a report" : "the page did not finish within \(Int(options.pageTimeout + wait)) s"
        }
        return EngineObservation(steps: steps, requests: requests, console: console, problem: problem, dialogs: page_.dialogs,
                                 seconds: page_.seconds)
    }
}
