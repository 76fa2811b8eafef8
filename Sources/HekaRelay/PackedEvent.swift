import CZlib
import HekaRaven

/// An event as the spool keeps it and the transport sends it: its JSON and a newline,
/// compressed once into raw deflate blocks that end in a sync flush (byte-aligned, not
/// final), with the CRC-32 and length of those bytes. A gzip request body is made around
/// the blocks as they are, after the envelope's header lines, so an event is compressed
/// once however often it is sent, and the spool holds about a fifth of the JSON's size.
public struct PackedEvent: Sendable, Equatable {
    /// The DSN it goes to (with its secret, for the auth header).
    public var dsn: String
    /// The event's id: 32 lowercase hex digits.
    public var eventID: String
    /// The raw deflate blocks of the JSON and a newline, ending in a sync flush.
    public var deflated: [UInt8]
    /// The CRC-32 (gzip's) of the JSON and the newline.
    public var crc: UInt32
    /// The length of the JSON and the newline.
    public var length: Int

    /// `event` compressed.
    public init(_ event: RelayEvent) {
        var text = event.json
        text.append(0x0A)
        var deflated: [UInt8] = []
        Deflater.withDeflater { deflater in
            text.withUnsafeBytes { deflater.deflate($0, finish: false, into: &deflated) }
        }
        self.init(dsn: event.dsn, eventID: event.eventID, deflated: deflated, crc: Self.crc32(text[...]),
                  length: text.count)
    }

    /// An event as the spool read it back.
    public init(dsn: String, eventID: String, deflated: [UInt8], crc: UInt32, length: Int) {
        self.dsn = dsn
        self.eventID = eventID
        self.deflated = deflated
        self.crc = crc
        self.length = length
    }

    /// The event's JSON and the newline after it, inflated and checked against the length
    /// and the CRC-32.
    public func text() throws(RelayError) -> [UInt8] {
        var stream = z_stream()
        guard length > 0, inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { throw RelayError("event \(eventID): its spooled form does not inflate") }
        defer { inflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: length)
        var input = deflated
        let (status, left, produced) = input.withUnsafeMutableBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                let status = inflate(&stream, Z_SYNC_FLUSH)
                return (status, Int(stream.avail_in), target.count - Int(stream.avail_out))
            }
        }
        guard status == Z_OK || status == Z_STREAM_END, left == 0, produced == length, Self.crc32(out[...]) == crc else {
            throw RelayError("event \(eventID): its spooled form does not inflate to what was stored")
        }
        return out
    }

    /// The event as it was submitted.
    public func event() throws(RelayError) -> RelayEvent {
        RelayEvent(dsn: dsn, eventID: eventID, json: Array(try text().dropLast()))
    }

    /// One gzip member (RFC 1952) of `prefix` followed by the event's JSON and newline:
    /// `prefix` in stored blocks, then the event's blocks as they are, an empty final block,
    /// and the trailer with the CRC-32 of the whole, combined from the two parts'.
    public func gzip(after prefix: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]  // deflate, no flags, no time, unknown OS
        out.reserveCapacity(out.count + prefix.count + prefix.count / 65_535 * 5 + 5 + deflated.count + 10)
        var start = 0
        while start < prefix.count {
            // A stored block that is not final: three header bits (zero) padded to a byte,
            // then LEN and its complement, little-endian, then the bytes.
            let count = min(prefix.count - start, 65_535)
            out += [0, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += prefix[start..<start + count]
            start += count
        }
        out += deflated
        out += [0x03, 0x00]  // an empty final block with fixed codes
        let whole = prefix.isEmpty ? crc : UInt32(crc32_combine(uLong(Self.crc32(prefix[...])), uLong(crc), off_t(length)))
        let size = UInt32(truncatingIfNeeded: prefix.count + length)
        withUnsafeBytes(of: whole.littleEndian) { out += $0 }
        withUnsafeBytes(of: size.littleEndian) { out += $0 }
        return out
    }

    /// gzip's CRC-32 of `bytes`.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(truncatingIfNeeded: crc32_z(CZlib.crc32(0, nil, 0), buffer.baseAddress, buffer.count))
        }
    }
}
