#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

@testable import Streams

@Suite("FileStream")
struct FileStreamTests {
    @Test func recordsAreAppendedInOrderAndReopeningAppends() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log.heka"

        let first = try FileStream(path: path)
        #expect(first.description == "file:\(path)")
        let batch1 = (0..<100).map { bytes("record \($0)\n") }
        for record in batch1 { try first.write(record) }
        try first.flush()
        #expect(first.statistics.recordsWritten == 100)
        #expect(first.statistics.bytesWritten == batch1.map(\.count).reduce(0, +))
        try first.close()

        let second = try FileStream(path: path)
        let batch2 = [bytes("after reopen\n"), [UInt8](repeating: 0x1E, count: 70_000)]
        for record in batch2 { try second.write(record) }
        try second.close()

        let contents = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(contents) == (batch1 + batch2).flatMap { $0 })
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let permissions = try #require(attributes[.posixPermissions] as? Int)
        #expect(permissions & 0o600 == 0o600)
    }

    @Test func directoryCannotBeOpened() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = streamError { () throws(StreamError) in _ = try FileStream(path: directory) }
        #expect(error?.code == .openFailed)
        #expect(error?.errno == EISDIR)
        #expect(error?.message.contains(directory) == true)
    }

    @Test func pathUnderMissingDirectoryCannotBeOpened() throws {
        let path = "/nonexistent-\(UUID().uuidString)/log.heka"
        let error = streamError { () throws(StreamError) in _ = try FileStream(path: path) }
        #expect(error?.code == .openFailed)
        #expect(error?.errno == ENOENT)
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("No such file or directory") == true)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs Linux's /dev/full"))
    func writeToFullDeviceFailsAndIsCounted() throws {
        let errors = ErrorCollector()
        let stream = try FileStream(path: "/dev/full", errorHandler: errors.handler)
        // The caller only queues; the writer thread finds the failure.
        try stream.write(bytes("no room"))
        let error = streamError { () throws(StreamError) in try stream.flush() }
        #expect(error?.code == .writeFailed)
        #expect(error?.errno == ENOSPC)
        #expect(error?.message == "file:/dev/full: 1 record since the last flush could not be written (No space left on device)")
        #expect(stream.statistics.recordsFailed == 1)
        #expect(stream.statistics.recordsWritten == 0)
        #expect(stream.statistics.errorsReported == 1)
        let reported = try #require(errors.all.first)
        #expect(reported.code == .writeFailed && reported.errno == ENOSPC)
        #expect(reported.message == "file:/dev/full: cannot write 1 record (7 bytes): No space left on device")
        // Told to one flush only.
        try stream.flush()
        try stream.close()
    }

    @Test func writeAfterCloseFails() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stream = try FileStream(path: directory + "/log")
        try stream.close()
        try stream.close()
        #expect(streamError { () throws(StreamError) in try stream.write(bytes("late")) }?.code == .closed)
    }

    @Test func concurrentWritersKeepRecordsWhole() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log"
        let stream = try FileStream(path: path)
        onThreads(4) { thread in
            for index in 0..<500 {
                try? stream.write(bytes("T\(thread)#\(index):" + String(repeating: "x", count: index * 13 % 5_000) + "\n"))
            }
        }
        try stream.close()
        let contents = try #require(FileManager.default.contents(atPath: path))
        let lines = String(decoding: contents, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2_000)
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let index = Int(parts[0].split(separator: "#")[1])!
            #expect(parts.count == 2 && parts[1].count == index * 13 % 5_000)
        }
    }
}
