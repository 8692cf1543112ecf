import CORSCorpus
import CORSModel
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// `cors-harness serve`: the corpus's scripted responses over real HTTP/1.1.
///
/// One listener per origin of the served cases (see `OriginMap`). A request reaches a case through
/// the path prefix `/c/<case-id>/<run>/…` on any listener (the run token keeps repeated runs apart:
/// each (case, run) has its own response sequence, and a browser's preflight cache never carries
/// over), or, with a root case, through the case's own paths. The response is the case's scripted
/// one, written byte for byte (`RawResponse`), with mapped origins rewritten.
///
/// Control paths, on every listener: `/__runner` (the runner page of that listener's origin),
/// `/__frame` (the sandboxed frame that runs `page: "null"` cases), `POST /__report`, `/__reports`,
/// `/__requests[?case=ID&run=R]`, `/__map`, `/__index`, `POST /__reset`, `/__health`.
public final class MockServer: @unchecked Sendable {
    public struct Configuration: Sendable {
        /// The address every listener binds (and the host of local origins; 0.0.0.0/:: → 127.0.0.1).
        public var host: String = "127.0.0.1"
        /// First port for origins without a pinned one; 0: any free port.
        public var basePort: Int = 0
        /// Origins pinned to ports (`--map ORIGIN=PORT`).
        public var pinned: [String: Int] = [:]
        /// Requests without the `/c/<id>/<run>` prefix go to this case (default: the only case, when one is served).
        public var rootCase: String? = nil
        public var limits = RequestLimits()
        /// A connection that sends nothing for this long is closed.
        public var idleTimeout: TimeAmount = .seconds(30)
        public var threads: Int = 1
        public init() {}
    }

    public let cases: [Case]
    public let configuration: Configuration
    let casesByID: [String: Case]
    let rootCaseID: String?
    let group: MultiThreadedEventLoopGroup
    let logger: Logger
    /// Called (from an event loop) with one line per report the runner page posts.
    public var onReport: (@Sendable (String) -> Void)?

    private let lock = NIOLock()
    private var networks: [String: ScriptedServer] = [:]
    private var log: [RecordedRequest] = []
    private var reports: [Data] = []
    private var reportsByRun: [String: Data] = [:]
    private var seq = 0
    private var channels: [Channel] = []
    private var _map: OriginMap?

    /// The mapping in force (after `start()`).
    public var map: OriginMap { lock.withLock { _map! } }

