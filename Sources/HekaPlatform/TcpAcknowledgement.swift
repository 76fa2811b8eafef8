#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// The bytes a connected TCP socket sent that the peer's kernel has acknowledged since the
/// connection was made (`tcpi_bytes_acked` of `TCP_INFO`, Linux 4.1 and later, less the one
/// it counts for the connection's SYN), or `nil` when the kernel does not report it.
///
/// It stays readable after the peer reset the connection: the kernel empties the send queue
/// on a reset (so `SIOCOUTQ` then reads 0), but it keeps this count until the socket is
/// closed. The byte the count names as acknowledged reached the peer's kernel; whether the
/// peer's program read it, TCP cannot tell.
public func acknowledgedBytes(_ fd: Int32) -> Int? {
    // `struct tcp_info` as <linux/tcp.h> has it: 8 one-byte fields, 24 `UInt32`s, then
    // `tcpi_pacing_rate`, `tcpi_max_pacing_rate` and `tcpi_bytes_acked` (`UInt64`s). Glibc's
    // <netinet/tcp.h> stops before them, so the offset is written here.
    let bytesAckedOffset = 120
    var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                  UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0),
                  UInt64(0), UInt64(0))
    var length = socklen_t(MemoryLayout.size(ofValue: buffer))
    let rc = withUnsafeMutableBytes(of: &buffer) { bytes in
        getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, bytes.baseAddress, &length)
    }
    guard rc == 0, Int(length) >= bytesAckedOffset + 8 else { return nil }
    return withUnsafeBytes(of: &buffer) { bytes in
        max(0, Int(bytes.loadUnaligned(fromByteOffset: bytesAckedOffset, as: UInt64.self)) - 1)
    }
}

/// Makes `target` name what `source` names, close-on-exec (`dup2`, then `FD_CLOEXEC`),
/// closing what `target` named before; `source` stays open.
public func duplicateDescriptor(_ source: Int32, onto target: Int32) throws(Errno) {
    _ = try syscall { dup2(source, target) }
    _ = try syscall { fcntl(target, F_SETFD, FD_CLOEXEC) }
}
