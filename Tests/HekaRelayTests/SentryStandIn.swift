import CZlib
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A Sentry stand-in on loopback: a real HTTP/1.1 server (SwiftNIO) that records each
/// request (its body un-gzipped) and answers as the test's responder says.
final class SentryStandIn: @unchecked Sendable {
    // @unchecked: `requests` and `responder` are guarded by `condition`.
    struct Request: Sendable {
        var method: String
        var uri: String
        var headers: [(String, String)]
        /// The body as sent.
        var rawBody: [UInt8]
        /// The body after Content-Encoding was undone.
        var body: [UInt8]
        /// When it was complete.
        var at = Date()

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        /// The event id of an envelope body (its first line's event_id).
        var eventID: String? {
            let firstLine = body.prefix { $0 != 0x0A }
            guard let object = try? JSONSerialization.jsonObject(with: Data(firstLine)) as? [String: Any] else { return nil }
            return object["event_id"] as? String
        }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body = ""
    }

    typealias Responder = @Sendable (_ request: Request, _ index: Int) -> Response

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private var channel: Channel?
    private let condition = NSCondition()
    private var requests: [Request] = []
    private var accepted: [String] = []
    private var responder: Responder
    /// The port it listens on.
    let port: Int

    /// A server on 127.0.0.1:`port` (0: a free port), answering with `responder`.
    init(port: Int = 0, responder: @escaping Responder = { _, _ in Response(status: 200, body: "{}") }) throws {
        self.responder = responder
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        let box = WeakBox()
        let channel = try bootstrap.childChannelInitializer { channel in
            channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                guard let server = box.server else { return }
                try channel.pipeline.syncOperations.addHandler(RecordingHandler(server: server))
            }
        }.bind(host: "127.0.0.1", port: port).wait()
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        box.server = self
    }

    private final class WeakBox: @unchecked Sendable {
        weak var server: SentryStandIn?
    }

    /// A port that was free a moment ago (for a server started later on it).
    static func freePort() throws -> Int {
        let probe = try SentryStandIn()
        defer { probe.stop() }
        return probe.port
    }

    func stop() {
        try? channel?.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// Answers from now on with `responder`.
    func respond(with responder: @escaping Responder) {
        condition.withLock { self.responder = responder }
    }

    /// Records a request and chooses its answer.
    fileprivate func answer(_ request: Request) -> Response {
        condition.withLock {
            requests.append(request)
            let response = responder(request, requests.count - 1)
            if (200..<300).contains(response.status), let id = request.eventID { accepted.append(id) }
            condition.broadcast()
            return response
        }
    }

    /// The requests so far, once there are at least `count` (or `timeout` passed).
    func waitForRequests(_ count: Int, timeout: TimeInterval = 20) -> [Request] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return condition.withLock {
            while requests.count < count && condition.wait(until: deadline) {}
            return requests
        }
    }

    /// The event ids answered with a 2xx, once there are at least `count`.
    func waitForAccepted(_ count: Int, timeout: TimeInterval = 30) -> [String] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return condition.withLock {
            while accepted.count < count && condition.wait(until: deadline) {}
            return accepted
        }
    }

    var acceptedIDs: [String] { condition.withLock { accepted } }
}

/// Reads a request's parts and answers once it is complete.
private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: SentryStandIn
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(server: SentryStandIn) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let headers = head.headers.map { ($0.name, $0.value) }
            let encoded = head.headers.first(name: "Content-Encoding") == "gzip"
            let request = SentryStandIn.Request(method: "\(head.method)", uri: head.uri, headers: headers,
                                                rawBody: body, body: encoded ? gunzip(body) : body)
            let response = server.answer(request)
            var responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: response.status))
            for (name, value) in response.headers { responseHead.headers.add(name: name, value: value) }
            responseHead.headers.add(name: "Content-Length", value: "\(response.body.utf8.count)")
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

/// A gzip member's content (empty when it is not one).
func gunzip(_ input: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    guard inflateInit2_(&stream, MAX_WBITS + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
    defer { inflateEnd(&stream) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var input = input
    input.withUnsafeMutableBufferPointer { source in
        stream.next_in = source.baseAddress
        stream.avail_in = uInt(source.count)
        while true {
            let status = chunk.withUnsafeMutableBufferPointer { target -> Int32 in
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            out += chunk[..<(chunk.count - Int(stream.avail_out))]
            if status != Z_OK { break }
        }
    }
    return out
}
