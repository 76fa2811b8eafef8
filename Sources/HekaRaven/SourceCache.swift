import HekaPlatform

/// Source files read for context lines: each file read once and kept, so repeated captures
/// through the same code read nothing.
///
/// Files are read with the platform's calls, not Foundation's: a forked child must be able to
/// read them even when a thread of its parent held one of Foundation's locks at the fork.
final class SourceCache: Sendable {
    static let shared = SourceCache()

    /// Files over this size are not read.
    static let maximumFileSize = 4 << 20
    /// At most this many files are kept; beyond it the cache starts afresh.
    static let maximumFiles = 256

    private let files = ForkSafeValue<[String: [String]?]>([:])

    /// The lines of `path` (nil when unreadable, too large or not UTF-8).
    func lines(of path: String) -> [String]? {
        if let cached = files.withLock({ $0[path] }) { return cached }
        let lines = Self.read(path)
        files.withLock { files in
            if files.count >= Self.maximumFiles { files.removeAll() }
            files[path] = .some(lines)
        }
        return lines
    }

    /// `count` lines before `line` (1-based), the line itself, and `count` after.
    func context(path: String, line: Int, count: Int) -> (pre: [String], line: String, post: [String])? {
        guard line > 0, let lines = lines(of: path), line <= lines.count else { return nil }
        let index = line - 1
        let pre = Array(lines[max(0, index - count)..<index])
        let post = Array(lines[(index + 1)..<min(lines.count, index + 1 + count)])
        return (pre, lines[index], post)
    }

    private static func read(_ path: String) -> [String]? {
        guard let fd = try? openForReading(path) else { return nil }
        defer { closeDescriptor(fd) }
        guard let size = fileSize(fd), size <= maximumFileSize else { return nil }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        reading: while bytes.count <= maximumFileSize {
            switch readBytes(fd, into: &buffer) {
            case .bytes(let count): bytes += buffer[..<count]
            case .end: break reading
            case .wouldBlock, .failed: return nil
            }
        }
        guard bytes.count <= maximumFileSize, let text = String(validating: bytes, as: UTF8.self) else { return nil }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
    }
}
