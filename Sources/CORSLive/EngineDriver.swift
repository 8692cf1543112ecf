import CORSCorpus
import Foundation

/// One engine driver process (tools/verify/<engine>_driver.py), spoken to in JSON lines over its
/// stdin/stdout as tools/verify/PROTOCOL.md describes. Every wait has a deadline; a driver that
/// misses one is killed.
public final class EngineDriver: @unchecked Sendable {
    public struct Ready: Sendable {
        public var version: String
        public var userAgent: String
    }

    /// What the driver returned for one `run`.
    public struct PageRun: Sendable {
        public var done: Bool
        public var seconds: Double
        public var console: [EngineObservation.ConsoleLine]
        public var dialogs: [String]
        public var error: String?
    }

    public enum Failure: Error, CustomStringConvertible {
        case cannotStart(String)
        case fatal(String)
        case timedOut(String)
        case died(String)
        public var description: String {
            switch self {
            case .cannotStart(let s): return "cannot start the driver: \(s)"
            case .fatal(let s): return s
            case .timedOut(let s): return "the driver did not answer in time (\(s))"
            case .died(let s): return "the driver stopped: \(s)"
            }
        }
    }

    public let engine: Engine
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    let condition = NSCondition()
    var lines: [String] = []
    var buffer: [UInt8] = []
    var closed = false

    /// Starts `python driver --profile DIR` with stderr appended to `log`.
    public init(engine: Engine, python: String, script: String, profile: String, log: String) throws {
        self.engine = engine
        guard FileManager.default.isExecutableFile(atPath: python) else { throw Failure.cannotStart("\(python) not found (apt-get install -y python3)") }
        guard FileManager.default.fileExists(atPath: script) else { throw Failure.cannotStart("\(script) not found (run verify from the repository, or pass --drivers DIR)") }
        // A driver that died leaves a closed pipe: writing to it must be an error, not SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", script, "--profile", profile]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = logHandle
        do { try process.run() } catch { throw Failure.cannotStart("\(error)") }
        let handle = output.fileHandleForReading
        let thread = Thread { [self] in
            while true {
                let data = handle.availableData
                condition.lock()
                if data.isEmpty { closed = true; condition.broadcast(); condition.unlock(); return }
                buffer += data
                while let nl = buffer.firstIndex(of: 0x0A) {
                    lines.append(String(decoding: buffer[..<nl], as: UTF8.self))
                    buffer.removeSubrange(...nl)
                }
                condition.broadcast()
                condition.unlock()
            }
        }
        thread.start()
    }

    /// The next protocol object, or a failure when none comes before `deadline`.
    func next(deadline: Date, waitingFor what: String) throws -> [String: Any] {
        condition.lock()
        defer { condition.unlock() }
        while true {
            while !lines.isEmpty {
                let line = lines.removeFirst()
                if let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] { return obj }
                // Not a protocol line (should not happen: drivers keep stdout for the protocol); skip it.
            }
            if closed { throw Failure.died("exit while waiting for \(what)") }
            if !condition.wait(until: deadline) && lines.isEmpty { throw Failure.timedOut(what) }
        }
    }

    func send(_ object: [String: Any]) throws {
        guard process.isRunning else { throw Failure.died("not running") }
        var data = try JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])
        data.append(0x0A)
        do { try input.fileHandleForWriting.write(contentsOf: data) } catch { throw Failure.died("cannot write: \(error)") }
    }

    /// Waits for the `ready` line (the browser is up).
    public func waitReady(timeout: Double) throws -> Ready {
        let obj = try next(deadline: Date().addingTimeInterval(timeout), waitingFor: "start-up")
        switch obj["event"] as? String {
        case "ready":
            return Ready(version: obj["version"] as? String ?? "?", userAgent: obj["userAgent"] as? String ?? "")
        case "fatal":
            throw Failure.fatal(obj["message"] as? String ?? "the driver could not start its browser")
        default:
            throw Failure.fatal("unexpected first line from the driver: \(obj)")
        }
    }

    /// Opens `url` in a fresh page and returns the console lines once the page says it is done.
    /// - Parameter grace: seconds on top of `timeout + settle` before the driver counts as hung
    ///   (PROTOCOL.md promises an answer within `timeout + settle + 15`).
    public func run(id: String, url: String, timeout: Double, settle: Double, handleAuth: Bool = false, grace: Double = 20) throws -> PageRun {
        try send(["cmd": "run", "id": id, "url": url, "timeout": timeout, "settle": settle, "handleAuth": handleAuth])
        let deadline = Date().addingTimeInterval(timeout + settle + grace)
        while true {
            let obj = try next(deadline: deadline, waitingFor: "case \(id)")
            guard obj["event"] as? String == "result", obj["id"] as? String == id else { continue }
            let console = (obj["console"] as? [[String: Any]] ?? []).map {
                EngineObservation.ConsoleLine(level: $0["level"] as? String, source: $0["source"] as? String, text: $0["text"] as? String ?? "")
            }
            return PageRun(done: obj["done"] as? Bool ?? false, seconds: obj["seconds"] as? Double ?? 0, console: console,
                           dialogs: obj["dialogs"] as? [String] ?? [], error: obj["error"] as? String)
        }
    }

    /// Asks the driver to quit; kills it when it does not within a few seconds.
    public func stop() {
        try? send(["cmd": "quit"])
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            Thread.sleep(forTimeInterval: 0.5)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}
