import NIOCore
import CORSCorpus
import CORSModel

/// Size limits of the mock server's request parser.
public struct RequestLimits: Sendable, Hashable {
    /// Request line plus header lines, in bytes (answered 431 above it).
    public var maxHeadBytes: Int
    /// Header lines per request (431 above it).
    public var maxHeaderCount: Int
    /// Request body, in bytes (413 above it).
    public var maxBodyBytes: Int

    public init(maxHeadBytes: Int = 16 * 1024, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1 << 20) {
        self.maxHeadBytes = maxHeadBytes; self.maxHeaderCount = maxHeaderCount; self.maxBodyBytes = maxBodyBytes
    }
}

/// One request as it arrived: the method and target exactly as sent (a browser sends `patch` in
/// lower case, and custom methods), and every header line with its name's casing, in order.
public struct WireRequest: Sendable, Hashable {
    public var method: String
    public var target: String
    public var version: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public static func == (a: WireRequest, b: WireRequest) -> Bool {
        a.method == b.method && a.target == b.target && a.version == b.version && a.body == b.body
            && a.headers.count == b.headers.count && zip(a.headers, b.headers).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
    public func hash(into h: inout Hasher) { h.combine(method); h.combine(target) }

    public func header(_ lowercasedName: String) -> String? {
        headers.first { $0.name.lowercased() == lowercasedName }?.value
    }

    /// HTTP/1.1 keeps the connection unless `Connection: close`; HTTP/1.0 only with keep-alive.
    public var keepAlive: Bool {
        let c = headers.filter { $0.name.lowercased() == "connection" }.map { $0.value.lowercased() }.joined(separator: ",")
        let tokens = Set(c.split(separator: ",").map { $0.trimmingSet(" \t") })
        if version == "HTTP/1.0" { return tokens.contains("keep-alive") }
        return !tokens.contains("close")
    }
}

/// What the decoder hands on: a request, or the answer a broken one gets before the connection closes.
public enum WireEvent: Sendable {
    case request(WireRequest)
    case reject(status: Int, message: String)
}

/// A strict, bounded HTTP/1.x request parser. NIO's `HTTPRequestDecoder` (llhttp) refuses methods
/// outside its fixed list, such as the lower-case `patch` a browser sends as written; this one
/// accepts any token method and keeps the header lines as received. Requests with
/// `Transfer-Encoding` are refused (501): browsers send fetch/XHR string bodies with Content-Length.
struct RequestDecoder: ByteToMessageDecoder {
    typealias InboundOut = WireEvent

    let limits: RequestLimits
    var pending: WireRequest?
    var bodyLength = 0
    var dead = false

    init(limits: RequestLimits) { self.limits = limits }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if dead {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        if var request = pending {
            guard buffer.readableBytes >= bodyLength else { return .needMoreData }
            request.body = buffer.readBytes(length: bodyLength) ?? []
            pending = nil
            context.fireChannelRead(Self.wrapInboundOut(.request(request)))
            return .continue
        }
        // Empty lines before a request line are ignored (RFC 9112 §2.2).
        while let b = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), b == 0x0D || b == 0x0A {
            buffer.moveReaderIndex(forwardBy: 1)
        }
        guard buffer.readableBytes > 0 else { return .needMoreData }
        let scanned = buffer.readableBytesView.prefix(limits.maxHeadBytes + 4)
        guard let headEnd = RequestDecoder.headEnd(scanned) else {
            if buffer.readableBytes > limits.maxHeadBytes {
                return reject(context, &buffer, 431, "request head larger than \(limits.maxHeadBytes) bytes")
            }
            return .needMoreData
        }
        let head = Array(scanned.prefix(headEnd.headLength))
        buffer.moveReaderIndex(forwardBy: headEnd.consumed)
        switch RequestDecoder.parseHead(head, limits: limits) {
        case .failure(let problem):
            return reject(context, &buffer, problem.status, problem.message)
        case .success(let request):
            if request.headers.contains(where: { $0.name.lowercased() == "transfer-encoding" }) {
                return reject(context, &buffer, 501, "Transfer-Encoding request bodies are not supported; send Content-Length")
            }
            let lengths = Set(request.headers.filter { $0.name.lowercased() == "content-length" }.map(\.value))
            var length = 0
            if !lengths.isEmpty {
                guard lengths.count == 1, let text = lengths.first, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                      text.utf8.count <= 12, let n = Int(text) else {
                    return reject(context, &buffer, 400, "invalid Content-Length")
                }
                length = n
            }
            if length > limits.maxBodyBytes {
                return reject(context, &buffer, 413, "request body larger than \(limits.maxBodyBytes) bytes")
            }
            if length == 0 {
                context.fireChannelRead(Self.wrapInboundOut(.request(request)))
            } else {
                pending = request
                bodyLength = length
            }
            return .continue
        }
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        buffer.moveReaderIndex(to: buffer.writerIndex)   // a truncated request is dropped with the connection
        return .needMoreData
    }

