import CZlib
import Foundation

/// The packing of a Sentry event into a Heka payload, as heka-py-raven and hekad's
/// SentryOutput expect it: base64 (standard alphabet, padded, no newlines) of zlib
/// (RFC 1950, default level, header `78 9c`) of the event's UTF-8 JSON.
///
/// Deflaters are reused (`Deflater`), and the stack section of an event, the same in
/// every capture from one call path, is compressed once and spliced in (`Segment`).
public enum SentryPayload {
    /// An error unpacking a payload.
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// Packs JSON bytes: zlib, then base64.
    public static func pack(_ json: some Collection<UInt8>) -> String {
        Data(deflate(Array(json))).base64EncodedString()
    }

    /// A stretch of JSON compressed once and reused in many payloads: raw deflate blocks
    /// that refer to nothing before them and end byte-aligned (a sync flush), which makes
    /// them valid anywhere inside a deflate stream.
    struct Segment: Sendable {
        /// The uncompressed bytes.
        let json: [UInt8]
        let deflated: [UInt8]
        let adler: uLong

        init(_ json: [UInt8]) {
            self.json = json
            var deflated: [UInt8] = []
            adler = json.withUnsafeBytes { bytes in
                Deflater.withDeflater { $0.deflate(bytes, finish: false, into: &deflated) }
                return SentryPayload.adler32(bytes)
            }
            self.deflated = deflated
        }

        /// Whether `bytes` are this segment's JSON.
        func holds(_ bytes: ArraySlice<UInt8>) -> Bool {
            bytes.count == json.count && bytes.withUnsafeBytes { candidate in
                json.withUnsafeBytes { memcmp(candidate.baseAddress!, $0.baseAddress!, json.count) == 0 }
            }
        }
    }

    /// Packs `json`, whose bytes in `range` are `segment`'s: those bytes are not compressed
    /// again but spliced in as they were compressed, between the compressed bytes before
    /// and after them. The result is one zlib stream at the default level.
    static func pack(_ json: [UInt8], reusing segment: Segment, at range: Range<Int>) -> String {
        let stream = json.withUnsafeBytes { bytes in
            zlibStream(UnsafeRawBufferPointer(rebasing: bytes[..<range.lowerBound]), splicing: segment,
                       then: UnsafeRawBufferPointer(rebasing: bytes[range.upperBound...]))
        }
        return Data(stream).base64EncodedString()
    }

    /// Unpacks a payload: base64, then inflate. Refuses output over `limit` bytes (default
    /// 16 MiB), so a small hostile payload cannot expand without bound.
    public static func unpack(_ payload: String, limit: Int = 16 << 20) throws(Error) -> [UInt8] {
        guard let compressed = Data(base64Encoded: payload) else {
            throw Error(description: "payload is not base64")
        }
        return try inflate(Array(compressed), limit: limit)
    }

    /// A zlib stream at the default level: what `compress2` makes, from a reused deflater.
    static func deflate(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBytes { zlibStream($0) }
    }

    /// A zlib stream (header `78 9c`: deflate, 32 KiB window, default level) of `head`, then
    /// `segment`'s bytes as they were compressed before, then `tail`.
    private static func zlibStream(_ head: UnsafeRawBufferPointer, splicing segment: Segment? = nil,
                                   then tail: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0))
        -> [UInt8]
    {
        var out: [UInt8] = [0x78, 0x9C]
        var adler = adler32(head)
        Deflater.withDeflater { deflater in
            guard let segment else {
                deflater.deflate(head, finish: true, into: &out)
                return
            }
            deflater.deflate(head, finish: false, into: &out)
            out += segment.deflated
            deflater.deflate(tail, finish: true, into: &out)
        }
        if let segment {
            adler = adler32_combine(adler, segment.adler, off_t(segment.json.count))
            adler = adler32_combine(adler, adler32(tail), off_t(tail.count))
        }
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: adler).bigEndian) { out += $0 }
        return out
    }

    private static func adler32(_ bytes: UnsafeRawBufferPointer) -> uLong {
        adler32_z(adler32_z(0, nil, 0), bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    /// Inflates a complete zlib stream.
    static func inflate(_ input: [UInt8], limit: Int) throws(Error) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Error(description: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while true {
                let result = chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                output += chunk.prefix(chunk.count - Int(stream.avail_out))
                if result != Z_OK || output.count > limit { return result }
                if stream.avail_in == 0 && stream.avail_out != 0 { return Z_BUF_ERROR }
            }
        }
        guard output.count <= limit else { throw Error(description: "payload inflates beyond \(limit) bytes") }
        guard status == Z_STREAM_END else {
            throw Error(description: "payload is not a complete zlib stream (zlib status \(status))")
        }
        return output
    }
}
