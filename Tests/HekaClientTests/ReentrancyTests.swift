import Foundation
import Streams
import Synchronization
import Testing

@testable import HekaClient

/// Error handlers that log through the client whose failures they handle.
@Suite struct ReentrancyTests {
    /// A client whose every write fails: its stream is closed.
    private func failingStream() throws -> DebugCaptureStream {
        let stream = DebugCaptureStream(capacity: 10)
        try stream.close()
        return stream
    }

    @Test("a handler that logs through the same failing client runs once; the recursion is counted")
    func handlerLoggingThroughItsClient() throws {
        let stream = try failingStream()
        let calls = Atomic<Int>(0)
        let client = LockedClient()
        let handler = ErrorHandler { error in
            calls.add(1, ordering: .relaxed)
            // Logging the failure through the same client fails again, on this thread.
            client.value?.error("could not log: \(error)")
        }
        let built = HekaClient(stream: stream, errorHandler: handler)
        client.set(built)
        built.info("first")
        #expect(calls.load(ordering: .relaxed) == 1)
        #expect(built.statistics.errorHandlerRecursions == 1)
        #expect(built.statistics.messagesFailed == 2)
        // The guard is released once the handler returns: the next failure is handled.
        built.info("second")
        #expect(calls.load(ordering: .relaxed) == 2)
        #expect(built.statistics.errorHandlerRecursions == 2)
        #expect(handler.suppressedCalls == 2)
        client.set(nil)
    }

    @Test("the stream's handler made with forStream counts as the client's: no recursion through it either")
    func adaptedHandlerSharesTheGuard() throws {
        let calls = Atomic<Int>(0)
        let streamHandler = LockedValueBox<StreamErrorHandler?>(nil)
        let handler = ErrorHandler { _ in
            calls.add(1, ordering: .relaxed)
            streamHandler.value?(StreamError(.writeFailed, "nested"))
        }
        let adapted = handler.forStream(named: "test://")
        streamHandler.set(adapted)
        adapted(StreamError(.writeFailed, "outer"))
        #expect(calls.load(ordering: .relaxed) == 1)
        #expect(handler.suppressedCalls == 1 && adapted.suppressedCalls == 1)
        streamHandler.set(nil)
    }

    @Test("another handler, logging through a second client, still runs inside the first")
    func otherHandlersRun() throws {
        let inner = Atomic<Int>(0)
        let second = HekaClient(stream: try failingStream(), errorHandler: ErrorHandler { _ in inner.add(1, ordering: .relaxed) })
        let first = HekaClient(stream: try failingStream(), errorHandler: ErrorHandler { _ in second.info("relay") })
        first.info("x")
        #expect(inner.load(ordering: .relaxed) == 1)
        #expect(first.statistics.errorHandlerRecursions == 0 && second.statistics.errorHandlerRecursions == 0)
    }
}

/// The client the handler logs through, set once the client exists.
private final class LockedClient: Sendable {
    private let stored = Mutex<HekaClient?>(nil)
    var value: HekaClient? { stored.withLock { $0 } }
    func set(_ client: HekaClient?) { stored.withLock { $0 = client } }
}

private final class LockedValueBox<Value: Sendable>: Sendable {
    private let stored: Mutex<Value>
    init(_ value: Value) { stored = Mutex(value) }
    var value: Value { stored.withLock { $0 } }
    func set(_ value: Value) { stored.withLock { $0 = value } }
}