    mutating func reject(_ context: ChannelHandlerContext, _ buffer: inout ByteBuffer, _ status: Int, _ message: String) -> DecodingState {
        dead = true
        buffer.moveReaderIndex(to: buffer.writerIndex)
        context.fireChannelRead(Self.wrapInboundOut(.reject(status: status, message: message)))
        return .needMoreData
    }

    /// Where the head ends: after the first empty line (CRLF CRLF, or bare LF LF).
    static func headEnd<C: Collection>(_ bytes: C) -> (headLength: Int, consumed: Int)? where C.Element == UInt8 {
        var lineStart = 0
        var i = 0
        var lineHasContent = false
        for b in bytes {
            if b == 0x0A {
                if !lineHasContent && i > 0 { return (lineStart, i + 1) }
                lineStart = i + 1
                lineHasContent = false
            } else if b != 0x0D {
                lineHasContent = true
            }
            i += 1
        }
        return nil
    }

    struct Problem: Error { let status: Int; let message: String }

    static func parseHead(_ head: [UInt8], limits: RequestLimits) -> Result<WireRequest, Problem> {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, b) in head.enumerated() where b == 0x0A {
            var end = i
            if end > start && head[end - 1] == 0x0D { end -= 1 }
            lines.append(head[start..<end])
            start = i + 1
        }
        if start < head.count { lines.append(head[start...]) }
        guard let first = lines.first else { return .failure(Problem(status: 400, message: "empty request")) }
        for line in lines where line.contains(where: { $0 == 0x00 || $0 == 0x0D }) {
            return .failure(Problem(status: 400, message: "NUL or bare CR in the request head"))
        }
        let parts = first.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(Problem(status: 400, message: "malformed request line")) }
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        let version = String(decoding: parts[2], as: UTF8.self)
        guard isToken(parts[0]) else { return .failure(Problem(status: 400, message: "the method is not a token")) }
        guard !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            return .failure(Problem(status: 400, message: "malformed request target"))
        }
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            return .failure(Problem(status: version.hasPrefix("HTTP/") ? 505 : 400, message: "unsupported protocol version \(version.prefix(16))"))
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            if line.isEmpty { continue }
            if line.first == 0x20 || line.first == 0x09 {
                return .failure(Problem(status: 400, message: "obsolete line folding in a header"))
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                return .failure(Problem(status: 400, message: "a header line without a colon"))
            }
            let name = line[line.startIndex..<colon]
            guard isToken(name) else { return .failure(Problem(status: 400, message: "a header name that is not a token")) }
            var value = line[(colon + 1)...]
            while let f = value.first, f == 0x20 || f == 0x09 { value = value.dropFirst() }
            while let l = value.last, l == 0x20 || l == 0x09 { value = value.dropLast() }
            headers.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            if headers.count > limits.maxHeaderCount {
                return .failure(Problem(status: 431, message: "more than \(limits.maxHeaderCount) header lines"))
            }
        }
        return .success(WireRequest(method: method, target: target, version: version, headers: headers, body: []))
    }

    static func isToken<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        !bytes.isEmpty && bytes.allSatisfy { b in
            switch b {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
            default: return Array("!#$%&'*+-.^_`|~".utf8).contains(b)
            }
        }
    }
}

/// Serializes a response exactly as given: status line, header lines verbatim and in order (names'
/// casing, duplicates, odd values and all), `Content-Length` only when the lines do not frame the
/// body themselves, then the body.
public enum RawResponse {
    public static func reasonPhrase(_ status: Int) -> String { HTTPResponse.reasonPhrase(status) }

    /// Whether a response of this status carries no body (and gets no added Content-Length).
    public static func bodyless(_ status: Int) -> Bool { (100...199).contains(status) || status == 204 || status == 304 }

    /// The bytes, and whether the connection can be kept (false when the scripted lines frame the
    /// body in a way the server cannot vouch for).
    public static func serialize(status: Int, headers: [(name: String, value: String)], body: [UInt8], headRequest: Bool = false) -> (bytes: [UInt8], reusable: Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(64 + headers.count * 48 + body.count)
        out += Array("HTTP/1.1 \(status) \(reasonPhrase(status))\r\n".utf8)
        var framed = false
        var reusable = true
        let noBody = bodyless(status)
        for h in headers {
            let lower = h.name.lowercased()
            if lower == "content-length" {
                framed = true
                // A HEAD or bodyless response's Content-Length describes a body that is not sent.
                if !headRequest && !noBody && h.value.trimmingSet(" \t") != String(body.count) { reusable = false }
            } else if lower == "transfer-encoding" {
                framed = true; reusable = false
            } else if lower == "connection" && h.value.lowercased().contains("close") {
                reusable = false
            }
            out += Array(h.name.utf8)
            out += [UInt8(ascii: ":"), UInt8(ascii: " ")]
            out += Array(h.value.utf8)
            out += [0x0D, 0x0A]
        }
        if !framed && !noBody { out += Array("Content-Length: \(body.count)\r\n".utf8) }
        out += [0x0D, 0x0A]
        if !headRequest && !noBody { out += body }
        return (out, reusable)
    }
}

extension Substring {
    func trimmingSet(_ set: String) -> String { String(self).trimmingSet(set) }
}
