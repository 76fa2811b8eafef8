import Foundation
import HekaPlatform

/// The per-message facts the client fills in: the process, the host, a fresh id, the time.
enum ProcessIdentity {
    /// The process id; a forked child's own, not its parent's.
    static var pid: Int32 { ProcessServices.currentProcessID }

    static let hostname: String = ProcessServices.hostName()

    /// Nanoseconds since the Unix epoch, from the real-time clock.
    @inline(__always)
    static func now() -> Int64 { ProcessServices.wallClockNanoseconds() }

    /// A random (version 4) UUID.
    static func randomUUID() -> UUID { RandomPool.current.nextUUID() }
}
