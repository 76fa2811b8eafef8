#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Streams

@Suite("StdOutStream")
struct StdOutStreamTests {
    /// A pipe whose read end is drained to EOF by a background thread.
    final class DrainedPipe: Sendable {
        let readEnd: Int32
        let writeEnd: Int32
        private let received = Mutex<[UInt8]>([])
        private let finished = DispatchSemaphore(value: 0)

        init() throws {
            var fds: [Int32] = [-1, -1]
            try check(pipe(&fds) == 0, "pipe")
            readEnd = fds[0]
            writeEnd = fds[1]
            Thread { [self] in
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                    if n > 0 {
                        received.withLock { $0 += buffer[..<n] }
                    } else if n == 0 || errno != EINTR {
                        break
                    }
                }
                finished.signal()
            }.start()
        }

        deinit { _ = close(readEnd) }

        /// Closes the write end and returns everything read, waiting at most 10 s for EOF.
        func finish() -> [UInt8]? {
            _ = close(writeEnd)
            guard finished.wait(timeout: .now() + 10) == .success else { return nil }
            return received.withLock { $0 }
        }
    }

    @Test func recordsArriveWhole() throws {
        let pipe = try DrainedPipe()
        let stream = StdOutStream(fileDescriptor: pipe.writeEnd)
        #expect(stream.description == "fd:\(pipe.writeEnd)")
        let records = [bytes("first\n"), [], [UInt8](repeating: 0x1E, count: 100_000), bytes("last\n")]
        for record in records { try stream.write(record) }
        try stream.flush()
        let output = try #require(pipe.finish())
        #expect(output == records.flatMap { $0 })
        #expect(stream.statistics.recordsWritten == 4)
        #expect(stream.statistics.bytesWritten == records.map(\.count).reduce(0, +))
    }

    @Test func defaultsToStandardOutput() {
        let stream = StdOutStream()
        #expect(stream.fileDescriptor == 1)
        #expect(stream.description == "stdout")
    }

    /// Record `index` of thread `thread`: a header, a filler of varying length (up to 9 KiB,
    /// more than the pipe's atomic-write size) and a newline.
    static func record(thread: Int, index: Int) -> [UInt8] {
        let fillerLength = (index * 7_919 + thread * 131) % 9_000
        return bytes("T\(thread)#\(index):") + [UInt8](repeating: UInt8(ascii: "a") + UInt8(thread), count: fillerLength)
            + [UInt8(ascii: "\n")]
    }

    @Test func concurrentWritersInterleaveOnlyAtRecordBoundaries() throws {
        let pipe = try DrainedPipe()
        let stream = StdOutStream(fileDescriptor: pipe.writeEnd)
        let failures = Atomic<Int>(0)
        onThreads(4) { thread in
            for index in 0..<1_000 {
                do { try stream.write(Self.record(thread: thread, index: index)) } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        try stream.flush()  // the writer thread writes; the pipe closes once it is done
        let output = try #require(pipe.finish())

        var nextIndex = [Int](repeating: 0, count: 4)
        for line in output.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast() {
            let text = String(decoding: line, as: UTF8.self)
            let header = try #require(text.split(separator: ":", maxSplits: 1).first, "line without header")
            let parts = header.dropFirst().split(separator: "#")
            let thread = try #require(Int(parts[0]))
            let index = try #require(Int(parts[1]))
            #expect(index == nextIndex[thread], "thread \(thread) out of order")
            nextIndex[thread] = index + 1
            #expect(Array(line) + [UInt8(ascii: "\n")] == Self.record(thread: thread, index: index), "record cut or mixed")
        }
        #expect(nextIndex == [1_000, 1_000, 1_000, 1_000])
        #expect(stream.statistics.recordsWritten == 4_000)
    }

    @Test func writeAfterCloseFails() throws {
        let pipe = try DrainedPipe()
        let stream = StdOutStream(fileDescriptor: pipe.writeEnd)
        try stream.write(bytes("a"))
        try stream.close()
        try stream.close()
        #expect(streamError { () throws(StreamError) in try stream.write(bytes("b")) }?.code == .closed)
        #expect(pipe.finish() == bytes("a"))
    }

    @Test func failedWriteIsCountedAndToldByFlush() throws {
        let errors = ErrorCollector()
        let stream = StdOutStream(fileDescriptor: 1_000_000, errorHandler: errors.handler)  // not open: EBADF
        try stream.write(bytes("x"))  // only queued
        let error = streamError { () throws(StreamError) in try stream.flush() }
        #expect(error?.code == .writeFailed)
        #expect(error?.errno == EBADF)
        #expect(stream.statistics.recordsFailed == 1)
        #expect(errors.all.map(\.errno) == [EBADF])
    }
}
