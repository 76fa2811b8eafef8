#if canImport(Glibc)
import Glibc
#endif
import HekaClient
import Streams

/// Why `heka cat` could not read its input (exit status 2).
struct InputError: Error, CustomStringConvertible {
    var description: String
}

/// Reads a file or standard input to the end, or with `follow` on and on as it grows
/// (starting again from the top when it is truncated, as after a rotation).
struct FileReader {
    let fd: Int32
    let name: String
    let follow: Bool

    /// Opens `path` for reading; `-` is standard input.
    init(path: String, follow: Bool) throws(InputError) {
        if path == "-" {
            fd = 0
            name = "stdin"
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw InputError(description: "cannot open \(path): \(systemErrorMessage(errno))") }
            name = path
        }
        self.follow = follow
    }

    /// Feeds everything read through a channel into `session` until the end, the session's
    /// limit or an interrupt.
    func run(keys: [HMACSigner]?, into session: CatSession) throws(InputError) {
        var channel = RecordChannel(name: name, keys: keys)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var position = 0
        defer { if fd != 0 { close(fd) } }
        while !Interrupt.requested {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                position += count
                guard channel.feed(buffer[..<count], session.handle) else { break }
                session.flush()
            } else if count < 0 {
                if errno == EINTR { continue }
                throw InputError(description: "cannot read \(name): \(systemErrorMessage(errno))")
            } else if follow {
                session.flush()
                var status = stat()
                if fstat(fd, &status) == 0, Int(status.st_size) < position {
                    _ = channel.finish(session.handle)
                    printError("heka cat: \(name) was truncated; reading it from the start")
                    lseek(fd, 0, SEEK_SET)
                    position = 0
                    channel = RecordChannel(name: name, keys: keys)
                    continue
                }
                // Waiting for the file to grow: a short pause, cut short by an interrupt.
                _ = poll(nil, 0, 200)
            } else {
                break
            }
        }
        // Stopped early, the last record may be cut short by the stop itself: not a problem.
        if !session.isDone && !Interrupt.requested { _ = channel.finish(session.handle) }
    }
}
