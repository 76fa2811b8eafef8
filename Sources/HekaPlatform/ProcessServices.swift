#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// What the public asks of the process and the kernel besides files and sockets.
public enum ProcessServices {
    /// An identifier of the calling thread: the address of its page-aligned control block,
    /// whose bits above the page offset tell threads apart.
    @inlinable @inline(__always)
    public static var currentThreadID: UInt { UInt(pthread_self()) }

    /// Fills `buffer` with bytes from the kernel's CSPRNG (glibc's `arc4random_buf`: one
    /// `getrandom` call).
    public static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        arc4random_buf(base, buffer.count)
    }

    /// How many times this process forked since ``countForks()`` was first called: a value
    /// filled before a fork (random bytes, say) must be filled again in the child.
    @inlinable
    public static var forkCount: Int { forks.load(ordering: .relaxed) }

    /// Starts counting forks (a `pthread_atfork` handler, installed once however often this
    /// is called). Call it before the first ``forkCount`` that matters.
    public static func countForks() {
        _ = forkHandlerInstalled
    }

    @usableFromInline static let forks = Atomic<Int>(0)
    private static let forkHandlerInstalled: Bool = {
        pthread_atfork(nil, nil, {
            ProcessServices.forks.add(1, ordering: .relaxed)
            ProcessServices.processIDs.store(getpid(), ordering: .relaxed)
        }) == 0
    }()

    /// The process id, read from the kernel once and again in each forked child: cheaper
    /// than ``processID`` (a system call), and never the parent's after a fork.
    public static var currentProcessID: Int32 {
        countForks()
        return processIDs.load(ordering: .relaxed)
    }

    private static let processIDs = Atomic<Int32>(getpid())

    /// Runs `handler` when the process exits normally (`exit`, or returning from `main`):
    /// `atexit`. Returns whether it was registered.
    @discardableResult
    public static func atExit(_ handler: @convention(c) () -> Void) -> Bool {
        atexit(handler) == 0
    }

    /// The process id.
    public static var processID: Int32 { getpid() }

    /// The host's name (`gethostname`), or `localhost` when it cannot be read.
    public static func hostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Nanoseconds since the Unix epoch, from the real-time clock.
    @inlinable @inline(__always)
    public static func wallClockNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
