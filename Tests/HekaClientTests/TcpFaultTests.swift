#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopbackSupport
import Streams
import Synchronization
import Testing

@testable import HekaClient

/// A TCP peer that goes away, reads slowly or never reads: what is delivered, what is
/// dropped, and that every dropped message is counted and reported, to the message.
@Suite struct TcpFaultTests {
    /// Short reconnect delays, so that a test waits little for the writer's next attempt.
    static let quickBackoff = TcpStream.ReconnectBackoff(initial: .milliseconds(10), maximum: .milliseconds(100))

    /// Records of about 16 KiB: few enough messages fill the kernel's buffers.
    static let padding = 16_384

    /// More messages of `padding` bytes than the kernel's buffers of a connection hold, so
    /// that a writer to a peer that does not read stalls with records left over.
    static let moreThanTheKernelHolds = 2 * tcpSendBufferLimit() / padding + 64

    /// The codes of the stream errors behind `errors`, one per error, with the client's code.
    static func codes(_ errors: [SendError]) -> [String] {
        errors.map { "\($0.code)/\(($0.underlying as? StreamError)?.code.description ?? "?")" }
    }

    /// The peer goes away (a FIN, or a reset) between messages and comes back on the same
    /// port. Messages sent meanwhile wait in the queue, which holds 50: those 50 arrive after
    /// the reconnect, in order; the other 50 are refused at once, each counted and reported.
    @Test("TCP peer gone and back on the same port: the queue is delivered, the overflow counted, to the message",
          arguments: [false, true])
    func peerGoesAndComesBack(abortive: Bool) throws {
        let listener = try LoopbackTCPListener()
        let errors = ErrorLog()
        let stream = try TcpStream(host: "127.0.0.1", port: listener.port, queueCapacity: 50,
                                   reconnectBackoff: Self.quickBackoff,
                                   errorHandler: errors.handler.forStream(named: "tcp://127.0.0.1:\(listener.port)"))
        let client = HekaClient(stream: stream, errorHandler: errors.handler)

        NumberedMessages.send(client, 0..<40)
        try listener.accept()
        #expect(client.flush())
        let before = NumberedMessages.arrival(listener.read(count: client.statistics.stream.bytesWritten))
        listener.stop(abortive: abortive)

        NumberedMessages.send(client, 40..<140)
        let during = client.statistics
        #expect(during.messagesSent == 90 && during.messagesFailed == 50)
        #expect(during.stream.recordsQueued == 50 && during.stream.recordsDropped == 50)

        let revived = try LoopbackTCPListener(port: listener.port)
        try revived.accept()
        #expect(client.close())
        let after = NumberedMessages.arrival(revived.read(count: .max))  // until the client closes

        #expect(before.seqs == [Array(0..<40)] && before.problems.isEmpty && before.tail == nil)
        #expect(after.seqs == [Array(40..<90)] && after.problems.isEmpty && after.tail == nil)
        let statistics = client.statistics
        #expect(statistics.messagesSent == 90 && statistics.messagesFailed == 50 && statistics.streamErrors == 1)
        #expect(statistics.stream == StreamStatistics(
            recordsWritten: 90, bytesWritten: statistics.stream.bytesWritten, recordsDropped: 50, connects: 2,
            errorsReported: 1))
        let reported = Self.codes(errors.all)
        #expect(reported.filter { $0 == "writeFailed/queueFull" }.count == 50)
        #expect(reported.filter { $0 == "streamFailed/connectionLost" }.count == 1)
        #expect(reported.count == 51)
        #expect(before.count + after.count + statistics.stream.recordsDropped == 140)
    }

    /// The peer accepts and does not read. The caller's sends return at once: once the
    /// kernel's buffers and the queue are full, each further message is refused, counted and
    /// reported. Then the peer reads everything: exactly the accepted messages arrive, in
    /// order, and none of the refused ones.
    @Test("a TCP peer that does not read: sending never waits; what the queue cannot hold is counted and reported")
    func peerThatDoesNotRead() throws {
        let listener = try LoopbackTCPListener(receiveBufferSize: 8_192)
        let errors = ErrorLog()
        let capacity = 64
        let stream = try TcpStream(host: "127.0.0.1", port: listener.port, queueCapacity: capacity)
        let client = HekaClient(stream: stream, errorHandler: errors.handler)
        let count = Self.moreThanTheKernelHolds + capacity
        NumberedMessages.send(client, 0..<1, padding: Self.padding)
        try listener.accept()  // and do not read
        // One sender, so the failure count going up after a message tells that it was refused.
        let accepted = Mutex<[Int]>([0])
        onThreads(1, timeout: .seconds(60)) { _ in
            for seq in 1..<count {
                let failedBefore = client.statistics.messagesFailed
                NumberedMessages.send(client, seq..<seq + 1, padding: Self.padding)
                if client.statistics.messagesFailed == failedBefore { accepted.withLock { $0.append(seq) } }
            }
        }

        let stalled = client.statistics
        #expect(stalled.messagesSent + stalled.messagesFailed == count)
        #expect(stalled.messagesFailed > 0, "the kernel and the queue held every message")
        #expect(stalled.stream.recordsDropped == stalled.messagesFailed)
        #expect(stalled.stream.recordsWritten + stalled.stream.recordsQueued == stalled.messagesSent)
        #expect(stalled.stream.recordsQueued <= capacity)
        #expect(Self.codes(errors.all) == Array(repeating: "writeFailed/queueFull", count: stalled.messagesFailed))

        let (closed, bytes) = try listener.read(whileRunning: { client.close(timeout: .seconds(30)) })
        #expect(closed)
        let arrival = NumberedMessages.arrival(bytes, padding: Self.padding)
        #expect(arrival.problems.isEmpty && arrival.tail == nil)
        let acceptedSeqs = accepted.withLock { $0 }
        #expect(acceptedSeqs.count == stalled.messagesSent)
        #expect(arrival.seqs == [acceptedSeqs], "every accepted message, once, in order; no refused one")
        let statistics = client.statistics
        #expect(statistics.stream.recordsWritten == stalled.messagesSent)
        #expect(statistics.stream.recordsDropped == stalled.messagesFailed)
        #expect(arrival.count + statistics.stream.recordsDropped == count)
    }

    /// `close` with a deadline while the peer does not read: it returns once the deadline
    /// passed, and reports exactly how many accepted messages it dropped. Everything it
    /// counts as written does reach the peer when the peer reads at last, followed by at most
    /// the cut-off start of the record that was being sent (one of those dropped).
    @Test("close with a deadline against a peer that never reads: returns, and reports exactly what was not delivered")
    func closeDeadlineWithPeerThatNeverReads() throws {
        let listener = try LoopbackTCPListener(receiveBufferSize: 8_192)
        let errors = ErrorLog()
        let count = Self.moreThanTheKernelHolds
        let stream = try TcpStream(host: "127.0.0.1", port: listener.port, queueCapacity: count)
        let client = HekaClient(stream: stream, errorHandler: errors.handler)
        NumberedMessages.send(client, 0..<count, padding: Self.padding)
        try listener.accept()  // and do not read
        #expect(client.statistics.messagesSent == count)

        let closed = Atomic<Bool>(true)
        onThreads(1, timeout: .seconds(10)) { _ in
            closed.store(client.close(timeout: .milliseconds(200)), ordering: .relaxed)
        }
        let closedCleanly = closed.load(ordering: .relaxed)
        #expect(!closedCleanly)
        let statistics = client.statistics.stream
        #expect(statistics.recordsDropped > 0)
        #expect(statistics.recordsWritten + statistics.recordsDropped == count)
        #expect(statistics.recordsQueued == 0)
        let reported = errors.all
        #expect(Self.codes(reported) == ["flushFailed/timedOut"])
        let report = reported.first?.description ?? ""
        // The records in the kernel's buffers, not acknowledged by the peer, are named too.
        #expect(report.hasPrefix("\(stream): close timed out after ") && report.contains(
            " ms; \(statistics.recordsDropped) records still pending were dropped; ")
            && report.hasSuffix(" not yet acknowledged by the peer (timedOut)"), "\(report)")

        let arrival = NumberedMessages.arrival(listener.read(count: .max), padding: Self.padding)  // until EOF
        #expect(arrival.problems.isEmpty)
        #expect(arrival.seqs == [Array(0..<statistics.recordsWritten)])
        #expect(arrival.tail == nil || arrival.tail?.code == .incompleteRecord)
    }
}
