#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

@testable import Streams

@Suite("FileStream: log rotation")
struct FileRotationTests {
    /// A file stream on `app.heka` in a fresh directory, `before` written and flushed; `body`
    /// gets the path and the stream, which is closed after it.
    private func withStartedLog(_ body: (String, FileStream) throws -> Void) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/app.heka"
        let stream = try FileStream(path: path)
        try stream.write(bytes("before\n"))
        try stream.flush()
        try body(path, stream)
        try stream.close()
    }

    /// The text of the file at `path`, or `nil` if there is none.
    private func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("renamed away and recreated (logrotate's default): the next records go to the new file")
    func renameAndCreate() throws {
        try withStartedLog { path, stream in
            try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            try stream.write(bytes("after\n"))
            try stream.flush()
            #expect(text(path + ".1") == "before\n")
            #expect(text(path) == "after\n")
            #expect(stream.statistics.reopens == 1)
        }
    }

    @Test("renamed away and not recreated: the stream creates the file again")
    func renameOnly() throws {
        try withStartedLog { path, stream in
            try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
            try stream.write(bytes("after\n"))
            try stream.write(bytes("and more\n"))
            try stream.close()
            #expect(text(path + ".1") == "before\n")
            #expect(text(path) == "after\nand more\n")
        }
    }

    @Test("removed: records are not written into the deleted file")
    func unlinked() throws {
        try withStartedLog { path, stream in
            #expect(unlink(path) == 0)
            try stream.write(bytes("after\n"))
            try stream.flush()
            #expect(text(path) == "after\n")
            #expect(stream.statistics.reopens == 1)
            #expect(stream.statistics.recordsWritten == 2)
        }
    }

    @Test("unchanged: no reopen; reopen() asks for one before the next write")
    func explicitReopen() throws {
        try withStartedLog { path, stream in
            #expect(stream.statistics.reopens == 0)
            stream.reopen()
            try stream.write(bytes("after\n"))
            try stream.flush()
            #expect(stream.statistics.reopens == 1)
            #expect(text(path) == "before\nafter\n")
        }
        // A descriptor the stream was given is never reopened.
        let given = StdOutStream(fileDescriptor: 1)
        given.reopen()
        #expect(given.statistics.reopens == 0)
    }

    @Test("a reopen that fails is reported once and the old file keeps the records")
    func failedReopenKeepsWriting() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/logs/app.heka"
        try FileManager.default.createDirectory(atPath: directory + "/logs", withIntermediateDirectories: false)
        let errors = ErrorCollector()
        let stream = try FileStream(path: path, errorHandler: errors.handler)
        let held = open(path, O_RDONLY)
        try #require(held >= 0)
        defer { close(held) }
        try FileManager.default.removeItem(atPath: directory + "/logs")  // the file and its directory
        try stream.write(bytes("one\n"))
        try stream.write(bytes("two\n"))
        try stream.flush()
        try stream.write(bytes("three\n"))
        try stream.flush()
        let reopens = errors.all.filter { $0.code == .openFailed }
        #expect(reopens.count == 1)
        #expect(reopens.first?.message.hasPrefix("file:\(path): cannot reopen '\(path)'; still writing to the file open before") == true)
        #expect(stream.statistics.recordsWritten == 3)
        // Still in the (removed) file open before, which this test holds open to read.
        var buffer = [UInt8](repeating: 0, count: 100)
        let count = buffer.withUnsafeMutableBytes { read(held, $0.baseAddress, $0.count) }
        #expect(count == 14 && Array(buffer[..<14]) == bytes("one\ntwo\nthree\n"))
        try stream.close()
    }
}
