import CZlib
import HekaPlatform

/// Request bodies compressed for `Content-Encoding: gzip`. The deflate streams are reused
/// (reset between bodies): setting one up allocates about 256 KiB, which costs more than
/// compressing an event.
public enum Gzip {
    /// A gzip deflate stream, used by one caller at a time.
    private final class Stream: @unchecked Sendable {
        // @unchecked: taken from the pool by one caller, given back when done.
        let state = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

        init() {
            state.initialize(to: z_stream())
            // 15 + 16: a 32 KiB window, with a gzip header and trailer instead of zlib's.
            let status = deflateInit2_(state, Z_DEFAULT_COMPRESSION, Z_DEFLATED, MAX_WBITS + 16, 8, Z_DEFAULT_STRATEGY,
                                       ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
            // deflateInit2 fails only for lack of memory or bad parameters, and these are fixed.
            precondition(status == Z_OK, "deflateInit2 failed with status \(status)")
        }

        deinit {
            deflateEnd(state)
            state.deallocate()
        }
    }

    private static let pool = LockedValue<[Stream]>([])
    private static let poolLimit = 16

    /// `input` as a gzip member (RFC 1952) at zlib's default level.
    public static func compress(_ input: [UInt8]) -> [UInt8] {
        let stream = pool.withLock { $0.popLast() } ?? Stream()
        defer { pool.withLock { if $0.count < poolLimit { $0.append(stream) } } }
        let state = stream.state
        deflateReset(state)
        let bound = Int(deflateBound(state, uLong(input.count))) + 32
        var out = [UInt8](repeating: 0, count: bound)
        let written = input.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target -> Int in
                state.pointee.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                state.pointee.avail_in = uInt(source.count)
                state.pointee.next_out = target.baseAddress
                state.pointee.avail_out = uInt(bound)
                let status = deflate(state, Z_FINISH)
                // The output has deflateBound's room, so one call always completes.
                precondition(status == Z_STREAM_END, "deflate stopped with status \(status)")
                return bound - Int(state.pointee.avail_out)
            }
        }
        out.removeLast(bound - written)
        return out
    }
}
