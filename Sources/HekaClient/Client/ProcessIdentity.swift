import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-message facts the client fills in: the process, the host, a fresh id, the time.
enum ProcessIdentity {
    static let pid = Int32(getpid())

    static let hostname: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// Nanoseconds since the Unix epoch, from the real-time clock.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// A random (version 4) UUID.
    static func randomUUID() -> UUID { RandomPool.current.nextUUID() }
}
