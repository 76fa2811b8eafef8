import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The relay scenario's HTTP sink: `heka-bench --relay-sink` listens on a free loopback
/// port, prints it, answers every request 200 as Sentry does (`{"id":…}`), and exits when
/// its standard input closes. It runs as a child process so that the relay's CPU time is
/// the benchmark process's own.
enum RelaySink {
    static func serve() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(Answering())
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        FileHandle.standardOutput.write(Data("\(channel.localAddress?.port ?? 0)\n".utf8))
        while FileHandle.standardInput.availableData.count > 0 {}
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// Reads a request to its end (the body is counted, not kept) and answers 200.
    private final class Answering: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private static let answer = #"{"id":"00000000000000000000000000000000"}"#
        private var version = HTTPVersion.http1_1

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                version = head.version
            case .body:
                break
            case .end:
                var head = HTTPResponseHead(version: version, status: .ok)
                head.headers.add(name: "Content-Type", value: "application/json")
                head.headers.add(name: "Content-Length", value: "\(Self.answer.utf8.count)")
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: Self.answer)))),
                              promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
