import AsyncHTTPClient
import CORSModel
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Timeouts and limits of the live client.
public struct LiveOptions: Sendable, Hashable {
    /// Seconds to establish a connection (TCP, and TLS for https).
    public var connectTimeout: Double = 2
    /// Seconds without a byte from the server before the request fails.
    public var readTimeout: Double = 5
    /// Hard cap on one request, in seconds (a server that trickles bytes never outlasts it);
    /// default: connect + read timeouts.
    public var requestTimeout: Double? = nil
    /// Response bodies are read up to this many bytes; a larger one is an error.
    public var maxBodyBytes: Int = 1 << 20
    /// https: skip certificate verification.
    public var insecure = false
    /// https: trust the certificates in this PEM file (in addition to the system's).
    public var caFile: String? = nil

    public init() {}

    public var effectiveRequestTimeout: Double { requestTimeout ?? (connectTimeout + readTimeout) }
}

/// One exchange with a live server as the probe saw it: the request sent and the response (or the
/// error) received.
public struct Exchange: Sendable, Hashable {
    public var method: String
    public var url: String
    public var requestHeaders: [(name: String, value: String)]
    public var response: HTTPResponse?
    public var error: String?
    public var seconds: Double

    public static func == (a: Exchange, b: Exchange) -> Bool { a.method == b.method && a.url == b.url && a.response == b.response && a.error == b.error }
    public func hash(into h: inout Hasher) { h.combine(method); h.combine(url) }
}

/// An AsyncHTTPClient with the settings a browser model needs: redirects never followed (the model
/// follows them, keeping `Origin`, `Cookie` and `Authorization` as a browser would), no
/// decompression, HTTP/1.1 (header lines arrive as sent: order, duplicates, casing), timeouts on
/// connect, read and the whole request. Blocking calls only: never call from an event loop.
public final class LiveClient: Sendable {
    let client: HTTPClient
    public let options: LiveOptions

    public init(options: LiveOptions = LiveOptions(), eventLoopGroup: EventLoopGroup? = nil) throws {
        self.options = options
        var tls = TLSConfiguration.makeClientConfiguration()
        if options.insecure { tls.certificateVerification = .none }
        if let ca = options.caFile {
            guard FileManager.default.isReadableFile(atPath: ca) else { throw LiveClientError("cannot read the CA file \(ca)") }
            tls.additionalTrustRoots = [.file(ca)]
        }
        var config = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(options.connectTimeout * 1000)), read: .milliseconds(Int64(options.readTimeout * 1000))),
            decompression: .disabled)
        config.httpVersion = .http1Only
        config.connectionPool = .init(idleTimeout: .seconds(10))
        if let group = eventLoopGroup {
            client = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: config)
        } else {
            client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        }
    }

    public func shutdown() { try? client.syncShutdown() }

    /// Performs one request and waits for the whole response (bounded), or for an error.
    public func perform(method: String, url: String, headers: [(name: String, value: String)], body: String?) -> Result<HTTPResponse, LiveClientError> {
        // A pooled keep-alive connection the server closed meanwhile fails before any byte of a
        // response arrives; browsers retry such a request once on a new connection, and so does this.
        switch performOnce(method: method, url: url, headers: headers, body: body) {
        case .failure(let e) where e.staleConnection:
            return performOnce(method: method, url: url, headers: headers, body: body)
        case let r:
            return r
        }
    }

    func performOnce(method: String, url: String, headers: [(name: String, value: String)], body: String?) -> Result<HTTPResponse, LiveClientError> {
        let request: HTTPClient.Request
        do {
            var h = HTTPHeaders()
            for x in headers { h.add(name: x.name, value: x.value) }
            request = try HTTPClient.Request(url: url, method: HTTPMethod(rawValue: method), headers: h, body: body.map { .string($0) })
        } catch {
            return .failure(LiveClientError("cannot send \(method) \(url): \(LiveClient.describe(error))"))
        }
        let delegate = BoundedCollector(limit: options.maxBodyBytes)
        let deadline = NIODeadline.now() + .milliseconds(Int64(options.effectiveRequestTimeout * 1000))
        let task = client.execute(request: request, delegate: delegate, deadline: deadline)
        do {
            let collected = try task.futureResult.wait()
            var list = HeaderList()
            for (name, value) in collected.head.headers { list.append(name: name, value: value) }
            let text = String(decoding: collected.body.readableBytesView, as: UTF8.self)
            return .success(HTTPResponse(status: Int(collected.head.status.code), headers: list, body: text))
        } catch {
            var e = LiveClientError(LiveClient.describe(error, options: options))
            e.staleConnection = delegate.head == nil && (error as? HTTPClientError == .remoteConnectionClosed
                || (error as? ChannelError).map { if case .ioOnClosedChannel = $0 { return true } else { return false } } == true)
            return .failure(e)
        }
    }

    /// A plain sentence for a transport error: what a reviewer needs to fix the set-up.
    static func describe(_ error: Error, options: LiveOptions? = nil) -> String {
        let fmt = { (s: Double) in s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s) }
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout: return "no connection within \(options.map { fmt($0.connectTimeout) } ?? "the connect timeout") (connect timeout)"
            case .readTimeout: return "the server stopped answering for \(options.map { fmt($0.readTimeout) } ?? "the read timeout") (read timeout)"
            case .deadlineExceeded: return "no complete response within \(options.map { fmt($0.effectiveRequestTimeout) } ?? "the request timeout") (request timeout)"
            case .remoteConnectionClosed: return "the server closed the connection before a complete response"
            case .invalidURL, .emptyHost, .emptyScheme: return "invalid URL (\(e))"
            case .bodyLengthMismatch: return "the response body does not match its Content-Length"
            default: break
            }
            let text = "\(e)"
            if text.contains("connectTimeout") { return "no connection within the connect timeout" }
            return "HTTP client error: \(text)"
        }
        if let e = error as? HTTPParserError {
            switch e {
            case .headerOverflow: return "the response headers are larger than the client accepts (80 KiB): oversized headers"
            case .invalidConstant, .invalidVersion, .unknown, .invalidStatus:
                return "the server did not answer HTTP/1.1 (\(e))"
            default: return "malformed HTTP response (\(e))"
            }
        }
        if error is BodyTooLarge { return "the response body is larger than \(options?.maxBodyBytes ?? 0) bytes" }
        if let e = error as? NIOSSLError { return "TLS failure: \(e)" }
        if let e = error as? BoringSSLError { return "TLS failure: \(e)" }
        if let e = error as? NIOConnectionError {
            let inner = e.connectionErrors.first.map { "\($0.error)" } ?? "\(e)"
            if inner.contains("refused") || inner.contains("111") { return "connection refused" }
            return "cannot connect: \(inner)"
        }
        if let e = error as? IOError {
            if e.errnoCode == ECONNREFUSED { return "connection refused" }
            if e.errnoCode == ECONNRESET { return "connection reset by the server" }
            return "I/O error: \(e)"
        }
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        if text.localizedCaseInsensitiveContains("reset") { return "connection reset by the server" }
        return text
    }
}

