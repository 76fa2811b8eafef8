import HekaClient
import HekaPlatform
import Streams

/// `heka cat --udp`: a UDP socket that decodes each datagram on its own, as hekad's
/// UdpInput does. It asks for a large receive buffer, and the kernel's count of datagrams
/// dropped because that buffer was full (SO_RXQ_OVFL) goes into the summary, so that
/// what a sender sent can be reconciled with what was read.
struct UdpListener {
    private let socket: ListeningSocket
    /// The address bound, with the port the kernel chose for port 0.
    var address: String { socket.address }

    /// The receive buffer asked for; without privileges the kernel caps it at
    /// net.core.rmem_max.
    static let receiveBufferSize: Int32 = 16 << 20

    init(_ endpoint: Endpoint) throws(InputError) {
        do throws(ListenError) {
            socket = try .udp(host: endpoint.host, port: endpoint.port, receiveBufferSize: Self.receiveBufferSize)
        } catch {
            throw InputError(description: "udp \(endpoint): \(error.message)")
        }
    }

    /// Reads datagrams until an interrupt or the session's limit; an interrupt first reads
    /// what the kernel has already queued.
    func run(keys: [HMACSigner]?, into session: CatSession) {
        defer { socket.close() }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var control = [UInt8](repeating: 0, count: 64)
        var number = 0
        var drops: UInt32 = 0
        var stopping = false
        while !stopping && !session.isDone {
            // The timeout bounds the wait when a signal lands just before poll starts.
            _ = waitForEvents([(socket.fd, PollEvents.readable)], deadline: .after(.milliseconds(500)))
            stopping = InterruptSignals.requested
            while !session.isDone, let datagram = socket.receiveDatagram(into: &buffer, control: &control) {
                if let dropped = datagram.kernelDrops { drops = dropped }
                number += 1
                var channel = RecordChannel(name: "udp datagram \(number) from \(datagram.peer)", keys: keys)
                guard channel.feed(buffer[..<datagram.count], session.handle), channel.finish(session.handle) else { break }
            }
            session.flush()
        }
        session.kernelDrops = Int(drops)
    }
}
