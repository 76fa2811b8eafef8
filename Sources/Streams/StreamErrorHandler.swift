import HekaPlatform

/// What a stream does with an error it finds after ``HekaStream/write(_:)`` returned: a
/// background writer losing its connection, one destination of several refusing a datagram.
///
/// A stream gets its handler when it is made and keeps it: a client built on the stream does
/// not replace it, so several clients can share one stream. Every error the stream finds is
/// also counted in ``StreamStatistics/errorsReported``, whatever the handler does. The handler
/// runs on the thread that found the error (a writer thread, the thread that wrote, or the
/// one that released a stream with records still queued) and must not block.
public struct StreamErrorHandler: Sendable {
    private let handle: @Sendable (StreamError) -> Void

    /// Any closure.
    public init(_ handle: @escaping @Sendable (StreamError) -> Void) { self.handle = handle }

    /// Calls the handler.
    public func callAsFunction(_ error: StreamError) { handle(error) }

    /// Ignores errors; they are still counted.
    public static let ignore = StreamErrorHandler { _ in }

    /// The default: one line on standard error, `heka: <what failed>`, at most one line per
    /// `interval` (one second); the next line printed says how many were held back.
    public static func standardError(interval: Duration = .seconds(1)) -> StreamErrorHandler {
        let lines = StandardErrorLines(interval: interval)
        return StreamErrorHandler { lines.write("\($0)") }
    }
}
