#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// Which file a path or a descriptor names: its device and inode numbers.
public struct FileIdentity: Sendable, Hashable {
    /// The device the file is on (`st_dev`).
    public var device: UInt64
    /// The file's inode number on that device (`st_ino`).
    public var inode: UInt64
}

/// Opens `path` for appending (`O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC`, mode `0644`
/// before the umask) without ever blocking in `open`: the file is opened with `O_NONBLOCK`,
/// which is then cleared, so a FIFO with no reader fails at once with `ENXIO` instead of
/// waiting for one, and later writes block as usual.
public func openForAppending(_ path: String) throws(Errno) -> Int32 {
    let fd: Int32
    do {
        fd = try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .append, .closeOnExec, .nonBlocking],
            permissions: [.ownerReadWrite, .groupRead, .otherRead], retryOnInterrupt: true
        ).rawValue
    } catch {
        throw error as? Errno ?? .ioError
    }
    let flags = fcntl(fd, F_GETFL)
    if flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 {
        let code = Errno(rawValue: errno)
        closeDescriptor(fd)
        throw code
    }
    return fd
}

/// The identity of the file open as `fd`, or `nil` if `fstat` fails.
public func fileIdentity(of fd: Int32) -> FileIdentity? {
    var status = stat()
    guard fstat(fd, &status) == 0 else { return nil }
    return FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
}

/// The identity of the file `path` names now, or `nil` if there is none (removed, renamed
/// away) or `stat` fails.
public func fileIdentity(atPath path: String) -> FileIdentity? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
}
