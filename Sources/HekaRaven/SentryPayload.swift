import CZlib
import Foundation

/// The packing of a Sentry event into a Heka payload, as heka-py-raven and hekad's
/// SentryOutput expect it: base64 (standard alphabet, padded, no newlines) of zlib
/// (RFC 1950, default level, header `78 9c`) of the event's UTF-8 JSON.
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

    /// Unpacks a payload: base64, then inflate. Refuses output over `limit` bytes (default
    /// 16 MiB), so a small hostile payload cannot expand without bound.
    public static func unpack(_ payload: String, limit: Int = 16 << 20) throws(Error) -> [UInt8] {
        guard let compressed = Data(base64Encoded: payload) else {
            throw Error(description: "payload is not base64")
        }
        return try inflate(Array(compressed), limit: limit)
    }

    /// zlib's `compress2` at the default level.
    static func deflate(_ input: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = compress2(&output, &length, input, uLong(input.count), Z_DEFAULT_COMPRESSION)
        // compress2 fails only for lack of memory or a bad level; the buffer is compressBound.
        precondition(status == Z_OK, "compress2 failed with status \(status)")
        return Array(output.prefix(Int(length)))
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
