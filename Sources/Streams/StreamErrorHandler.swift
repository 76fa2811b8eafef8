import HekaPlatform
import Synchronization

/// What is done with a failure the package reports rather than throws: a closure that runs
/// on the thread that found it and must not block. The package has two:
/// ``StreamErrorHandler`` for a stream's own failures, and the client's `ErrorHandler`.
///
/// **Re-entrancy.** A handler that, while it runs, causes a failure reported to itself on the
/// same thread (it logs through the client whose failures it handles, and that write fails
/// too) would recurse until the stack overflowed. A handler therefore never runs inside
/// itself on one thread: the nested failure is not handed to it, only counted in
/// ``suppressedCalls``. Other threads, and other handlers, are not affected.
public struct FailureHandler<Failure: Error & Sendable>: Sendable {
    private let handle: @Sendable (Failure) -> Void
    /// Identifies the handler for the re-entrancy check, and counts the calls it refused.
    private let guardian: HandlerGuard

    /// Any closure.
    public init(_ handle: @escaping @Sendable (Failure) -> Void) {
        self.handle = handle
        self.guardian = HandlerGuard()
    }

    private init(handle: @escaping @Sendable (Failure) -> Void, guardian: HandlerGuard) {
        self.handle = handle
        self.guardian = guardian
    }

    /// Calls the handler, unless it is already running on this thread: then the failure is
    /// counted in ``suppressedCalls`` and dropped.
    public func callAsFunction(_ failure: Failure) {
        if !runUnlessReentered(for: guardian, { handle(failure) }) {
            guardian.suppressed.add(1, ordering: .relaxed)
        }
    }

    /// Failures not handed to the handler because it was already running on the same thread
    /// (it had caused them itself), since it was made. Copies of a handler, and handlers made
    /// from it with ``adapted(_:)``, share the count.
    public var suppressedCalls: Int { guardian.suppressed.load(ordering: .relaxed) }

    /// A handler for failures of another type that converts each one and hands it to this
    /// handler. It counts as this handler for the re-entrancy check: a failure that reaches
    /// it while this handler runs on the same thread is suppressed.
    public func adapted<Other: Error & Sendable>(
        _ convert: @escaping @Sendable (Other) -> Failure
    ) -> FailureHandler<Other> {
        let handle = self.handle
        return FailureHandler<Other>(handle: { handle(convert($0)) }, guardian: guardian)
    }

    /// Ignores failures; they are still counted.
    public static var ignore: FailureHandler { FailureHandler { _ in } }

    /// The default: one line on standard error, `heka: <what failed>`, at most one line per
    /// `interval` (one second); the next line printed says how many were held back. A
    /// standard error whose reader has gone is ignored (it never raises `SIGPIPE`).
    public static func standardError(interval: Duration = .seconds(1)) -> FailureHandler {
        let lines = StandardErrorLines(interval: interval)
        return FailureHandler { lines.write("\($0)") }
    }
}

/// A handler's identity for the re-entrancy check, and its count of refused calls.
private final class HandlerGuard: Sendable {
    let suppressed = Atomic<Int>(0)
}

/// What a stream does with an error it finds after ``HekaStream/write(_:)`` returned: a
/// background writer losing its connection, one destination of several refusing a datagram.
///
/// A stream gets its handler when it is made and keeps it: a client built on the stream does
/// not replace it, so several clients can share one stream. Every error the stream finds is
/// also counted in ``StreamStatistics/errorsReported``, whatever the handler does. The handler
/// runs on the thread that found the error (a writer thread, the thread that wrote, or the
/// one that released a stream with records still queued) and must not block.
public typealias StreamErrorHandler = FailureHandler<StreamError>
