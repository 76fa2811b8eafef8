import CZlib
import HekaPlatform

/// A deflate stream at the default level, reused: setting one up allocates about 256 KiB,
/// which glibc maps and unmaps afresh each time, and that cost more than compressing a whole
/// event. Taken from its format's pool for one packing and put back. Raven's payloads use
/// raw deflate (their zlib header and trailer are written around it); the relay's request
/// bodies use the gzip wrapper.
package final class Deflater: @unchecked Sendable {
    // @unchecked Sendable: a deflater is used by one thread at a time; the pool hands it to
    // one taker, who gives it back when done.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    /// What is written around the deflate blocks.
    package enum Format: Sendable {
        /// Nothing: raw deflate blocks.
        case raw
        /// A gzip member's header and trailer (RFC 1952), for `Content-Encoding: gzip`.
        case gzip

        /// zlib's `windowBits` for a 32 KiB window in this format.
        var windowBits: Int32 { self == .raw ? -MAX_WBITS : MAX_WBITS + 16 }
    }

    private init(_ format: Format) {
        stream.initialize(to: z_stream())
        let status = deflateInit2_(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        // deflateInit2 fails only for lack of memory or bad parameters, and these are fixed.
        precondition(status == Z_OK, "deflateInit2 failed with status \(status)")
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    private static let rawPool = ForkSafeValue<[Deflater]>([])
    private static let gzipPool = ForkSafeValue<[Deflater]>([])
    /// Raven packs one event at a time on a few threads; the relay has up to 16 requests
    /// in flight.
    private static func poolLimit(_ format: Format) -> Int { format == .raw ? 4 : 16 }

    /// Runs `body` with a deflater of `format` from its pool (a new one when all are taken).
    package static func withDeflater<Result>(_ format: Format = .raw, _ body: (Deflater) -> Result) -> Result {
        let pool = format == .raw ? rawPool : gzipPool
        let deflater = pool.withLock { $0.popLast() } ?? Deflater(format)
        defer { pool.withLock { if $0.count < poolLimit(format) { $0.append(deflater) } } }
        return body(deflater)
    }

    /// `input` compressed whole in `format`: for `.gzip`, one complete gzip member.
    package static func compress(_ input: [UInt8], format: Format) -> [UInt8] {
        var out: [UInt8] = []
        withDeflater(format) { deflater in input.withUnsafeBytes { deflater.deflate($0, finish: true, into: &out) } }
        return out
    }

    /// Appends the raw deflate blocks of `input`, compressed with no reference to anything
    /// before it, to `out`. With `finish` the last block is marked final; without, the
    /// blocks end in a sync flush (byte-aligned, not final), so that more may follow.
    package func deflate(_ input: UnsafeRawBufferPointer, finish: Bool, into out: inout [UInt8]) {
        deflateReset(stream)
        let start = out.count
        let bound = Int(deflateBound(stream, uLong(input.count))) + 16  // + room for a sync flush (a wrapper is in the bound)
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
