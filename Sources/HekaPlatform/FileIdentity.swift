#if canImport(Glibc)
import Glibc
#endif

/// Which file a descriptor or path names: its device and inode. A path whose identity
/// differs from an open descriptor's was renamed away and recreated (as logrotate does).
public struct FileIdentity: Sendable, Hashable {
    /// The device the file is on.
    public var device: UInt64
    /// The file's inode number on that device.
    public var inode: UInt64

    /// The file open as `fd`, or `nil` when it cannot be examined.
    public init?(descriptor fd: Int32) {
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }

    /// The file `path` names now, or `nil` when there is none (between a rename and a create).
    public init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}
