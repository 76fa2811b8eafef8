import CZlib

/// Request bodies compressed for `Content-Encoding: gzip`.
public enum Gzip {
    /// `input` as a gzip member (RFC 1952) at zlib's default level.
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: a 32 KiB window, with a gzip header and trailer instead of zlib's.
        let status = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        // deflateInit2 fails only for lack of memory or bad parameters, and these are fixed.
        precondition(status == Z_OK, "deflateInit2 failed with status \(status)")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        var out = [UInt8](repeating: 0, count: bound)
        let written = input.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target -> Int in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(bound)
                let status = deflate(&stream, Z_FINISH)
                // The output has deflateBound's room, so one call always completes.
                precondition(status == Z_STREAM_END, "deflate stopped with status \(status)")
                return bound - Int(stream.avail_out)
            }
        }
        out.removeLast(bound - written)
        return out
    }
}
