import Streams
import Synchronization

/// What a client has done since it was created. A snapshot: read it again for new values.
public struct ClientStatistics: Sendable, Hashable {
    /// Messages encoded and accepted by the stream.
    public var messagesSent: Int
    /// Messages a filter refused.
    public var messagesFiltered: Int
    /// Messages that could not be encoded, that the stream refused, or that a background
    /// producer dropped because its queue was full (``SendError/Code/dropped``).
    public var messagesFailed: Int
    /// Metrics calls skipped by their sample `rate`, and calls of disabled timers.
    public var messagesSkipped: Int
    /// Failures the stream reported after a write returned (a background writer): its
    /// `StreamStatistics/errorsReported`.
    public var streamErrors: Int
    /// Failures not handed to the ``ErrorHandler`` because it was already running on the same
    /// thread: the handler had caused them itself (by logging through this client, say), and
    /// handing them back would recurse without end. Its ``FailureHandler/suppressedCalls``.
    public var errorHandlerRecursions: Int = 0
    /// The stream's own counts.
    public var stream: StreamStatistics
}

/// The client's live counters.
final class ClientCounters: Sendable {
    let sent = Atomic<Int>(0)
    let filtered = Atomic<Int>(0)
    let failed = Atomic<Int>(0)
    let skipped = Atomic<Int>(0)

    func snapshot(stream: StreamStatistics, errorHandler: ErrorHandler) -> ClientStatistics {
        ClientStatistics(
            messagesSent: sent.load(ordering: .relaxed), messagesFiltered: filtered.load(ordering: .relaxed),
            messagesFailed: failed.load(ordering: .relaxed), messagesSkipped: skipped.load(ordering: .relaxed),
            streamErrors: stream.errorsReported, errorHandlerRecursions: errorHandler.suppressedCalls, stream: stream)
    }
}
