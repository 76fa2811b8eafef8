#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Random bytes from the kernel's CSPRNG, fetched a block at a time.
///
/// Every message needs 16 random bytes for its uuid; asking the kernel for them each time
/// costs a system call per message, which was a large share of a `heka()` call. The pool
/// asks the kernel for 4 KiB at once (256 uuids) and hands them out under a lock, so the
/// bytes are exactly as unpredictable as before.
///
/// A forked child must not hand out the bytes its parent also holds (the two would make the
/// same uuids): a `pthread_atfork` handler counts forks, and a pool filled before the last
/// fork is refilled before it is used.
final class RandomPool: Sendable {
    static let shared = RandomPool()

    private static let blockSize = 4096
    private static let forks = Atomic<Int>(0)
    private static let forkHandlerInstalled: Bool = {
        pthread_atfork(nil, nil, { RandomPool.forks.add(1, ordering: .relaxed) }) == 0
    }()

    private struct State: ~Copyable {
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: RandomPool.blockSize, alignment: 16)
        var used = RandomPool.blockSize
        var forkCount = -1

        deinit { bytes.deallocate() }
    }

    private let state = Mutex(State())

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
