#if canImport(Glibc)
import Glibc
#endif
import Streams
import Synchronization

/// Random bytes from the kernel's CSPRNG, fetched a block at a time.
///
/// Every message needs 16 random bytes for its uuid; asking the kernel for them each time
/// costs a system call per message, which was a large share of a `heka()` call. A pool
/// asks the kernel for 4 KiB at once (256 uuids) and hands them out under a lock, so the
/// bytes are exactly as unpredictable as before. There are several pools, each thread
/// using the one its thread id picks, so that threads logging at once do not queue on one
/// lock.
///
/// A forked child must not hand out the bytes its parent also holds (the two would make the
/// same uuids): a `pthread_atfork` handler counts forks, and a pool filled before the last
/// fork is refilled before it is used.
final class RandomPool: Sendable {
    private static let pools = (0..<16).map { _ in RandomPool() }

    /// The pool of the calling thread.
    static var current: RandomPool {
        // A thread id is the address of its page-aligned control block: the bits above the
        // page offset tell threads apart.
        pools[Int((UInt(pthread_self()) >> 12) % UInt(pools.count))]
    }

    private static let blockSize = 4096
    private static let forks = Atomic<Int>(0)
    private static let forkHandlerInstalled: Bool = {
        pthread_atfork(nil, nil, { RandomPool.forks.add(1, ordering: .relaxed) }) == 0
    }()

    // @unchecked Sendable: the buffer belongs to this value alone, and the pool reaches it
    // only under its lock.
    private struct State: ~Copyable, @unchecked Sendable {
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: RandomPool.blockSize, alignment: 16)
        var used = RandomPool.blockSize
        var forkCount = -1
        /// Keeps the lock and counts of two pools (allocated side by side) off one cache line.
        let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

        deinit { bytes.deallocate() }
    }

    /// A pthread mutex rather than `Synchronization.Mutex`, for the reasons `ConditionLock` gives.
    private let state = ConditionLock(State())

    private init() {
        _ = Self.forkHandlerInstalled
    }

    /// 16 random bytes.
    func next16() -> (UInt64, UInt64) {
        state.withLock { state in
            let forks = Self.forks.load(ordering: .relaxed)
            if state.used == Self.blockSize || state.forkCount != forks {
                Self.fill(state.bytes)
                state.used = 0
                state.forkCount = forks
            }
            let offset = state.used
            state.used += 16
            return (state.bytes.load(fromByteOffset: offset, as: UInt64.self),
                    state.bytes.load(fromByteOffset: offset + 8, as: UInt64.self))
        }
    }

    /// Fills `bytes` from the kernel: glibc's `arc4random_buf` is one `getrandom` call.
    private static func fill(_ bytes: UnsafeMutableRawBufferPointer) {
        arc4random_buf(bytes.baseAddress!, bytes.count)
    }
}
