#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopbackSupport
import Streams
import Testing

@testable import HekaClient

/// Many threads logging through one client at once, into a real file and over a real TCP
/// connection: every record decodes, none is missing or duplicated, each thread's messages
/// keep their order, and the counters agree with what arrived.
@Suite struct LoadTests {
    static let threads = 8
    static let messagesPerThread = 20_000
    static let total = threads * messagesPerThread

    /// Sends `messagesPerThread` numbered messages from each of `threads` threads at once.
    static func sendFromEveryThread(_ client: HekaClient, sourceLocation: SourceLocation = #_sourceLocation) {
        onThreads(threads, timeout: .seconds(120), sourceLocation: sourceLocation) { thread in
            NumberedMessages.send(client, thread: thread, 0..<messagesPerThread)
        }
    }

    /// Expects every message of every thread exactly once in `bytes`, each thread's in the
    /// order it sent them, and nothing else.
    static func expectEveryMessageOnceInOrder(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let arrival = NumberedMessages.arrival(bytes, threads: threads)
        #expect(arrival.problems.isEmpty, "\(arrival.problems.count) problems, the first: \(arrival.problems.prefix(5))",
                sourceLocation: sourceLocation)
        #expect(arrival.tail == nil, sourceLocation: sourceLocation)
        #expect(arrival.count == total, sourceLocation: sourceLocation)
        for (thread, seqs) in arrival.seqs.enumerated() where seqs != Array(0..<messagesPerThread) {
            let missing = Set(0..<messagesPerThread).subtracting(seqs).count
            Issue.record("thread \(thread): \(seqs.count) messages arrived, \(missing) missing, or out of order",
                         sourceLocation: sourceLocation)
        }
    }

    /// As for TCP below, the writer thread's queue has room for every message, so a message
    /// missing here would be one the writer lost, not one dropped for want of room.
    @Test("file: 8 threads × 20,000 messages, each decoded once, each thread's in order")
    func file() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heka-load-\(UUID().uuidString).log").path
        defer { unlink(path) }
        let errors = ErrorLog()
        let client = HekaClient(stream: try FileStream(path: path, queueCapacity: Self.total), errorHandler: errors.handler)
        Self.sendFromEveryThread(client)
        #expect(client.close(timeout: .seconds(60)))

        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        Self.expectEveryMessageOnceInOrder(bytes)
        let statistics = client.statistics
        #expect(statistics.messagesSent == Self.total)
        #expect(statistics.messagesFailed == 0 && statistics.streamErrors == 0)
        #expect(statistics.stream == StreamStatistics(recordsWritten: Self.total, bytesWritten: bytes.count))
        #expect(errors.all.isEmpty)
    }

    /// The queue has room for every message, so none can be dropped for want of room: a
    /// message missing here would be one the writer lost.
    @Test("TCP: 8 threads × 20,000 messages to a loopback reader, each decoded once, each thread's in order")
    func tcp() throws {
        let listener = try LoopbackTCPListener()
        let errors = ErrorLog()
        let stream = try TcpStream(host: "127.0.0.1", port: listener.port, queueCapacity: Self.total)
        let client = HekaClient(stream: stream, errorHandler: errors.handler)
        let (closed, bytes) = try listener.read(whileRunning: {
            Self.sendFromEveryThread(client)
            return client.close(timeout: .seconds(60))
        })
        #expect(closed)
        Self.expectEveryMessageOnceInOrder(bytes)
        let statistics = client.statistics
        #expect(statistics.messagesSent == Self.total)
        #expect(statistics.messagesFailed == 0 && statistics.streamErrors == 0)
        #expect(statistics.stream == StreamStatistics(recordsWritten: Self.total, bytesWritten: bytes.count, connects: 1))
        #expect(errors.all.isEmpty)
    }
}
