import HekaClient
import HekaPlatform

/// Reads a file or standard input to the end, or with `follow` on and on as it grows. A
/// followed file that is truncated is read again from the top; one that is renamed away and
/// recreated (logrotate's default) is read to its end, then the new file from its start.
public struct FileReader: Sendable {
    private let fd: Int32
    /// How problems name the input: its path, or `stdin`.
    public let name: String
    private let path: String?
    private let follow: Bool
    private let pollInterval: Int32

    /// Opens `path` for reading; `-` is standard input. With `follow`, the file is checked
    /// for growth and rotation every `pollInterval` milliseconds.
    public init(path: String, follow: Bool, pollInterval: Int32 = 200) throws(InputError) {
        if path == "-" {
            fd = 0
            name = "stdin"
            self.path = nil
        } else {
            do {
                fd = try openForReading(path)
            } catch {
                throw InputError(description: "cannot open \(path): \(error)")
            }
            name = path
            self.path = path
        }
        self.follow = follow
        self.pollInterval = pollInterval
    }

    /// The file being read and how far.
    private struct Open {
        var fd: Int32
        var identity: FileIdentity?
        var position = 0
        var channel: RecordChannel
    }

    /// Feeds everything read through a channel into `sink` until the end, `sink` is done or
    /// an interrupt.
    public func run(keys: [HMACSigner]?, into sink: some InputSink) throws(InputError) {
        var file = Open(fd: fd, identity: FileIdentity(descriptor: fd), channel: RecordChannel(name: name, keys: keys))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        defer { if file.fd != 0 { closeDescriptor(file.fd) } }
        reading: while !InterruptSignals.requested {
            switch readBytes(file.fd, into: &buffer) {
            case .bytes(let count):
                file.position += count
                guard file.channel.feed(buffer[..<count], sink.handle) else { break reading }
                sink.flush()
            case .failed(let error):
                throw InputError(description: "cannot read \(name): \(error)")
            case .end, .wouldBlock:
                guard follow else { break reading }
                sink.flush()
                if let size = fileSize(file.fd), size < file.position {
                    _ = file.channel.finish(sink.handle)
                    sink.notice("\(name) was truncated; reading it from the start")
                    rewind(file.fd)
                    file.position = 0
                    file.channel = RecordChannel(name: name, keys: keys)
                    continue
                }
                if reopenIfRotated(&file, keys: keys, sink: sink, buffer: &buffer) { continue }
                // Waiting for the file to grow: a short pause, cut short by an interrupt.
                pause(milliseconds: pollInterval)
            }
        }
        // Stopped early, the last record may be cut short by the stop itself: not a problem.
        if !sink.isDone && !InterruptSignals.requested { _ = file.channel.finish(sink.handle) }
    }

    /// When the path now names another file: reads what was still written to the old one,
    /// then opens the new one. True when it switched.
    private func reopenIfRotated(
        _ file: inout Open, keys: [HMACSigner]?, sink: some InputSink, buffer: inout [UInt8]
    ) -> Bool {
        guard let path, let current = FileIdentity(path: path), current != file.identity else { return false }
        let next: Int32
        do {
            next = try openForReading(path)
        } catch {
            // Recreated but not readable (yet): keep the old one and look again later.
            return false
        }
        // The writer may have added to the old file after the last read and before it moved.
        while case .bytes(let count) = readBytes(file.fd, into: &buffer) {
            file.position += count
            guard file.channel.feed(buffer[..<count], sink.handle) else { break }
        }
        _ = file.channel.finish(sink.handle)
        closeDescriptor(file.fd)
        sink.notice("\(name) was replaced by a new file; reading the new one from the start")
        file = Open(fd: next, identity: FileIdentity(descriptor: next), channel: RecordChannel(name: name, keys: keys))
        return true
    }
}
