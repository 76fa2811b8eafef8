/// What a stream has done since it was created. A snapshot: read it again for new values.
public struct StreamStatistics: Sendable, Hashable {
    /// Records handed whole to the transport (the file, the socket, the capture buffer).
    public var recordsWritten: Int = 0
    /// Bytes of those records.
    public var bytesWritten: Int = 0
    /// Records the transport refused (a failed `write`/`send`, a record too large).
    public var recordsFailed: Int = 0
    /// Records accepted but then lost: dropped from a full queue, or still queued when a
    /// `close` deadline passed.
    public var recordsDropped: Int = 0
    /// Records accepted and not yet handed to the transport (background writers only).
    public var recordsQueued: Int = 0
    /// Connections made by a connection-oriented stream, the first one included.
    public var connects: Int = 0
    /// Errors found after a write returned and handed to the stream's
    /// ``StreamErrorHandler`` (a lost connection, one destination of several refusing).
    public var errorsReported: Int = 0
    /// Sends to one destination of several that failed while the record still reached
    /// another (a UDP stream's `destinationFailures`; 0 for other streams).
    public var destinationFailures: Int = 0
    /// Reports from a destination that datagrams sent to it were not delivered, usually
    /// because nothing listens on its port (a UDP stream's `unreachableReports`; 0 for other
    /// streams).
    public var unreachableReports: Int = 0
    /// Times a file stream reopened its file: because its path had come to name another
    /// file (rotated: renamed away and recreated, or removed), or because
    /// `FileDescriptorStream.reopen()` asked it to (0 for other streams).
    public var reopens: Int = 0
    /// Errors not handed to the stream's ``StreamErrorHandler`` because that handler was
    /// already running on the same thread and had caused them itself: its
    /// ``FailureHandler/suppressedCalls`` (standard-output, file and UDP streams; 0 for
    /// others).
    public var errorHandlerRecursions: Int = 0
    /// Records sent again on a new connection because the peer's kernel had not acknowledged
    /// them when the old connection broke; ``recordsWritten`` counts each such record once,
    /// when it is finally written (a TCP stream's `recordsResent`; 0 for other streams).
    public var recordsResent: Int = 0

    public init(
        recordsWritten: Int = 0, bytesWritten: Int = 0, recordsFailed: Int = 0,
        recordsDropped: Int = 0, recordsQueued: Int = 0, connects: Int = 0, errorsReported: Int = 0,
        destinationFailures: Int = 0, unreachableReports: Int = 0, reopens: Int = 0, errorHandlerRecursions: Int = 0,
        recordsResent: Int = 0
    ) {
        self.recordsWritten = recordsWritten
        self.bytesWritten = bytesWritten
        self.recordsFailed = recordsFailed
        self.recordsDropped = recordsDropped
        self.recordsQueued = recordsQueued
        self.connects = connects
        self.errorsReported = errorsReported
        self.destinationFailures = destinationFailures
        self.unreachableReports = unreachableReports
        self.reopens = reopens
        self.errorHandlerRecursions = errorHandlerRecursions
        self.recordsResent = recordsResent
    }
}
