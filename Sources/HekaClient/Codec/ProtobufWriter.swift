/// Writes protobuf wire data into a buffer whose size was computed beforehand.
///
/// The encoders size every record exactly first (``ProtobufSize``), allocate once, and then
/// write through this cursor: no growth, no copies, no intermediate wire structs. Its
/// methods are small and on every record's path, so they are always inlined.
struct ProtobufWriter: ~Copyable {
    private let base: UnsafeMutablePointer<UInt8>
    private(set) var offset: Int

    init(base: UnsafeMutablePointer<UInt8>, offset: Int = 0) {
        self.base = base
        self.offset = offset
    }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        base[offset] = value
        offset &+= 1
    }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            base[offset] = UInt8(truncatingIfNeeded: value) | 0x80
            offset &+= 1
            value >>= 7
        }
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
