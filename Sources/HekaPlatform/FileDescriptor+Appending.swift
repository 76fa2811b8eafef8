#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

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