    public init(cases: [Case], configuration: Configuration = Configuration(), logger: Logger = Logger(label: "cors-harness.serve")) {
        self.cases = cases
        self.configuration = configuration
        self.casesByID = Dictionary(cases.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.rootCaseID = configuration.rootCase ?? (cases.count == 1 ? cases[0].id : nil)
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.threads))
        self.logger = logger
    }

    var localHost: String {
        ["0.0.0.0", "::", "[::]"].contains(configuration.host) ? "127.0.0.1" : configuration.host
    }

    /// Binds one listener per origin. Throws (with the origin named) when a port is taken.
    public func start() throws {
        let origins = OriginMap.origins(of: cases)
        let planned = OriginMap.plannedPorts(for: origins.map(\.origin), host: localHost, pinned: configuration.pinned,
                                             basePort: configuration.basePort)
        var ports: [Int] = []
        var bound: [Channel] = []
        do {
            for (o, p) in zip(origins, planned) {
                do {
                    let ch = try bootstrap().bind(host: configuration.host, port: p).wait()
                    bound.append(ch)
                    ports.append(ch.localAddress?.port ?? p)
                } catch {
                    throw ServeError.bind(origin: o.origin, host: configuration.host, port: p, detail: "\(error)")
                }
            }
        } catch {
            for ch in bound { try? ch.close().wait() }
            throw error
        }
        lock.withLock {
            _map = OriginMap(host: localHost, origins: origins, ports: ports)
            channels = bound
        }
    }

    /// Closes every listener and open connection and stops the event loops.
    public func stop() {
        let chs = lock.withLock { () -> [Channel] in let c = channels; channels = []; return c }
        for ch in chs { try? ch.close().wait() }
        try? group.syncShutdownGracefully()
    }

    func bootstrap() -> ServerBootstrap {
        let limits = configuration.limits
        let idle = configuration.idleTimeout
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let ops = channel.pipeline.syncOperations
                    try ops.addHandler(IdleStateHandler(readTimeout: idle))
                    try ops.addHandler(ByteToMessageHandler(RequestDecoder(limits: limits)))
                    try ops.addHandler(ConnectionHandler(server: self, port: channel.localAddress?.port ?? 0))
                }
            }
    }

    // MARK: Answering

    /// The response to one request that arrived on the listener at `port`.
    func respond(to request: WireRequest, port: Int) -> (bytes: [UInt8], keepAlive: Bool) {
        let (path, query) = MockServer.split(target: request.target)
        let head = request.method == "HEAD"
        if path.hasPrefix("/__") {
            let r = control(path: path, query: query, request: request, port: port)
            return (RawResponse.serialize(status: r.status, headers: r.headers, body: r.body, headRequest: head).bytes, request.keepAlive)
        }
        var caseID = rootCaseID
        var run = "root"
        var casePath = path
        var prefix = ""
        if path.hasPrefix("/c/") {
            let parts = path.split(separator: "/", maxSplits: 4, omittingEmptySubsequences: false)
            // ["", "c", id, run, rest]
            if parts.count >= 4, !parts[2].isEmpty, !parts[3].isEmpty {
                caseID = String(parts[2]); run = String(parts[3])
                casePath = "/" + (parts.count > 4 ? String(parts[4]) : "")
                prefix = OriginMap.prefix(case: caseID!, run: run)
            }
        } else if path == "/" && caseID == nil {
            let r = control(path: "/__index", query: query, request: request, port: port)
            return (RawResponse.serialize(status: r.status, headers: r.headers, body: r.body, headRequest: head).bytes, request.keepAlive)
        }
        let map = self.map
        guard let id = caseID, let c = casesByID[id], let entry = map.entry(forPort: port), entry.origin != "null",
              let url = WebURL.parse(entry.origin + casePath + (query.map { "?" + $0 } ?? "")) else {
            let msg = caseID.map { casesByID[$0] == nil ? "no served case '\($0)'" : "this listener has no case origin" }
                ?? "no case selected: use /c/<case-id>/<run>/path (see /__index)"
            record(request, port: port, caseID: caseID, run: run, url: nil, status: 404)
            return plain(404, "cors-harness: \(msg)\n", request)
        }
        var headers = HeaderList()
        for h in request.headers { headers.append(name: h.name, value: map.rewriteIncoming(h.value)) }
        let isPreflight = request.method == "OPTIONS" && headers.contains("access-control-request-method")
        let caseRequest = HTTPRequest(method: request.method, url: url, headers: headers,
                                      body: request.body.isEmpty ? nil : String(decoding: request.body, as: UTF8.self), isPreflight: isPreflight)
        let key = id + " " + run
        let result: Result<HTTPResponse, NetworkFailure> = lock.withLock {
            var network = networks[key] ?? c.server
            let r = network.send(caseRequest)
            networks[key] = network
            return r
        }
        switch result {
        case .failure:
            record(request, port: port, caseID: id, run: run, url: url, status: 404)
            return plain(404, "cors-harness: case '\(id)' scripts no response for \"\(caseRequest.key)\"\n", request)
        case .success(let response):
            let lines = response.headers.headers.map { h in
                (name: h.name, value: map.rewriteOutgoing(name: h.lowercasedName, value: h.rawValue, prefix: prefix, base: url))
            }
            record(request, port: port, caseID: id, run: run, url: url, status: response.status)
            let (bytes, reusable) = RawResponse.serialize(status: response.status, headers: lines, body: Array(response.body.utf8), headRequest: head)
            return (bytes, reusable && request.keepAlive)
        }
    }

    func plain(_ status: Int, _ text: String, _ request: WireRequest) -> (bytes: [UInt8], keepAlive: Bool) {
        let r = RawResponse.serialize(status: status, headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")],
                                      body: Array(text.utf8), headRequest: request.method == "HEAD")
        return (r.bytes, request.keepAlive)
    }

    /// The answer to a request the decoder refused (400, 413, 431, 501, 505); the connection closes.
    static func rejection(status: Int, message: String) -> [UInt8] {
        RawResponse.serialize(status: status, headers: [("Content-Type", "text/plain; charset=utf-8"), ("Connection", "close")],
                              body: Array("cors-harness: \(message)\n".utf8)).bytes
    }

    static func split(target: String) -> (path: String, query: String?) {
        var t = Substring(target)
        // absolute-form (a proxy's request line): keep the path
        if t.hasPrefix("http://") || t.hasPrefix("https://") {
            let afterScheme = t[t.range(of: "://")!.upperBound...]
            t = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }).map { afterScheme[$0...] } ?? "/"
            if t.hasPrefix("?") { t = "/" + t }
        }
        if let q = t.firstIndex(of: "?") { return (String(t[..<q]), String(t[t.index(after: q)...])) }
        return (String(t), nil)
    }

    // MARK: Recording

    func record(_ r: WireRequest, port: Int, caseID: String?, run: String?, url: WebURL?, status: Int) {
        let entry = map.entry(forPort: port)
        lock.withLock {
            seq += 1
            let body = r.body.isEmpty ? nil : String(decoding: r.body.prefix(64 * 1024), as: UTF8.self)
            log.append(RecordedRequest(seq: seq, time: Date().timeIntervalSince1970, port: port, local: entry?.local ?? "",
                                       origin: entry?.origin ?? "", case: caseID, run: run, method: r.method, target: r.target,
                                       url: url?.serialized, headers: r.headers.map { "\($0.name): \($0.value)" }, body: body, status: status))
            // Keeps the newest 100,000 (dropped in chunks: removing from the front is linear).
            if log.count > 110_000 { log.removeFirst(log.count - 100_000) }
        }
    }

    /// Every request received so far (optionally for one case and run), in arrival order.
    public func requests(case id: String? = nil, run: String? = nil) -> [RecordedRequest] {
        lock.withLock { log.filter { (id == nil || $0.case == id) && (run == nil || $0.run == run) } }
    }

    /// The report the runner page posted for case `id` in run `run` (the newest, if several).
    public func report(case id: String, run: String) -> [String: Any]? {
        guard let d = lock.withLock({ reportsByRun[id + " " + run] }) else { return nil }
        return (try? JSONSerialization.jsonObject(with: d)) as? [String: Any]
    }

    /// The reports the runner page posted, as JSON objects.
    public func reportDocuments() -> [Data] { lock.withLock { reports } }

    func reset() {
        lock.withLock { networks = [:]; log = []; reports = []; reportsByRun = [:]; seq = 0 }
    }

    // MARK: Control paths

    struct Reply { var status: Int; var headers: [(name: String, value: String)]; var body: [UInt8] }

    func control(path: String, query: String?, request: WireRequest, port: Int) -> Reply {
        let q = MockServer.parseQuery(query)
        func json(_ object: Any) -> Reply {
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("null".utf8)
            return Reply(status: 200, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")], body: Array(data) + [0x0A])
        }
        func html(_ s: String) -> Reply {
            Reply(status: 200, headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")], body: Array(s.utf8))
        }
        let map = self.map
        switch (request.method, path) {
        case ("GET", "/__health"), ("HEAD", "/__health"):
            return Reply(status: 200, headers: [("Content-Type", "text/plain")], body: Array("ok\n".utf8))
        case ("GET", "/__map"):
            return json(map.entries.map { ["origin": $0.origin, "port": $0.port, "local": $0.local, "pages": $0.pages] as [String: Any] })
        case ("GET", "/__requests"):
            let list = requests(case: q["case"], run: q["run"])
            let data = (try? RecordedRequest.encoder.encode(list)) ?? Data("[]".utf8)
            return Reply(status: 200, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")], body: Array(data) + [0x0A])
        case ("GET", "/__reports"):
            let docs = reportDocuments().compactMap { try? JSONSerialization.jsonObject(with: $0) }
            return json(docs)
        case ("POST", "/__report"):
            guard let obj = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] else {
                return Reply(status: 400, headers: [("Content-Type", "text/plain")], body: Array("the report is not a JSON object\n".utf8))
            }
            let key = "\(obj["case"] as? String ?? "") \(obj["run"] as? String ?? "")"
            lock.withLock { reports.append(Data(request.body)); reportsByRun[key] = Data(request.body) }
            onReport?(RunnerPage.summary(obj))
            return Reply(status: 204, headers: [("Cache-Control", "no-store")], body: [])
        case ("POST", "/__reset"):
            reset()
            return Reply(status: 204, headers: [], body: [])
        case ("GET", "/__index"):
            return html(RunnerPage.index(map: map, cases: cases))
        case ("GET", "/__runner"):
            guard let entry = map.entry(forPort: port) else { return html("no origin on this port") }
            let selected = q["case"].map { Set($0.split(separator: ",").map(String.init)) }
            let mine = cases.filter { c in c.steps.first?.page.serialized == entry.origin && (selected?.contains(c.id) ?? true) }
            return html(RunnerPage.runner(origin: entry, cases: mine, map: map))
        case ("GET", "/__frame"):
            guard let id = q["case"], let c = casesByID[id] else { return html("no such case") }
            return html(RunnerPage.frame(case: c, map: map))
        default:
            return Reply(status: 404, headers: [("Content-Type", "text/plain")], body: Array("cors-harness: no control path \(request.method) \(path)\n".utf8))
        }
    }

    static func parseQuery(_ q: String?) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (q ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let k = String(kv[0]).removingPercentEncoding ?? String(kv[0])
            let v = kv.count > 1 ? (String(kv[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[1])) : ""
            out[k] = v
        }
        return out
    }
}

public enum ServeError: Error, CustomStringConvertible {
    case bind(origin: String, host: String, port: Int, detail: String)
    public var description: String {
        switch self {
        case let .bind(origin, host, port, detail):
            return "cannot listen on \(host):\(port) for origin \(origin): \(detail) (pick other ports with --base-port or --map ORIGIN=PORT)"
        }
    }
}

/// One request the mock server received, as `/__requests` lists it.
public struct RecordedRequest: Codable, Sendable, Hashable {
    public let seq: Int
    public let time: Double
    /// The listener's port, its local origin and the case origin it stands for.
    public let port: Int
    public let local: String
    public let origin: String
    public let `case`: String?
    public let run: String?
    public let method: String
    /// The request target exactly as sent.
    public let target: String
    /// The case URL the request was matched as.
    public let url: String?
    /// Header lines as received, in order.
    public let headers: [String]
    public let body: String?
    /// The status the server answered.
    public let status: Int

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }()
}

/// Per connection: decoded requests in, raw responses out, in order.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = WireEvent
    typealias OutboundOut = ByteBuffer

    let server: MockServer
    let port: Int

    init(server: MockServer, port: Int) { self.server = server; self.port = port }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let channel = context.channel
        switch Self.unwrapInboundIn(data) {
        case .request(let request):
            let (bytes, keepAlive) = server.respond(to: request, port: port)
            let buffer = context.channel.allocator.buffer(bytes: bytes)
            let written = context.writeAndFlush(Self.wrapOutboundOut(buffer))
            if !keepAlive { written.whenComplete { _ in channel.close(promise: nil) } }
        case .reject(let status, let message):
            // Recorded with what is known: nothing of the request, the reason it was refused.
            server.record(WireRequest(method: "(rejected)", target: message, version: "", headers: [], body: []), port: port,
                          caseID: nil, run: nil, url: nil, status: status)
            let buffer = context.channel.allocator.buffer(bytes: MockServer.rejection(status: status, message: message))
            context.writeAndFlush(Self.wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil); return }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
