#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

@testable import Streams

@Suite("TcpStream")
struct TcpStreamTests {
    static func records(_ range: Range<Int>) -> [[UInt8]] {
        range.map { bytes("record \($0) " + String(repeating: "x", count: $0 % 37) + "\n") }
    }

    @Test func constructionDoesNotConnect() throws {
        let nobody = try ReservedPort()
        let stream = try TcpStream(host: "127.0.0.1", port: nobody.port)
        #expect(stream.description == "tcp://127.0.0.1:\(nobody.port)")
        #expect(stream.statistics == StreamStatistics())
        try stream.flush(timeout: .milliseconds(10))  // nothing accepted, nothing pending
        try stream.close(timeout: .milliseconds(10))
    }

    @Test func tenThousandRecordsArriveInOrderByteExact() throws {
        let listener = try LoopbackTCPListener()
        let stream = try TcpStream(host: "127.0.0.1", port: listener.port)
        let records = Self.records(0..<10_000)
        for record in records { try stream.write(record) }
        try listener.accept()
        let expected = records.flatMap { $0 }
        let received = listener.read(count: expected.count, timeout: .seconds(10))
        #expect(received.count == expected.count)
        #expect(received == expected)
        try stream.flush(timeout: .seconds(5))
        let statistics = stream.statistics
        #expect(statistics.recordsWritten == 10_000)
        #expect(statistics.bytesWritten == expected.count)
        #expect(statistics.recordsQueued == 0)
        #expect(statistics.recordsDropped == 0)
        #expect(statistics.connects == 1)
        try stream.close()
    }

    @Test func flushWaitsForDelivery() throws {
        let listener = try LoopbackTCPListener()
        let stream = try TcpStream(host: "127.0.0.1", port: listener.port)
        let records = Self.records(0..<200)
        for record in records { try stream.write(record) }
        try stream.flush(timeout: .seconds(5))
        // Everything is in the kernel now, before the listener even accepted.
        #expect(stream.statistics.recordsWritten == 200)
        #expect(stream.statistics.recordsQueued == 0)
        try listener.accept()
        #expect(listener.read(count: records.flatMap { $0 }.count) == records.flatMap { $0 })
        try stream.close()
        #expect(streamError { () throws(StreamError) in try stream.write(bytes("late")) }?.code == .closed)
        try stream.close()  // twice is harmless
        try stream.flush(timeout: .zero)
    }

    /// The peer goes away between records (a FIN, or a reset) and comes back on the same
    /// port. Records written during the outage stay queued and are delivered after the
    /// reconnect: none is lost, one error is reported, two connects are counted.
    @Test(arguments: [false, true])
    func reconnectsAfterThePeerGoes(abortive: Bool) throws {
        let listener = try LoopbackTCPListener()
        let port = listener.port
        let errors = ErrorCollector()
        let stream = try TcpStream(host: "127.0.0.1", port: port, errorHandler: errors.handler)

        let before = Self.records(0..<100)
        for record in before { try stream.write(record) }
        try listener.accept()
        #expect(listener.read(count: before.flatMap { $0 }.count) == before.flatMap { $0 })
        try stream.flush(timeout: .seconds(5))
        listener.stop(abortive: abortive)

        let during = Self.records(100..<150)
        for record in during { try stream.write(record) }
        let revived = try LoopbackTCPListener(port: port)
        try revived.accept()
        let expected = during.flatMap { $0 }
        #expect(revived.read(count: expected.count) == expected)
        try stream.flush(timeout: .seconds(5))

        let statistics = stream.statistics
        #expect(statistics.connects == 2)
        #expect(statistics.recordsWritten == 150)
        #expect(statistics.recordsDropped == 0)
        let reported = errors.all
        #expect(reported.count == 1)
        #expect(reported.first?.code == .connectionLost)
        #expect(reported.first?.message.contains(stream.description) == true)
        try stream.close()
    }

