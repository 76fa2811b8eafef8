/// A byte sink for encoded Heka records.
///
/// A stream knows nothing about messages: it receives one complete record at a time
/// (a framed protobuf record or one JSON line) and delivers its bytes. Streams are
/// reference types shared by every thread that logs through a client, so each
/// implementation does its own locking and must be safe to call from many threads at once.
///
/// Errors that happen while `write(_:)` runs are thrown to the caller (the client turns them
/// into counters and an error-handler call; they never reach the host program). Errors that
/// happen later, on a background writer, go to the ``StreamErrorHandler`` the stream was
/// made with, and are counted in ``StreamStatistics/errorsReported``. Nothing outside the
/// stream changes where they go: a client built on a stream leaves it as it is.
///
/// To write a stream of your own, conform to this protocol and throw ``StreamError``s: use
/// its codes where they fit and make your own (`StreamError.Code("rateLimited")`) where
/// they do not.
///
/// The protocol is named `HekaStream` rather than `Stream` so that it does not collide with
/// Foundation's `Stream` class in files that import both.
public protocol HekaStream: AnyObject, Sendable, CustomStringConvertible {
    /// Writes one record. Either the whole record is handed to the transport (or queued for
    /// it) or an error is thrown; a record is never cut.
    func write(_ record: [UInt8]) throws(StreamError)

    /// Waits until every record accepted so far has been handed to the transport, or until
    /// `timeout` passes. Throws ``StreamError/Code/timedOut`` in the second case.
    func flush(timeout: Duration) throws(StreamError)

    /// Flushes with `timeout`, then releases the transport. Records written after `close`
    /// fail with ``StreamError/Code/closed``. Closing twice is harmless.
    func close(timeout: Duration) throws(StreamError)

    /// Counts of what this stream delivered, failed and dropped since it was created.
    var statistics: StreamStatistics { get }

    /// The largest record the stream can deliver whole, or `nil` when it has no such limit.
    /// Producers of large messages (the raven plugin) fit their records under it. Default:
    /// `nil`.
    var maxRecordSize: Int? { get }
}

extension HekaStream {
    /// Flushes with a timeout of five seconds.
    public func flush() throws(StreamError) { try flush(timeout: .seconds(5)) }

    /// Closes with a timeout of five seconds.
    public func close() throws(StreamError) { try close(timeout: .seconds(5)) }

    public var maxRecordSize: Int? { nil }
}
