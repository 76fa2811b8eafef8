import HekaClient
import HekaPlatform
import Streams

/// A UDP listener: a socket that decodes each datagram on its own, as hekad's
/// UdpInput does. It asks for a large receive buffer, and the kernel's count of datagrams
/// dropped because that buffer was full (SO_RXQ_OVFL) goes into the summary, so that
/// what a sender sent can be reconciled with what was read.
public struct UdpListener: Sendable {
    private let socket: ListeningSocket
    /// The address bound, with the port the kernel chose for port 0.
    public var address: String { socket.address }

    /// The receive buffer asked for; without privileges the kernel caps it at
    /// net.core.rmem_max.
    public static let receiveBufferSize: Int32 = 16 << 20

    /// Listens on `endpoint` (port 0: any free port).
    public init(_ endpoint: HostAndPort) throws(InputError) {
        do throws(ListenError) {
            socket = try .udp(host: endpoint.host, port: endpoint.port, receiveBufferSize: Self.receiveBufferSize)
        } catch {
            throw InputError(description: "udp \(endpoint): \(error.message)")
        }
    }

    /// Reads datagrams until an interrupt or `sink` is done; an interrupt first reads what
    /// the kernel has already queued.
    public func run(keys: [HMACSigner]?, into sink: some InputSink) {
        defer { socket.close() }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var control = [UInt8](repeating: 0, count: 64)
        var number = 0
        var drops: UInt32 = 0
        var stopping = false
        while !stopping && !sink.isDone {
            // The timeout bounds the wait when a signal lands just before poll starts.
            _ = waitForEvents([(socket.fd, PollEvents.readable)], deadline: .after(.milliseconds(500)))
            stopping = InterruptSignals.requested
            while !sink.isDone, let datagram = socket.receiveDatagram(into: &buffer, control: &control) {
                if let dropped = datagram.kernelDrops { drops = dropped }
                number += 1
                var channel = RecordChannel(name: "udp datagram \(number) from \(datagram.peer)", keys: keys)
                guard channel.feed(buffer[..<datagram.count], sink.handle), channel.finish(sink.handle) else { break }
            }
            sink.flush()
        }
        sink.kernelDrops = Int(drops)
    }
}
