@testable import CORSReports
import Foundation
import Testing

/// The HTML report opened in headless Chromium and used through the DOM (tools/report-check).
/// Runs where Chromium is installed; in CI (`CI` set) a missing Chromium is a failure, never a skip.
@Suite("HTML report in headless Chromium")
struct ChromiumCheckTests {
    static let chromium: String? = {
        let candidates = [ProcessInfo.processInfo.environment["CHROMIUM"], "chromium", "chromium-browser", "google-chrome"].compactMap { $0 }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in candidates {
            if name.hasPrefix("/") { if FileManager.default.isExecutableFile(atPath: name) { return name } else { continue } }
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }()
    static let inCI = ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" && $0 != "0" } ?? false

    func check(_ report: RunReport, name: String) throws {
        guard let chromium = Self.chromium else {
            Issue.record("Chromium is not installed; CI must run this check (make report-check installs it: apt-get install chromium)")
            return
        }
        let dir = try temporaryDirectory(name)
        defer { try? FileManager.default.removeItem(at: dir) }
        let html = dir.appendingPathComponent("index.html")
        try ReportWriter.write(report, files: [(.html, html.path)])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Fixtures.packageRoot.appendingPathComponent("tools/report-check/check.py").path,
                       html.path, "--chromium", chromium, "--screenshot", dir.appendingPathComponent("report.png").path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = out.fileHandleForReading.readDataToEndOfFile().utf8String
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "tools/report-check/check.py failed:\n\(text)")
        #expect(text.contains("all checks passed"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("report.png").path))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("report-detail.png").path))
    }

    @Test("the fixture report renders, filters and opens details with no console error",
          .enabled(if: chromium != nil || inCI, "Chromium is not installed (make report-check installs it)"))
    func fixtureReport() throws {
        try check(try Fixtures.all(), name: "fixture")
    }

    @Test("a report full of hostile case text runs nothing but its own script",
          .enabled(if: chromium != nil || inCI, "Chromium is not installed (make report-check installs it)"))
    func hostileReport() throws {
        try check(try Fixtures.hostilized(try Fixtures.all()), name: "hostile")
    }
}