    /// The peer stops reading, so the writer blocks in the middle of the stream; then the
    /// peer resets the connection and comes back. Every record its kernel had not
    /// acknowledged whole — those in the sender's kernel, and the one in flight — arrives
    /// whole, from its first byte, on the new connection, followed by the rest in order.
    /// (What the old peer's kernel acknowledged and its program never read is lost with it,
    /// as documented: at most its receive buffer.)
    @Test func resendsTheRecordInFlightWholeOnTheNextConnection() throws {
        let recordSize = 65_536
        func record(_ index: Int) -> [UInt8] {
            let header = bytes("record \(String(repeating: "0", count: 8 - String(index).count))\(index) ")
            return header + [UInt8](repeating: UInt8(65 + index % 26), count: recordSize - header.count)
        }
        // Twice the largest send buffer the kernel may grow to, so that the writer must stall.
        let count = 2 * tcpSendBufferLimit() / recordSize + 16

        let listener = try LoopbackTCPListener(receiveBufferSize: 8_192)
        let port = listener.port
        let errors = ErrorCollector()
        let stream = try TcpStream(host: "127.0.0.1", port: port, queueCapacity: count, errorHandler: errors.handler)
        for index in 0..<count { try stream.write(record(index)) }
        try listener.accept()  // and never read
        let stalled = streamError { () throws(StreamError) in try stream.flush(timeout: .milliseconds(300)) }
        #expect(stalled?.code == .timedOut)
        let sentBefore = stream.statistics.recordsWritten
        try #require(sentBefore < count)
        listener.stop(abortive: true)

        let revived = try LoopbackTCPListener(port: port)
        try revived.accept()
        let first = revived.read(count: recordSize)
        let resumeAt = try #require(Int(String(decoding: first[7..<15], as: UTF8.self)))
        // At most the 8 KiB the old peer's kernel took were lost: no 64 KiB record whole.
        #expect(resumeAt == 0)
        #expect(first == record(resumeAt), "the oldest record not acknowledged is resent whole")
        #expect(stream.recordsResent == sentBefore - resumeAt)
        let rest = revived.read(count: (count - resumeAt - 1) * recordSize, timeout: .seconds(10))
        #expect(rest == (resumeAt + 1..<count).flatMap(record))
        try stream.flush(timeout: .seconds(5))

        let statistics = stream.statistics
        #expect(statistics.recordsWritten == count)
        #expect(statistics.recordsDropped == 0)
        #expect(statistics.connects == 2)
        #expect(errors.all.map(\.code) == [.connectionLost])
        try stream.close()
    }

    @Test func fullQueueDropsAndCounts() throws {
        let nobody = try ReservedPort()
        let errors = ErrorCollector()
        let stream = try TcpStream(host: "127.0.0.1", port: nobody.port, queueCapacity: 10, errorHandler: errors.handler)
        var full = 0
        for index in 0..<15 {
            do { try stream.write(bytes("record \(index)")) } catch {
                #expect(error.code == .queueFull)
                full += 1
            }
        }
        #expect(full == 5)
        #expect(stream.statistics.recordsDropped == 5)
        #expect(stream.statistics.recordsQueued == 10)
        // The writer's first connect is refused: reported once for the whole outage.
        #expect(errors.waitForError())
        // While flush waits (and times out), the writer retries: 50, 100 ms backoff, more
        // refused connects, still the same outage.
        #expect(streamError { () throws(StreamError) in try stream.flush(timeout: .milliseconds(300)) }?.code == .timedOut)
        let reported = errors.all
        #expect(reported.count == 1)
        #expect(reported.first?.code == .connectFailed)
        #expect(reported.first?.message.contains("Connection refused") == true)
        _ = try? stream.close(timeout: .zero)
        #expect(stream.statistics.recordsDropped == 15)
    }

    @Test func closeWithDeadlineDropsWhatIsQueued() throws {
        let nobody = try ReservedPort()
        let stream = try TcpStream(host: "127.0.0.1", port: nobody.port)
        for index in 0..<7 { try stream.write(bytes("record \(index)")) }
        let error = streamError { () throws(StreamError) in try stream.close(timeout: .milliseconds(100)) }
        #expect(error?.code == .timedOut)
        #expect(error?.message.contains("7 records") == true)
        let statistics = stream.statistics
        #expect(statistics.recordsDropped == 7)
        #expect(statistics.recordsQueued == 0)
        #expect(statistics.recordsWritten == 0)
        #expect(statistics.connects == 0)
        #expect(streamError { () throws(StreamError) in try stream.write(bytes("late")) }?.code == .closed)
    }

    @Test func flushTimesOutWhileNobodyListens() throws {
        let nobody = try ReservedPort()
        let stream = try TcpStream(host: "127.0.0.1", port: nobody.port)
        for index in 0..<3 { try stream.write(bytes("record \(index)")) }
        let error = streamError { () throws(StreamError) in try stream.flush(timeout: .milliseconds(50)) }
        #expect(error?.code == .timedOut)
        #expect(error?.message == "\(stream): flush timed out after 50 ms with 3 records pending")
        _ = try? stream.close(timeout: .zero)
    }

    @Test func invalidArgumentsAreRejected() {
        for port in [0, 65_536] {
            #expect(
                streamError { () throws(StreamError) in _ = try TcpStream(host: "127.0.0.1", port: port) }?.code
                    == .invalidConfiguration)
        }
        #expect(
            streamError { () throws(StreamError) in _ = try TcpStream(host: "127.0.0.1", port: 5565, queueCapacity: 0) }?
                .code == .invalidConfiguration)
        let backoff = TcpStream.ReconnectBackoff(initial: .seconds(3), maximum: .seconds(1))
        #expect(
            streamError { () throws(StreamError) in
                _ = try TcpStream(host: "127.0.0.1", port: 5565, reconnectBackoff: backoff)
            }?.code == .invalidConfiguration)
        let unresolved = streamError { () throws(StreamError) in _ = try TcpStream(host: "no-such-host.invalid", port: 5565) }
        #expect(unresolved?.code == .resolveFailed)
        #expect(unresolved?.message.contains("no-such-host.invalid") == true)
    }
}
