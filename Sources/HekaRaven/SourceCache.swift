import Foundation
import HekaPlatform

/// Source files read for context lines: each file read once and kept, so repeated captures
/// through the same code read nothing.
final class SourceCache: Sendable {
    static let shared = SourceCache()

    /// Files over this size are not read.
    static let maximumFileSize = 4 << 20
    /// At most this many files are kept; beyond it the cache starts afresh.
    static let maximumFiles = 256

    private let files = LockedValue<[String: [String]?]>([:])

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
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int, size <= maximumFileSize,
              let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8)
        else { return nil }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
    }
}
