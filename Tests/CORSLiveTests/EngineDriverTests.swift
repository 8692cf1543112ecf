import CORSCorpus
import CORSLive
import Foundation
import Testing

/// The verify side of tools/verify/PROTOCOL.md: start-up, runs, and every way a driver can fail
/// (a fatal start, a hang, an exit mid-run) must end in a clear error within its deadline, never a
/// hang. The drivers here are small Python scripts that behave (or misbehave) as told; the real
/// engine drivers run in `make verify`.
@Suite("Engine driver protocol", .serialized)
struct EngineDriverTests {
    func driver(_ body: String) throws -> EngineDriver {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cors-harness-driver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = dir.appendingPathComponent("fake_driver.py")
        try ("import json, sys, time\ndef emit(o):\n    sys.stdout.write(json.dumps(o) + '\\n'); sys.stdout.flush()\n" + body)
            .write(to: script, atomically: true, encoding: .utf8)
        return try EngineDriver(engine: .chromium, python: "/usr/bin/python3", script: script.path,
                                profile: dir.appendingPathComponent("profile").path, log: dir.appendingPathComponent("driver.log").path)
    }

    @Test("ready, then one result per run with the console lines in order; quit ends the process")
    func happyPath() throws {
        let d = try driver("""
        emit({"event": "ready", "engine": "chromium", "version": "Fake 1", "userAgent": "UA"})
        for line in sys.stdin:
            cmd = json.loads(line)
            if cmd["cmd"] == "quit": break
            print("noise on stdout that is not JSON", flush=True)
            emit({"event": "result", "id": cmd["id"], "done": True, "seconds": 0.5,
                  "console": [{"level": "error", "source": "network", "text": "line " + cmd["url"]}, {"text": "second"}],
                  "dialogs": ["a prompt"], "error": None})
        """)
        let ready = try d.waitReady(timeout: 10)
        #expect(ready.version == "Fake 1" && ready.userAgent == "UA")
        let run = try d.run(id: "r1", url: "http://127.0.0.1:1/x", timeout: 5, settle: 0)
        #expect(run.done && run.seconds == 0.5 && run.dialogs == ["a prompt"] && run.error == nil)
        #expect(run.console.map(\.text) == ["line http://127.0.0.1:1/x", "second"])
        #expect(run.console.first?.source == "network")
        d.stop()
    }

    @Test("a driver that cannot start its browser says why, and verify reports that message")
    func fatalStart() throws {
        let d = try driver("""
        emit({"event": "fatal", "message": "chromium not found: apt-get install -y chromium"})
        sys.exit(2)
        """)
        #expect(throws: EngineDriver.Failure.self) { try d.waitReady(timeout: 10) }
        do { _ = try d.waitReady(timeout: 1) } catch { #expect("\(error)".contains("exit") || "\(error)".contains("not found")) }
        d.stop()
    }

    @Test("a run that never answers times out at timeout + settle + grace")
    func hang() throws {
        let d = try driver("""
        emit({"event": "ready", "engine": "chromium", "version": "Fake", "userAgent": ""})
        for line in sys.stdin:
            time.sleep(60)
        """)
        _ = try d.waitReady(timeout: 10)
        let t0 = Date()
        #expect {
            try d.run(id: "r", url: "http://x/", timeout: 0.5, settle: 0, grace: 0.5)
        } throws: { error in
            "\(error)".contains("did not answer in time")
        }
        #expect(Date().timeIntervalSince(t0) < 5)
        d.stop()
    }

    @Test("a driver that exits mid-run is reported as stopped, at once")
    func diesMidRun() throws {
        let d = try driver("""
        emit({"event": "ready", "engine": "chromium", "version": "Fake", "userAgent": ""})
        sys.stdin.readline()
        sys.exit(3)
        """)
        _ = try d.waitReady(timeout: 10)
        let t0 = Date()
        #expect {
            try d.run(id: "r", url: "http://x/", timeout: 30, settle: 0)
        } throws: { error in
            "\(error)".contains("stopped")
        }
        #expect(Date().timeIntervalSince(t0) < 10)
        d.stop()
    }

    @Test("a missing driver script is refused before anything starts")
    func missingScript() {
        #expect(throws: EngineDriver.Failure.self) {
            try EngineDriver(engine: .webkit, python: "/usr/bin/python3", script: "/nonexistent/webkit_driver.py",
                             profile: "/tmp/x", log: "/tmp/cors-harness-missing-driver.log")
        }
    }
}
