#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Testing

@testable import Streams

/// A peer that reads a while and then resets or closes the connection: the records its
/// kernel had not acknowledged are sent again on the next connection, so what is lost is only
/// what its kernel acknowledged and its program never read, at most its receive buffer.
@Suite struct TcpLossTests {
    static let recordSize = 1_000

    /// Record `index`: the separator 0x1E, the index in 4 bytes, then filler.
    static func record(_ index: Int) -> [UInt8] {
        [0x1E, UInt8(index >> 24 & 0xFF), UInt8(index >> 16 & 0xFF), UInt8(index >> 8 & 0xFF), UInt8(index & 0xFF)]
            + [UInt8](repeating: UInt8(65 + index % 26), count: recordSize - 5)
    }

    /// The indices of the whole records in `bytes`, which starts at a record's first byte.
    static func indices(_ bytes: [UInt8]) throws -> [Int] {
        try #require(bytes.count % recordSize == 0, "\(bytes.count) bytes are not whole records")
        return try stride(from: 0, to: bytes.count, by: recordSize).map { start in
            let index = Int(bytes[start + 1]) << 24 | Int(bytes[start + 2]) << 16 | Int(bytes[start + 3]) << 8
                | Int(bytes[start + 4])
            try #require(Array(bytes[start..<start + recordSize]) == record(index), "record \(index) arrived damaged")
            return index
        }
    }

    /// What `fd` holds now, read without waiting.
    static func drain(_ fd: Int32) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count > 0 else { return received }
            received += buffer[..<count]
        }
    }

    @Test("flush waits until the peer's kernel acknowledged every record, not only until the kernel took them")
    func flushWaitsForAcknowledgement() throws {
        let listener = try LoopbackTCPListener(receiveBufferSize: 4_096)
        let stream = try TcpStream(host: "127.0.0.1", port: listener.port)
        // More than the peer's receive window, less than the sender's first send buffer.
        let records = (0..<12).map(Self.record)
        for record in records { try stream.write(record) }
        try listener.accept()
        let stalled = streamError { () throws(StreamError) in try stream.flush(timeout: .milliseconds(300)) }
        #expect(stalled?.code == .timedOut)
        #expect(stalled?.message.contains("not yet acknowledged by the peer") == true)
        #expect(listener.read(count: records.count * Self.recordSize) == records.flatMap { $0 })
        try stream.flush(timeout: .seconds(10))
        try stream.close()
    }

    /// The peer reads `read` records, then stops reading and, once its receive buffer is
    /// full, resets (or closes) the connection; a new peer on the same port reads the rest.
    @Test("a peer that reads, then resets or closes: the unacknowledged records are resent; the loss is bounded by its receive buffer",
          arguments: [true, false])
    func peerThatStopsLosesOnlyWhatItsKernelHeld(abortive: Bool) throws {
        let total = 600
        let read = 150
        let listener = try LoopbackTCPListener(receiveBufferSize: 4_096)
        let port = listener.port
        let errors = ErrorCollector()
        let stream = try TcpStream(host: "127.0.0.1", port: port, queueCapacity: total, errorHandler: errors.handler)
        for index in 0..<total { try stream.write(Self.record(index)) }
        try listener.accept()
        let first = try Self.indices(listener.read(count: read * Self.recordSize))
        #expect(first == Array(0..<read))
        // What the peer's kernel may hold unread when it goes: its receive buffer.
        var receiveBuffer: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        try check(getsockopt(listener.connection, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, &length) == 0, "SO_RCVBUF")
        // Wait until the writer is stalled on the peer's full window, then go.
        let stalled = streamError { () throws(StreamError) in try stream.flush(timeout: .milliseconds(300)) }
        #expect(stalled?.code == .timedOut)
        listener.stop(abortive: abortive)

        let revived = try LoopbackTCPListener(port: port)
        try revived.accept()
        let flushed = FlushInBackground(stream)
        var second: [UInt8] = []
        while !flushed.isDone {
            second += revived.read(count: 65_536, timeout: .milliseconds(50))
        }
        // Acknowledged, so already here.
        second += Self.drain(revived.connection)
        #expect(flushed.succeeded)
        let rest = try Self.indices(second)
        let resent = stream.recordsResent

        // The first record of the new connection is the oldest its old peer's kernel had
        // not acknowledged; from there every record arrives once, in order.
        let resumeAt = try #require(rest.first)
        #expect(rest == Array(resumeAt..<total))
        #expect(resent > 0)
        #expect(stream.statistics.recordsResent == resent)  // what a client's statistics show
        let lost = resumeAt - read
        #expect(lost >= 0)
        #expect(lost <= Int(receiveBuffer) / Self.recordSize + 1,
                "lost \(lost) records, more than the \(receiveBuffer)-byte receive buffer holds")
        #expect(stream.statistics.recordsDropped == 0)
        #expect(stream.statistics.connects == 2)
        #expect(errors.all.map(\.code) == [.connectionLost])
        try stream.close()
    }
}

/// `flush` with a generous deadline, on a thread of its own.
final class FlushInBackground: Sendable {
    private let result = LockedResult()

    init(_ stream: TcpStream) {
        Thread { [result] in
            result.set((try? stream.flush(timeout: .seconds(20))) != nil)
        }.start()
    }

    var isDone: Bool { result.value != nil }
    var succeeded: Bool { result.value == true }
}

final class LockedResult: Sendable {
    private let stored = Mutex<Bool?>(nil)
    var value: Bool? { stored.withLock { $0 } }
    func set(_ value: Bool) { stored.withLock { $0 = value } }
}
