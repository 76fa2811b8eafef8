import HekaClient
import HekaPlatform
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
            do {
                fd = try openForReading(path)
            } catch {
                throw InputError(description: "cannot open \(path): \(error)")
            }
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
        defer { if fd != 0 { closeDescriptor(fd) } }
        reading: while !InterruptSignals.requested {
            switch readBytes(fd, into: &buffer) {
            case .bytes(let count):
                position += count
                guard channel.feed(buffer[..<count], session.handle) else { break reading }
                session.flush()
            case .failed(let error):
                throw InputError(description: "cannot read \(name): \(error)")
            case .end, .wouldBlock:
                guard follow else { break reading }
                session.flush()
                if let size = fileSize(fd), size < position {
                    _ = channel.finish(session.handle)
                    printError("heka cat: \(name) was truncated; reading it from the start")
                    rewind(fd)
                    position = 0
                    channel = RecordChannel(name: name, keys: keys)
                    continue
                }
                // Waiting for the file to grow: a short pause, cut short by an interrupt.
                pause(milliseconds: 200)
            }
        }
        // Stopped early, the last record may be cut short by the stop itself: not a problem.
        if !session.isDone && !InterruptSignals.requested { _ = channel.finish(session.handle) }
    }
}
