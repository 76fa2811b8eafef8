/// Reads protobuf wire data from a byte buffer, refusing anything that runs past its end.
struct ProtobufReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int = 0
    /// Added to offsets in error messages, so that they point into the whole record.
    let baseOffset: Int

    init(_ bytes: UnsafeRawBufferPointer, baseOffset: Int = 0) {
        self.bytes = bytes
        self.baseOffset = baseOffset
    }

    var isAtEnd: Bool { offset >= bytes.count }

    func failure(_ what: String, at position: Int? = nil) -> CodecError {
        CodecError(.invalidProtobuf, "\(what) at byte \(baseOffset + (position ?? offset))",
            offset: baseOffset + (position ?? offset))
    }

    mutating func varint() throws(CodecError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw failure("varint overflows 64 bits", at: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        throw failure("truncated varint", at: start)
    }

    /// Reads a tag; returns the field number and wire type.
    mutating func tag() throws(CodecError) -> (field: UInt64, wireType: UInt64) {
        let start = offset
        let key = try varint()
        let field = key >> 3
        guard field > 0 else { throw failure("field number 0", at: start) }
        return (field, key & 7)
    }

    /// The bytes of a length-delimited element.
    mutating func lengthDelimited() throws(CodecError) -> UnsafeRawBufferPointer {
        let start = offset
        let length = try varint()
        guard length <= UInt64(bytes.count - offset) else {
            throw failure("length \(length) runs past the end", at: start)
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)])
        offset += Int(length)
        return slice
    }

    mutating func fixed64() throws(CodecError) -> UInt64 {
        guard bytes.count - offset >= 8 else { throw failure("truncated fixed64") }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return value
    }

    /// Skips an element of a field this schema does not know.
    mutating func skip(wireType: UInt64) throws(CodecError) {
        switch wireType {
        case 0: _ = try varint()
        case 1: _ = try fixed64()
        case 2: _ = try lengthDelimited()
        case 5:
            guard bytes.count - offset >= 4 else { throw failure("truncated fixed32") }
            offset += 4
        default: throw failure("unsupported wire type \(wireType)")
        }
    }

    /// A length-delimited string. Bytes that are not valid UTF-8 are kept with U+FFFD (as
    /// hekad's readers show them) and reported in `mends` as `what` at its byte offset.
    mutating func string(_ what: @autoclosure () -> String, mends: inout [CodecError]) throws(CodecError) -> String {
        let start = offset
        let raw = try lengthDelimited()
        // Decoding repairs what is not UTF-8 and copies the rest: the same bytes back mean
        // the string was valid, checked without a second, slower validating pass.
        let text = raw.utf8String
        if text.utf8.count == raw.count && text.utf8.elementsEqual(raw) { return text }
        let at = baseOffset + start
        mends.append(CodecError(.invalidUTF8, "\(what()) at byte \(at) is not valid UTF-8; shown with U+FFFD", offset: at))
        return text
    }

    /// Whether the element just read is of the expected wire type.
    func expect(_ wireType: UInt64, is expected: UInt64, field: String) throws(CodecError) {
        guard wireType == expected else {
            throw failure("field \(field) has wire type \(wireType), expected \(expected)")
        }
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes as a String; invalid UTF-8 becomes U+FFFD, as hekad's readers show it.
    var utf8String: String { String(decoding: self, as: UTF8.self) }
}
