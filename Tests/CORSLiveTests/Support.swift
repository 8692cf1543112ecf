import CORSCorpus
import CORSLive
import CORSModel
import Foundation
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

enum Paths {
    /// The package root (this file is Tests/CORSLiveTests/Support.swift).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    /// The cors-harness executable `swift test` built next to the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("cors-harness")
    }
}

struct TestError: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

/// Loads case files (failing the test on any error).
func loadCases(_ paths: [String]) throws -> [Case] {
    let (corpus, errors) = CaseLoader().load(paths: paths.map(Paths.path))
    if !errors.isEmpty { throw TestError(errors.map(\.description).joined(separator: "\n")) }
    return corpus.cases
}

func loadCases(yaml: String, file: String = "inline.yaml") throws -> [Case] {
    let (cf, errors) = CaseLoader().parse(text: yaml, file: file)
    if !errors.isEmpty { throw TestError(errors.map(\.description).joined(separator: "\n")) }
    return cf!.cases
}

/// A mock server on free ports, stopped by `body`'s end.
func withServer<T>(_ cases: [Case], configure: (inout MockServer.Configuration) -> Void = { _ in }, _ body: (MockServer) throws -> T) throws -> T {
    var config = MockServer.Configuration()
    config.basePort = 0
    configure(&config)
    let server = MockServer(cases: cases, configuration: config)
    try server.start()
    defer { server.stop() }
    return try body(server)
}

/// A blocking TCP client on loopback that sends raw bytes and reads the raw answer.
enum RawSocket {
    /// Sends `bytes` and reads until the server closes, `timeout` passes, or `until` says the answer is complete.
    static func exchange(port: Int, _ bytes: [UInt8], timeout: Double = 3, until: (([UInt8]) -> Bool)? = nil) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestError("socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw TestError("connect to \(port) failed: errno \(errno)") }
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }   // the server may close early (e.g. 431 before the whole head is sent)
            sent += n
        }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let n = recv(fd, &buf, buf.count, 0)
            if n > 0 { out += buf[0..<n]; if let until, until(out) { break }; continue }
            if n == 0 { break }
            if errno == EAGAIN || errno == EWOULDBLOCK { continue }
            break   // reset
        }
        return out
    }

    static func exchange(port: Int, _ text: String, timeout: Double = 3, until: (([UInt8]) -> Bool)? = nil) throws -> String {
        String(decoding: try exchange(port: port, Array(text.utf8), timeout: timeout, until: until), as: UTF8.self)
    }
}

/// Servers that misbehave on purpose, for the probe's transport errors.
final class MisbehavingServer: @unchecked Sendable {
    enum Kind { case stall, reset, garbage, oversizedHeaders, malformedHeaders, trickle }
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    var channel: Channel!
    var port: Int { channel.localAddress!.port! }

    init(_ kind: Kind) throws {
        channel = try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { ch in
                ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(Misbehave(kind: kind)) }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    final class Misbehave: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let kind: Kind
        var answered = false
        init(kind: Kind) { self.kind = kind }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            answered = true
            let channel = context.channel
            func write(_ s: String, close: Bool = true) {
                context.writeAndFlush(Self.wrapOutboundOut(channel.allocator.buffer(string: s))).whenComplete { _ in
                    if close { channel.close(promise: nil) }
                }
            }
            switch kind {
            case .stall: break   // read the request, never answer
            case .reset:
                // SO_LINGER 0: close sends RST.
                if let provider = channel as? SocketOptionProvider {
                    provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
                } else {
                    channel.close(promise: nil)
                }
            case .garbage: write("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\nProtocol mismatch.\r\n")
            case .oversizedHeaders:
                write("HTTP/1.1 200 OK\r\nX-Big: " + String(repeating: "a", count: 200_000) + "\r\nContent-Length: 0\r\n\r\n")
            case .malformedHeaders: write("HTTP/1.1 200 OK\r\nThis line has no colon\r\nContent-Length: 0\r\n\r\n")
            case .trickle:
                // One byte of a status line every 300 ms: never a complete response.
                let bytes = Array("HTTP/1.1 200 OK\r\nX-Slow: yes\r\n".utf8)
                for (i, b) in bytes.enumerated() {
                    channel.eventLoop.scheduleTask(in: .milliseconds(Int64(300 * (i + 1)))) {
                        channel.writeAndFlush(channel.allocator.buffer(bytes: [b]), promise: nil)
                    }
                }
            }
        }
    }
}

/// A child process started with posix_spawn, its output going to files (no pipes to hold open,
/// and `waitpid` here rather than Foundation's `Process`, whose exit notification can be lost when
/// several tests start processes at once).
final class Child {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String

    init(_ executable: String, _ arguments: [String], directory: URL? = nil, environment: [String: String] = [:]) throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("cors-live-\(UUID().uuidString)")
        stdoutPath = tmp.path + ".out"
        stderrPath = tmp.path + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // glibc's _np extensions are not in the Glibc module: looked up at run time (glibc ≥ 2.34).
        typealias ChdirFn = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        typealias CloseFromFn = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let directory {
            guard let f = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { throw TestError("no posix_spawn_file_actions_addchdir_np") }
            _ = directory.path.withCString { unsafeBitCast(f, to: ChdirFn.self)(&actions, $0) }
        }
        // Nothing else of this process (listening sockets of other tests) leaks into the child.
        if let f = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") { _ = unsafeBitCast(f, to: CloseFromFn.self)(&actions, 3) }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw TestError("cannot start \(executable): error \(rc)") }
        pid = child
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits for the exit (killing the child after `timeout` seconds); the exit status, or 128 + signal.
    func wait(timeout: Double) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 { return -1 }
            if Date() > deadline { kill(pid, SIGKILL) }
            usleep(20_000)
        }
        let signalled = status & 0x7f
        return signalled == 0 ? (status >> 8) & 0xff : 128 + signalled
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
    }
}

/// Runs a command and returns its status and output.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
                timeout: Double = 120) throws -> (status: Int32, stdout: String, stderr: String) {
    let c = try Child(executable, arguments, directory: directory, environment: environment)
    defer { c.cleanUp() }
    let status = c.wait(timeout: timeout)
    return (status, c.stdout, c.stderr)
}
