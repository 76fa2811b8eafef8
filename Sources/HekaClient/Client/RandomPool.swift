import Foundation
import HekaPlatform

/// Random (version 4) UUIDs from the kernel's CSPRNG, made a block at a time.
///
/// Every message needs a random uuid; asking the kernel for 16 bytes each time costs a
/// system call per message, which was a large share of a `heka()` call. A pool asks the
/// kernel for 4 KiB at once, makes 256 UUIDs of them and hands them out under a lock, so
/// they are exactly as unpredictable as before; making them in one go also keeps
/// Foundation's `UUID(uuid:)`, a call into another library that costs most after a send's
/// system call has taken the caches, off each message's path. There are several pools,
/// each thread using the one its thread id picks, so that threads logging at once do not
/// queue on one lock.
///
/// A forked child must not hand out the UUIDs its parent also holds: the process's fork
/// count (``ProcessServices/forkCount``) is kept with the block, and a pool filled before the
/// last fork is refilled before it is used.
// @unchecked Sendable: the buffer and counts are read and written only under `mutex`.
final class RandomPool: @unchecked Sendable {
    private static let pools: [RandomPool] = {
        let pools = (0..<16).map { _ in RandomPool() }
        ForkHandlers.register(forkHook)
        return pools
    }()
    /// The pools' fork handling, registered as one object: a registered object is held
    /// weakly, and a weakly held object's every retain and release takes the runtime's slow
    /// path (measured: about 150 instructions a message when each pool was registered).
    private static let forkHook = ForkHook()

    /// The pool of the calling thread.
    static var current: RandomPool {
        // A thread id is the address of its page-aligned control block: the bits above the
        // page offset tell threads apart.
        pools[Int((ProcessServices.currentThreadID >> 12) % UInt(pools.count))]
    }

    /// UUIDs per block: 4 KiB of random bytes.
    private static let blockSize = 256

    /// UUIDs made and not yet handed out: `uuids[used...]`.
    private let uuids = UnsafeMutablePointer<UUID>.allocate(capacity: RandomPool.blockSize)
    private var used = RandomPool.blockSize
    /// The fork count when `uuids` was filled.
    private var forkCount = -1
    /// Guards `uuids`, `used` and `forkCount`: the package's mutex, taken directly (not
    /// through a closure) on every message's path.
    private let mutex = PthreadMutex()
    /// Keeps the counts of two pools (allocated side by side) off one cache line.
    private let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)

    private init() {
        ProcessServices.countForks()
    }

    deinit {
        uuids.deallocate()
    }

    /// A random (version 4) UUID.
    func nextUUID() -> UUID {
        mutex.lock()
        defer { mutex.unlock() }
        let forks = ProcessServices.forkCount
        if used == Self.blockSize || forkCount != forks {
            Self.fill(UnsafeMutableBufferPointer(start: uuids, count: Self.blockSize))
            used = 0
            forkCount = forks
        }
        defer { used += 1 }
        return uuids[used]
    }

    /// Fills `uuids` with UUIDs made of the kernel's random bytes, one system call for the
    /// block.
    private static func fill(_ uuids: UnsafeMutableBufferPointer<UUID>) {
        withUnsafeTemporaryAllocation(of: uuid_t.self, capacity: uuids.count) { random in
            ProcessServices.fillRandom(UnsafeMutableRawBufferPointer(random))
            for index in random.indices {
                var uuid = random[index]
                uuid.6 = uuid.6 & 0x0F | 0x40  // version 4
                uuid.8 = uuid.8 & 0x3F | 0x80  // RFC 4122 variant
                (uuids.baseAddress! + index).initialize(to: UUID(uuid: uuid))
            }
        }
    }
}

/// A thread of the parent that held a pool's lock at a fork did not come along: the child
/// makes the locks new (and refills each pool before use, its fork count being out of date).
extension RandomPool {
    final class ForkHook: ForkAware {
        func prepareForFork() { for pool in RandomPool.pools { pool.mutex.lock() } }
        func resumeInParent() { for pool in RandomPool.pools { pool.mutex.unlock() } }
        func resumeInChild() { for pool in RandomPool.pools { pool.mutex.reinitializeAfterFork() } }
    }
}
