#if canImport(Glibc)
import Glibc
#endif
import SystemPackage

/// What one non-blocking or blocking read gave.
public enum ReadOutcome: Equatable, Sendable {
    /// This many bytes were read into the buffer.
    case bytes(Int)
    /// Nothing to read now (a non-blocking descriptor).
    case wouldBlock
    /// The end: the peer closed, or the end of the file.
    case end
    /// The read failed.
    case failed(Errno)
}

/// Reads what `fd` has into `buffer` (``syscall(_:)``: again on `EINTR`).
public func readBytes(_ fd: Int32, into buffer: inout [UInt8]) -> ReadOutcome {
    let result = buffer.withUnsafeMutableBytes { bytes in
        Result { () throws(Errno) in try syscall { read(fd, bytes.baseAddress, bytes.count) } }
    }
    switch result {
    case .success(0): return .end
    case .success(let count): return .bytes(count)
    case .failure(let error): return error.isWouldBlock ? .wouldBlock : .failed(error)
    }
}

/// Opens `path` for reading (close-on-exec).
public func openForReading(_ path: String) throws(Errno) -> Int32 {
    do {
        return try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec], retryOnInterrupt: true).rawValue
    } catch {
        throw error as? Errno ?? .ioError
    }
}

/// The size of the file open as `fd`, or `nil` when it cannot be read.
public func fileSize(_ fd: Int32) -> Int? {
    var status = stat()
    return fstat(fd, &status) == 0 ? Int(status.st_size) : nil
}

/// Moves `fd`'s offset back to the start of the file.
public func rewind(_ fd: Int32) {
    _ = lseek(fd, 0, SEEK_SET)
}

/// Whether `fd` is a terminal.
public func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

/// Sleeps up to `milliseconds`; a signal (an interrupt) ends the sleep early.
public func pause(milliseconds: Int32) {
    _ = poll(nil, 0, milliseconds)
}
