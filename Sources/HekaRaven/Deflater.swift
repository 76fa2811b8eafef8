import CZlib
import HekaPlatform

/// A raw deflate stream at the default level, reused: setting one up allocates about
/// 256 KiB, which glibc maps and unmaps afresh each time, and that cost more than
/// compressing a whole event. Taken from the pool for one packing and put back. Raven's
/// payloads write a zlib header and trailer around its blocks, the relay's request bodies a
/// gzip member's.
package final class Deflater: @unchecked Sendable {
    // @unchecked Sendable: a deflater is used by one thread at a time; the pool hands it to
    // one taker, who gives it back when done.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    private init() {
        stream.initialize(to: z_stream())
        let status = deflateInit2_(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        // deflateInit2 fails only for lack of memory or bad parameters, and these are fixed.
        precondition(status == Z_OK, "deflateInit2 failed with status \(status)")
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    private static let pool = ForkSafeValue<[Deflater]>([])
    /// Raven packs one event at a time on a few threads; the relay on its input's thread.
    private static let poolLimit = 4

    /// Runs `body` with a deflater from the pool (a new one when all are taken).
    package static func withDeflater<Result>(_ body: (Deflater) -> Result) -> Result {
        let deflater = pool.withLock { $0.popLast() } ?? Deflater()
        defer { pool.withLock { if $0.count < poolLimit { $0.append(deflater) } } }
        return body(deflater)
    }

    /// Appends the raw deflate blocks of `input`, compressed with no reference to anything
    /// before it, to `out`. With `finish` the last block is marked final; without, the
    /// blocks end in a sync flush (byte-aligned, not final), so that more may follow.
    package func deflate(_ input: UnsafeRawBufferPointer, finish: Bool, into out: inout [UInt8]) {
        deflateReset(stream)
        let start = out.count
        let bound = Int(deflateBound(stream, uLong(input.count))) + 16  // + room for a sync flush
        out.append(contentsOf: repeatElement(0, count: bound))
        let written = out.withUnsafeMutableBufferPointer { target -> Int in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
            stream.pointee.avail_in = uInt(input.count)
            stream.pointee.next_out = target.baseAddress! + start
            stream.pointee.avail_out = uInt(bound)
            let status = CZlib.deflate(stream, finish ? Z_FINISH : Z_SYNC_FLUSH)
            // The output has deflateBound's room, so one call always completes.
            precondition(status == (finish ? Z_STREAM_END : Z_OK) && stream.pointee.avail_in == 0,
                         "deflate stopped with status \(status)")
            return bound - Int(stream.pointee.avail_out)
        }
        out.removeLast(bound - written)
    }
}