public struct LiveClientError: Error, Sendable, CustomStringConvertible, Hashable {
    public let description: String
    /// The connection was closed before any response byte (worth one retry on a new connection).
    var staleConnection = false
    public init(_ d: String) { description = d }
}

struct BodyTooLarge: Error {}

struct Collected: Sendable {
    var head: HTTPResponseHead
    var body: ByteBuffer
}

/// Collects the head and at most `limit` body bytes.
final class BoundedCollector: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Collected
    let limit: Int
    var head: HTTPResponseHead?
    var body = ByteBuffer()

    init(limit: Int) { self.limit = limit }

    func didReceiveHead(task: HTTPClient.Task<Collected>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        self.head = head
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Collected>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        if body.readableBytes + buffer.readableBytes > limit { return task.eventLoop.makeFailedFuture(BodyTooLarge()) }
        var b = buffer
        body.writeBuffer(&b)
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Collected>) throws -> Collected {
        guard let head else { throw HTTPClientError.remoteConnectionClosed }
        return Collected(head: head, body: body)
    }
}

/// The model's `Network` over a real server: every request the model decides to send (preflight,
/// actual request, each redirect hop) is sent as is, plus the headers a browser adds that CORS does
/// not decide (User-Agent, Sec-Fetch-*, Accept, and the cookie when the credentials mode sends one).
/// A transport failure is `NetworkFailure.connection`, which the model reports as `network-failure`.
public struct LiveNetwork: Network {
    public let client: LiveClient
    public let browser: Browser
    public let page: Origin
    public let request: ScriptRequest
    /// Sent as `Cookie` on non-preflight requests whose credentials mode includes credentials.
    public let cookie: String?
    /// Add User-Agent, Sec-Fetch-* and Accept as the browser would.
    public var browserHeaders = true
    public private(set) var exchanges: [Exchange] = []

    public init(client: LiveClient, browser: Browser, page: Origin, request: ScriptRequest, cookie: String? = nil) {
        self.client = client; self.browser = browser; self.page = page; self.request = request; self.cookie = cookie
    }

    public static func userAgent(_ b: Browser) -> String {
        if b == .edge { return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0 cors-harness-probe" }
        switch b.profile.family {
        case .chromium: return "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 cors-harness-probe"
        case .gecko: return "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0 cors-harness-probe"
        case .webkit: return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.0 Safari/605.1.15 cors-harness-probe"
        }
    }

    /// The header lines put on the wire for one model request.
    public func wireHeaders(for r: HTTPRequest) -> [(name: String, value: String)] {
        var out = r.headers.headers.map { (name: $0.name, value: $0.rawValue) }
        guard browserHeaders else { return out }
        let has = { (n: String) in r.headers.contains(n) }
        if !has("accept") { out.append(("Accept", "*/*")) }
        out.append(("User-Agent", LiveNetwork.userAgent(browser)))
        let target = r.url.origin
        let site: String
        if page == target { site = "same-origin" } else if !page.isOpaque && page.isSameSite(target) { site = "same-site" } else { site = "cross-site" }
        out.append(("Sec-Fetch-Site", site))
        out.append(("Sec-Fetch-Mode", r.isPreflight ? "cors" : (request.api == .xhr ? "cors" : request.mode.rawValue)))
        out.append(("Sec-Fetch-Dest", "empty"))
        if let cookie, !r.isPreflight, !has("cookie") {
            let credentials = request.effectiveCredentials
            if credentials == .include || (credentials == .sameOrigin && page == target) { out.append(("Cookie", cookie)) }
        }
        return out
    }

    public mutating func send(_ r: HTTPRequest) -> Result<HTTPResponse, NetworkFailure> {
        let headers = wireHeaders(for: r)
        let url = r.url.withoutFragment.serialized
        let t0 = DispatchTime.now().uptimeNanoseconds
        let result = client.perform(method: r.method, url: url, headers: headers, body: r.body)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        switch result {
        case .success(let response):
            exchanges.append(Exchange(method: r.method, url: url, requestHeaders: headers, response: response, error: nil, seconds: seconds))
            return .success(response)
        case .failure(let e):
            exchanges.append(Exchange(method: r.method, url: url, requestHeaders: headers, response: nil, error: e.description, seconds: seconds))
            return .failure(.connection(e.description))
        }
    }
}
