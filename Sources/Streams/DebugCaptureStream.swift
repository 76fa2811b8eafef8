import DequeModule
import HekaPlatform

/// Keeps the last records written in memory, for tests and debugging.
///
/// A ring of ``capacity`` records: when it is full, writing a record drops the oldest one.
/// Dropping is the purpose of the ring, so it is not counted as a failure or a drop in
/// ``statistics`` (which counts every record ever written). Thread-safe: any number of
/// threads may write and read at once.
///
/// After ``close(timeout:)`` writes fail with ``StreamError/Code/closed`` but the captured
/// records stay readable.
public final class DebugCaptureStream: HekaStream {
    private struct State: Sendable {
        var ring: Deque<[UInt8]>
        var statistics = StreamStatistics()
        var closed = false
    }

    /// The most records the stream keeps.
    public let capacity: Int
    private let state: ConditionLock<State>

    /// Creates an empty capture.
    ///
    /// - Parameter capacity: How many of the most recent records to keep. Defaults to `100`.
    ///   Must be positive.
    public init(capacity: Int = 100) {
        precondition(capacity > 0, "DebugCaptureStream capacity must be positive, got \(capacity)")
        self.capacity = capacity
        self.state = ConditionLock(State(ring: Deque(minimumCapacity: min(capacity, 128))))
    }

    /// `debug-capture` with the capacity, e.g. `debug-capture(100)`.
    public var description: String { "debug-capture(\(capacity))" }

    /// The records held, oldest first.
    public var records: [[UInt8]] {
        state.withLock { Array($0.ring) }
    }

    /// How many records are held (at most ``capacity``).
    public var count: Int {
        state.withLock { $0.ring.count }
    }

    /// The most recent record, or `nil` when none is held.
    public var last: [UInt8]? {
        state.withLock { $0.ring.last }
    }

    /// Forgets every record held. ``statistics`` are kept.
    public func removeAll() {
        state.withLock { $0.ring.removeAll() }
    }

    /// Stores a copy of the record, dropping the oldest one if the ring is full. Throws
    /// ``StreamError/Code/closed`` after ``close(timeout:)``.
    public func write(_ record: [UInt8]) throws(StreamError) {
        try state.withLock { (state) throws(StreamError) -> Void in
            guard !state.closed else {
                throw StreamError(.closed, "\(description): write after close")
            }
            if state.ring.count == capacity { state.ring.removeFirst() }
            state.ring.append(record)
            state.statistics.recordsWritten += 1
            state.statistics.bytesWritten += record.count
        }
    }

    /// Does nothing: records are stored as they are written.
    public func flush(timeout: Duration) throws(StreamError) {}

    /// Makes later writes fail with ``StreamError/Code/closed``; the records stay readable.
    /// Closing twice is harmless.
    public func close(timeout: Duration) throws(StreamError) {
        state.withLock { $0.closed = true }
    }

    /// Every record written (including those since dropped from the ring) and their bytes.
    public var statistics: StreamStatistics {
        state.withLock { $0.statistics }
    }
}
