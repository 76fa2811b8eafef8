#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

// The socket calls of the package, each through ``syscall(_:)``. Every send uses
// `MSG_NOSIGNAL`: a peer that has gone gives `EPIPE`, never a `SIGPIPE` that would kill the
// host program.

/// Connects `fd` to `address`. A non-blocking socket throws `EINPROGRESS` while the
/// connection is being made.
public func connectSocket(_ fd: Int32, to address: SocketAddress) throws(Errno) {
    var storage = address.storage
    let length = address.length
    _ = try withUnsafePointer(to: &storage) { pointer throws(Errno) in
        try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(Errno) in
            try syscall { connect(fd, address, length) }
        }
    }
}

/// Sends `bytes` on `fd`, connected; `dontWait` adds `MSG_DONTWAIT`. Returns the bytes sent.
@inline(__always)
public func sendBytes(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, dontWait: Bool = false) throws(Errno) -> Int {
    let flags = Int32(MSG_NOSIGNAL) | (dontWait ? Int32(MSG_DONTWAIT) : 0)
    return try syscall { send(fd, bytes.baseAddress, bytes.count, flags) }
}

/// Sends `bytes` as one datagram on the unconnected `fd` to `address`, read where it lies
/// (a 128-byte `sockaddr_storage` is not copied per datagram).
@inline(__always)
public func sendBytes(
    _ fd: Int32, _ bytes: UnsafeRawBufferPointer, to address: UnsafePointer<SocketAddress>
) throws(Errno) {
    let length = address.pointee.length
    _ = try UnsafeRawPointer(address).withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer throws(Errno) in
        try syscall { sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), pointer, length) }
    }
}

/// Receives into `buffer` without waiting. Returns the bytes read (0: the peer closed).
public func receiveNow(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
    try syscall { recv(fd, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT)) }
}

/// The pending error of a socket (`SO_ERROR`): how a non-blocking connect ended.
public func pendingSocketError(_ fd: Int32) -> Errno? {
    var socketError: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length) == 0 else { return Errno(rawValue: errno) }
    return socketError == 0 ? nil : Errno(rawValue: socketError)
}

/// A connected pair of non-blocking, close-on-exec local stream sockets (a wake-up channel).
public func makeSocketPair() throws(Errno) -> (Int32, Int32) {
    var pair: [Int32] = [-1, -1]
    let type = Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue)
    _ = try syscall { socketpair(AF_UNIX, type, 0, &pair) }
    return (pair[0], pair[1])
}

/// What ``waitForEvents(_:deadline:)`` saw.
public enum PollOutcome: Equatable, Sendable {
    /// These descriptors (indices into the list) have events.
    case ready(Set<Int>)
    case timedOut
}

/// Waits in `poll` until one of `descriptors` has the events asked for or `deadline`
/// passes (`nil`: no limit). A failed `poll` reports every descriptor ready, so that the
/// next call on it reports the problem.
public func waitForEvents(_ descriptors: [(fd: Int32, events: Int16)], deadline: MonotonicInstant?) -> PollOutcome {
    var fds = descriptors.map { pollfd(fd: $0.fd, events: $0.events, revents: 0) }
    let count: Int32
    do {
        count = try syscall { poll(&fds, nfds_t(fds.count), deadline?.millisecondsFromNow ?? -1) }
    } catch {
        return .ready(Set(fds.indices))
    }
    if count == 0 { return .timedOut }
    return .ready(Set(fds.indices.filter { fds[$0].revents != 0 }))
}

/// `poll` events, as ``waitForEvents(_:deadline:)`` takes them.
public enum PollEvents {
    public static let readable = Int16(POLLIN)
    public static let writable = Int16(POLLOUT)
}
