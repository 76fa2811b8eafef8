/// Bytes received by a streaming decoder and not yet consumed.
///
/// Consumed bytes are dropped once they are half the buffer, so appending stays amortised
/// O(1) and memory stays proportional to what is pending.
struct InputBuffer: Sendable {
    /// The buffer; the unread bytes are `bytes[start...]`.
    private(set) var bytes: [UInt8] = []
    /// Index in ``bytes`` of the first unread byte.
    var start = 0
    /// How many bytes were dropped from the front: `bytes[i]` is input byte `consumed + i`.
    private(set) var consumed = 0

    /// Adds input, first dropping consumed bytes when they are half the buffer.
    mutating func append(_ input: some Sequence<UInt8>) {
        if start > 0 && start >= bytes.count / 2 {
            bytes.removeSubrange(0..<start)
            consumed += start
            start = 0
        }
        bytes.append(contentsOf: input)
    }

    /// Adds one byte without compacting.
    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    /// The number of unread bytes.
    var unreadCount: Int { bytes.count - start }
}
