#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Streams
@_exported import LoopbackSupport

// Loopback helpers for the stream tests. Every socket binds port 0 (an ephemeral port the
// kernel picks) and reads the port back with getsockname; every wait is a blocking call
// bounded by SO_RCVTIMEO or a semaphore timeout, never a fixed pause.

/// Collects the errors a stream reports, and lets a test wait for the first one.
final class ErrorCollector: Sendable {
    private let errors = Mutex<[StreamError]>([])
    private let arrived = DispatchSemaphore(value: 0)

    /// A handler to make a stream with.
    var handler: StreamErrorHandler {
        StreamErrorHandler { [self] error in
            errors.withLock { $0.append(error) }
            arrived.signal()
        }
    }

    /// Every error reported so far.
    var all: [StreamError] { errors.withLock { $0 } }

    /// Waits up to `timeout` for an error to be reported; `false` if none was.
    func waitForError(timeout: Duration = .seconds(5)) -> Bool {
        let nanoseconds = Int(LoopbackSupport.nanoseconds(of: timeout))
        return arrived.wait(timeout: .now() + .nanoseconds(nanoseconds)) == .success
    }
}

/// A fresh, empty temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("streams-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
}

/// The bytes of `text`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Runs `body` and returns the `StreamError` it threw, or records an issue if it threw none.
func streamError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws(StreamError) -> Void
) -> StreamError? {
    do {
        try body()
    } catch {
        return error
    }
    Issue.record("expected a StreamError, got none", sourceLocation: sourceLocation)
    return nil
}
