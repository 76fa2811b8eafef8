import HekaPlatform

/// What is done with a failure the package reports rather than throws: a closure that runs
/// on the thread that found it and must not block. The package has two:
/// ``StreamErrorHandler`` for a stream's own failures, and the client's `ErrorHandler`.
public struct FailureHandler<Failure: Error & Sendable>: Sendable {
    private let handle: @Sendable (Failure) -> Void

    /// Any closure.
    public init(_ handle: @escaping @Sendable (Failure) -> Void) { self.handle = handle }

    /// Calls the handler.
    public func callAsFunction(_ failure: Failure) { handle(failure) }

    /// Ignores failures; they are still counted.
    public static var ignore: FailureHandler { FailureHandler { _ in } }

    /// The default: one line on standard error, `heka: <what failed>`, at most one line per
    /// `interval` (one second); the next line printed says how many were held back.
    public static func standardError(interval: Duration = .seconds(1)) -> FailureHandler {
        let lines = StandardErrorLines(interval: interval)
        return FailureHandler { lines.write("\($0)") }
    }
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
