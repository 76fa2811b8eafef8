/// Writes protobuf wire data into a buffer whose size was computed beforehand.
///
/// The encoders size every record exactly first (``ProtobufSize``), allocate once, and then
/// write through this cursor: no growth, no copies, no intermediate wire structs. Its
/// methods are small and on every record's path, so they are always inlined.
///
/// This is the one type that stores through a raw pointer, and it knows the buffer's
/// capacity: every store is checked against it first in debug builds (so in `swift test`),
/// where a sizing bug traps at the first byte out of bounds, before it is written. Release
/// builds leave the checks out (`assert`): kept there, as a `precondition` or as a `Span`'s
/// always-on bounds check, they cost a quarter more instructions a record (encoding the
/// typical message: 3,094 against 2,477). What stays in release is ``finish()``, the check
/// that the buffer was filled exactly.
struct ProtobufWriter: ~Copyable {
    /// `nil` only for an empty buffer.
    private let baseAddress: UnsafeMutablePointer<UInt8>?
    private(set) var offset: Int
    /// The buffer's size in bytes: no store goes at or past it.
    let capacity: Int

    /// A writer over all of `buffer`, from its first byte.
    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.init(baseAddress: buffer.baseAddress, capacity: buffer.count)
    }

    private init(baseAddress: UnsafeMutablePointer<UInt8>?, capacity: Int) {
        self.baseAddress = baseAddress
        self.offset = 0
        self.capacity = capacity
    }

    /// The buffer's first byte, for the stores: each comes after a capacity check, which
    /// no store into an empty buffer (the one without an address) passes.
    @inline(__always)
    private var base: UnsafeMutablePointer<UInt8> { baseAddress.unsafelyUnwrapped }

    /// Bytes still free.
    var remaining: Int { capacity &- offset }

    /// Checks, in debug builds, that `count` more bytes fit.
    @inline(__always)
    private func checkRoom(_ count: Int) {
        assert(count <= remaining,
               "protobuf writer: \(count) more bytes at offset \(offset) overrun the \(capacity)-byte buffer")
    }

    /// One byte.
    @inline(__always)
    mutating func byte(_ value: UInt8) {
        checkRoom(1)
        base[offset] = value
        offset &+= 1
    }

    /// Checks that the buffer was filled exactly: the sizing pass and the writing pass
    /// agree. Kept in release builds, where it costs one comparison per record: a buffer
    /// left short would hand out bytes never written.
    func finish() {
        precondition(offset == capacity, "protobuf writer: record sized as \(capacity) bytes, wrote \(offset)")
    }

    /// The bytes written from `start` on, read where they lie (the signer hashes the
    /// message in place).
    @inline(__always)
    func written(from start: Int) -> UnsafeRawBufferPointer {
        assert(0 <= start && start <= offset, "protobuf writer: bytes from \(start) asked of \(offset) written")
        return UnsafeRawBufferPointer(start: baseAddress?.advanced(by: start), count: offset &- start)
    }

    /// `count` bytes already written at `start`, to be written again in place: a record's
    /// digest, once the message it covers is written.
    @inline(__always)
    func rewritable(at start: Int, count: Int) -> UnsafeMutableRawBufferPointer {
        assert(0 <= start && 0 <= count && count <= offset &- start,
               "protobuf writer: \(count) bytes at \(start) asked of \(offset) written")
        return UnsafeMutableRawBufferPointer(start: baseAddress?.advanced(by: start), count: count)
    }

    /// A base-128 varint, low group first. Its bytes are stored here rather than through
    /// ``byte(_:)``: so written, the offset stays in a register through the loop (ten
    /// instructions fewer a record).
    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            checkRoom(1)
            base[offset] = UInt8(truncatingIfNeeded: value) | 0x80
            offset &+= 1
            value >>= 7
        }
        checkRoom(1)
        base[offset] = UInt8(value)
        offset &+= 1
    }

    /// An int32/int64 field value: negative numbers take ten bytes, as protobuf specifies.
    @inline(__always)
    mutating func signedVarint(_ value: Int64) { varint(UInt64(bitPattern: value)) }

    @inline(__always)
    mutating func tag(_ field: UInt64, _ wireType: UInt64) { varint(field << 3 | wireType) }

    @inline(__always)
    mutating func raw(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        checkRoom(bytes.count)
        (base + offset).update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        offset &+= bytes.count
    }

    /// A length-delimited field. Contiguous bytes (an array, a native string's UTF-8) are
    /// copied in one go; anything else (a bridged string) is walked.
    @inline(__always)
    mutating func lengthDelimited(_ field: UInt64, _ bytes: some Collection<UInt8>) {
        tag(field, 2)
        varint(UInt64(bytes.count))
        let done: Void? = bytes.withContiguousStorageIfAvailable { raw(UnsafeRawBufferPointer($0)) }
        if done == nil {
            for byte in bytes { self.byte(byte) }
        }
    }

    @inline(__always)
    mutating func string(_ field: UInt64, _ text: String) {
        let count = text.utf8.count
        tag(field, 2)
        varint(UInt64(count))
        guard count > 0 else { return }  // a field's representation, the logger: often empty
        // withCString reads a native string in place (its storage ends in a NUL anyway) and
        // costs less than the UTF-8 view's generic access; the count, not the NUL, bounds
        // the copy, so text with NULs inside is copied whole.
        text.withCString { raw(UnsafeRawBufferPointer(start: $0, count: count)) }
    }

    @inline(__always)
    mutating func double(_ value: Double) {
        var bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { raw($0) }
    }
}

/// Sizes of protobuf wire elements.
enum ProtobufSize {
    @inline(__always)
    static func varint(_ value: UInt64) -> Int {
        // 1 byte per 7 bits, at least one; lengths and small numbers take the first branch.
        value < 0x80 ? 1 : (64 - value.leadingZeroBitCount + 6) / 7
    }

    @inline(__always)
    static func signedVarint(_ value: Int64) -> Int { varint(UInt64(bitPattern: value)) }

    /// A tag of a field number below 16 takes one byte; all fields of Heka's schema do.
    @inline(__always)
    static func lengthDelimited(_ length: Int) -> Int { 1 + varint(UInt64(length)) + length }

    @inline(__always)
    static func string(_ text: String) -> Int { lengthDelimited(text.utf8.count) }
}
