import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a reader sees either the old file or the complete new one, never a part:
/// each file goes to a temporary file in the same directory, is flushed to disk, then renamed over
/// the target. `writeAll` writes every temporary file before renaming any, so a failure while
/// writing (disk full, permissions) leaves every previous report in place.
public enum AtomicFileWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let message: String
        public var description: String { "cannot write \(path): \(message)" }
    }

    public static func write(_ data: Data, to path: String) throws {
        try writeAll([(path, data)])
    }

    public static func writeAll(_ files: [(path: String, data: Data)]) throws {
        var staged: [StagedFile] = []
        do {
            for f in files { staged.append(try stage(f.data, for: f.path)) }
        } catch {
            discard(staged)
            throw error
        }
        try commit(staged)
    }

    /// A complete temporary file next to its target, not yet renamed over it.
    public struct StagedFile: Sendable {
        public let temp: String
        public let target: String
    }

    /// Renames every staged file over its target (each rename is atomic), then syncs the directories.
    /// If a rename fails, the files not yet renamed are removed and the error is thrown.
    public static func commit(_ staged: [StagedFile]) throws {
        for (i, s) in staged.enumerated() where rename(s.temp, s.target) != 0 {
            let message = String(cString: strerror(errno))
            discard(Array(staged[i...]))
            throw WriteError(path: s.target, message: message)
        }
        for dir in Set(staged.map { directory(of: $0.target) }) { syncDirectory(dir) }
    }

    /// Removes staged files (after a failure elsewhere).
    public static func discard(_ staged: [StagedFile]) {
        for s in staged { unlink(s.temp) }
    }

    static func directory(of path: String) -> String {
        let d = (path as NSString).deletingLastPathComponent
        return d.isEmpty ? "." : d
    }

    /// Creates the directory if needed, writes `data` to a new temporary file next to `target`
    /// (mode 0644) and fsyncs it.
    public static func stage<Bytes: ContiguousBytes>(_ data: Bytes, for target: String) throws -> StagedFile {
        let dir = directory(of: target)
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: target, message: "cannot create the directory \(dir)")
        }
        let name = (target as NSString).lastPathComponent
        var template = Array((dir + "/." + name + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw WriteError(path: target, message: String(cString: strerror(errno))) }
        let temp = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failure: String?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = posixWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno)); return
                }
                offset += n
            }
        }
        if failure == nil, fchmod(fd, 0o644) != 0 { failure = String(cString: strerror(errno)) }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if let failure {
            unlink(temp)
            throw WriteError(path: target, message: failure)
        }
        return StagedFile(temp: temp, target: target)
    }

    private static func posixWrite(_ fd: Int32, _ buf: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, buf, count)
        #else
        return Darwin.write(fd, buf, count)
        #endif
    }

    static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}
