#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HekaClient
import Logging
import LoopbackSupport
import ServiceLifecycle
import ServiceLifecycleTestKit
import Streams
import Synchronization
import Testing

@testable import HekaServiceLifecycle

/// A stream written outside the Streams module, as a user would: it keeps its records and
/// notes the thread that closed it.
final class RecordingStream: HekaStream {
    private let state = Mutex((records: [[UInt8]](), closedOn: String?.none, closed: false))
    var description: String { "recording" }
    var records: [[UInt8]] { state.withLock { $0.records } }
    var closedOn: String? { state.withLock { $0.closedOn } }

    func write(_ record: [UInt8]) throws(StreamError) {
        try state.withLock { (state) throws(StreamError) in
            guard !state.closed else { throw StreamError(StreamError.Code("recordingClosed"), "recording: closed") }
            state.records.append(record)
        }
    }

    func flush(timeout: Duration) throws(StreamError) {}

    func close(timeout: Duration) throws(StreamError) {
        // The kernel's name of the calling thread.
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8))?
            .trimmingCharacters(in: .newlines)
        state.withLock {
            $0.closed = true
            $0.closedOn = name
        }
    }

    var statistics: StreamStatistics { StreamStatistics(recordsWritten: records.count) }
}

/// Reports collected from any thread.
final class Reports: Sendable {
    private let reports = Mutex<[HekaClientService.ShutdownReport]>([])
    func add(_ report: HekaClientService.ShutdownReport) { reports.withLock { $0.append(report) } }
    var all: [HekaClientService.ShutdownReport] { reports.withLock { $0 } }
}

@Suite struct HekaClientServiceTests {
    @Test("graceful shutdown sends what the TCP queue holds, closes the client, and says it was all delivered")
    func gracefulShutdownDelivers() async throws {
        let listener = try LoopbackTCPListener()
        let client = HekaClient(stream: try TcpStream(host: "127.0.0.1", port: listener.port), errorHandler: .ignore)
        let reports = Reports()
        let service = HekaClientService(client: client, onShutdown: reports.add)
        for index in 0..<100 { client.info("message \(index)") }
        try listener.accept()
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        let bytes = listener.read(count: .max)  // until the client's close ends the connection
        let messages = RecordDecoder.decodeAll(bytes).compactMap { item -> String? in
            guard case .record(let decoded) = item else { return nil }
            return decoded.message.payload
        }
        #expect(messages == (0..<100).map { "message \($0)" })
        let report = try #require(reports.all.first)
        #expect(reports.all.count == 1 && report.delivered)
        #expect(report.statistics.messagesSent == 100 && report.statistics.stream.recordsWritten == 100)
        client.info("after shutdown")
        #expect(client.statistics.messagesFailed == 1)
    }

    @Test("a peer that never comes: the service gives up at its deadline, reports the loss, and returns")
    func undeliverableAtTheDeadline() async throws {
        let port = try ReservedPort(type: Int32(SOCK_STREAM.rawValue)).port  // nobody listens
        let errors = Mutex<[SendError]>([])
        let client = HekaClient(
            stream: try TcpStream(host: "127.0.0.1", port: port, errorHandler: .ignore),
            errorHandler: ErrorHandler { error in errors.withLock { $0.append(error) } })
        let reports = Reports()
        let service = HekaClientService(client: client, shutdownTimeout: .milliseconds(200), onShutdown: reports.add)
        for index in 0..<10 { client.info("lost \(index)") }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        let report = try #require(reports.all.first)
        #expect(!report.delivered)
        #expect(report.statistics.stream.recordsDropped == 10 && report.statistics.stream.recordsQueued == 0)
        #expect(report.duration >= .milliseconds(200) && report.duration < .seconds(5))
        #expect(errors.withLock { $0.map(\.code) } == [.flushFailed])
    }

    @Test("cancelling the service's task closes the client too, off the cooperative pool")
    func cancellationCloses() async throws {
        let stream = RecordingStream()
        let client = HekaClient(stream: stream, errorHandler: .ignore)
        let reports = Reports()
        let service = HekaClientService(client: client, onShutdown: reports.add)
        client.info("before")
        let task = Task { try await service.run() }
        task.cancel()
        try await task.value
        #expect(stream.records.count == 1)
        #expect(stream.closedOn == "heka-close")
        #expect(reports.all.count == 1 && reports.all.first?.delivered == true)
    }

    @Test("in a ServiceGroup, a SIGTERM-style graceful shutdown closes the client")
    func insideAServiceGroup() async throws {
        let stream = RecordingStream()
        let client = HekaClient(stream: stream, errorHandler: .ignore)
        let reports = Reports()
        let group = ServiceGroup(
            services: [HekaClientService(client: client, onShutdown: reports.add)],
            logger: .init(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            client.info("served")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(stream.records.count == 1 && stream.closedOn == "heka-close")
        #expect(reports.all.first?.delivered == true)
    }
}
