import Foundation

/// The report files `cors-harness run --report DIR` writes, and how each is rendered.
public enum ReportFormat: String, CaseIterable, Sendable {
    case html, junit, json, markdown

    /// The file's name inside the report directory.
    public var defaultFileName: String {
        switch self {
        case .html: return "index.html"
        case .junit: return "junit.xml"
        case .json: return "results.json"
        case .markdown: return "summary.md"
        }
    }

    public func render(_ report: RunReport) throws -> Data {
        Data(bytes(report, matrix: self == .json ? nil : ReportMatrix(report)))
    }

    /// The file's bytes (written to disk as they are: no copy into `Data` for large reports).
    func bytes(_ report: RunReport, matrix: ReportMatrix?) -> [UInt8] {
        switch self {
        case .html: return HTMLReport.bytes(report, matrix: matrix ?? ReportMatrix(report))
        case .junit: return JUnitReport.bytes(report, matrix: matrix ?? ReportMatrix(report))
        case .json: return JSONReport.bytes(report)
        case .markdown: return Array(MarkdownReport.render(report, matrix: matrix ?? ReportMatrix(report)))
        }
    }
}

public enum ReportWriter {
    /// The files to write: every format into `directory` (when given), plus single files.
    public static func plan(directory: String?, single: [(ReportFormat, String)]) -> [(ReportFormat, String)] {
        var files: [(ReportFormat, String)] = []
        if let directory {
            let dir = directory.isEmpty ? "." : directory
            for f in ReportFormat.allCases { files.append((f, dir + (dir.hasSuffix("/") ? "" : "/") + f.defaultFileName)) }
        }
        return files + single
    }

    /// Renders each format once and stages its files (temporary file written and flushed next to
    /// each target), formats in parallel; then renames every staged file over its target. A
    /// rendering or writing failure leaves every previous report untouched (see `AtomicFileWriter`).
    /// Returns the paths written with their sizes in bytes.
    @discardableResult
    public static func write(_ report: RunReport, files: [(ReportFormat, String)]) throws -> [(path: String, bytes: Int)] {
        let formats = ReportFormat.allCases.filter { f in files.contains { $0.0 == f } }
        let matrix = formats.contains(where: { $0 != .json }) ? ReportMatrix(report) : nil
        let slots = Slots<(staged: [AtomicFileWriter.StagedFile], bytes: Int)>(count: formats.count)
        DispatchQueue.concurrentPerform(iterations: formats.count) { i in
            slots.set(i, Result {
                let data = formats[i].bytes(report, matrix: matrix)
                var staged: [AtomicFileWriter.StagedFile] = []
                do {
                    for (f, path) in files where f == formats[i] { staged.append(try AtomicFileWriter.stage(data, for: path)) }
                } catch {
                    AtomicFileWriter.discard(staged)
                    throw error
                }
                return (staged, data.count)
            })
        }
        let outcomes = (0..<formats.count).map { slots.get($0) }
        let staged = outcomes.flatMap { (try? $0.get().staged) ?? [] }
        for outcome in outcomes {
            if case .failure(let error) = outcome {
                AtomicFileWriter.discard(staged)
                throw error
            }
        }
        try AtomicFileWriter.commit(staged)
        var sizes: [String: Int] = [:]
        for case .success(let done) in outcomes {
            for s in done.staged { sizes[s.target] = done.bytes }
        }
        return files.map { ($0.1, sizes[$0.1] ?? 0) }
    }

    /// Renders the formats, sharing one regrouped matrix, in parallel.
    public static func render(_ report: RunReport, formats: Set<ReportFormat>) throws -> [ReportFormat: Data] {
        let list = ReportFormat.allCases.filter(formats.contains)
        let matrix = list.contains(where: { $0 != .json }) ? ReportMatrix(report) : nil
        let slots = Slots<Data>(count: list.count)
        DispatchQueue.concurrentPerform(iterations: list.count) { i in
            slots.set(i, Result { Data(list[i].bytes(report, matrix: matrix)) })
        }
        var out: [ReportFormat: Data] = [:]
        for (i, f) in list.enumerated() { out[f] = try slots.get(i).get() }
        return out
    }
}

/// Results of concurrent work, one slot per task.
private final class Slots<T>: @unchecked Sendable {
    private var slots: [Result<T, Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<T, Error>) { lock.lock(); slots[i] = r; lock.unlock() }
    func get(_ i: Int) -> Result<T, Error> { lock.lock(); defer { lock.unlock() }; return slots[i]! }
}
