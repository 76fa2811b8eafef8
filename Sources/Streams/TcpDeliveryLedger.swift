import DequeModule

/// The records handed to the kernel on the current connection that its peer's kernel may not
/// have acknowledged yet: what ``TcpWriter`` sends again when the connection breaks.
///
/// Every record is kept with the connection's byte offset just past its last byte. The
/// writer asks the kernel how many bytes the peer acknowledged (`TCP_INFO`) every
/// ``checkEveryRecords`` records or ``checkEveryBytes`` bytes, and while it is idle, and
/// forgets the records acknowledged whole. So the ledger holds at most what the kernel's send
/// buffer holds, plus one check's worth. It belongs to the writer thread alone.
struct TcpDeliveryLedger {
    /// How often, in records and in bytes, the writer asks the kernel what was acknowledged.
    static let checkEveryRecords = 1024
    static let checkEveryBytes = 1 << 20

    private var records = Deque<(record: [UInt8], end: Int)>()
    /// Bytes handed to the kernel on this connection.
    private var sent = 0
    /// The ledger's size after the last check: the next is due this far beyond it.
    private var countAtCheck = 0
    private var sentAtCheck = 0

    /// Records kept (handed to the kernel and not known to be acknowledged).
    var count: Int { records.count }
    var isEmpty: Bool { records.isEmpty }

    /// Notes `record` as handed to the kernel; returns whether a check is due.
    mutating func append(_ record: [UInt8]) -> Bool {
        sent += record.count
        records.append((record, sent))
        return records.count >= countAtCheck + Self.checkEveryRecords || sent >= sentAtCheck + Self.checkEveryBytes
    }

    /// Forgets the records whose every byte is among the first `acknowledged` bytes.
    mutating func acknowledge(through acknowledged: Int) {
        while let first = records.first, first.end <= acknowledged { records.removeFirst() }
        countAtCheck = records.count
        sentAtCheck = sent
    }

    /// The records not acknowledged whole, oldest first (all of them when `acknowledged` is
    /// unknown), and empties the ledger for the next connection.
    mutating func takeUnacknowledged(acknowledged: Int?) -> [[UInt8]] {
        acknowledge(through: acknowledged ?? 0)
        defer { self = TcpDeliveryLedger() }
        return records.map(\.record)
    }
}
