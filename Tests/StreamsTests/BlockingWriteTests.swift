#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Testing

@testable import Streams

/// Runs `body` on a thread of its own and waits up to `timeout` for it; `false` if it was
/// still running (blocked) then.
private func finishes(within timeout: DispatchTimeInterval = .seconds(10), _ body: @escaping @Sendable () -> Void) -> Bool {
    let done = DispatchSemaphore(value: 0)
    Thread {
        body()
        done.signal()
    }.start()
    return done.wait(timeout: .now() + timeout) == .success
}

/// A pipe nobody reads until ``drain()``: writes to it block once its buffer is full.
private final class StalledPipe: Sendable {
    let readEnd: Int32
    let writeEnd: Int32

    init() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        (readEnd, writeEnd) = (ends[0], ends[1])
    }

    /// Reads `count` bytes; `false` if the pipe ended first.
    func read(exactly count: Int) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var left = count
        while left > 0 {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(readEnd, $0.baseAddress, min(left, $0.count)) }
            if got <= 0 { return false }
            left -= got
        }
        return true
    }

    deinit { close(readEnd) }
}

@Suite("FileDescriptorStream: the caller never waits on I/O")
struct BlockingWriteTests {
    @Test("a pipe nobody reads: writes queue, then overflow is dropped and counted; statistics, flush and close return")
    func stalledPipeNeverBlocksTheCaller() throws {
        let pipe = try StalledPipe()
        let errors = ErrorCollector()
        let stream = StdOutStream(fileDescriptor: pipe.writeEnd, queueCapacity: 100, errorHandler: errors.handler)
        let record = [UInt8](repeating: 0x61, count: 10_000)  // the pipe's 64 KiB fill after 7
        let outcome = LockedBox<(accepted: Int, full: Int, timedOut: Int)>((0, 0, 0))
        #expect(finishes {
            for _ in 0..<1_000 {
                do throws(StreamError) {
                    try stream.write(record)
                    outcome.update { $0.accepted += 1 }
                } catch {
                    if error.code == .queueFull { outcome.update { $0.full += 1 } }
                }
            }
            _ = stream.statistics
            do throws(StreamError) { try stream.flush(timeout: .milliseconds(50)) } catch {
                if error.code == .timedOut { outcome.update { $0.timedOut += 1 } }
            }
        })
        let counts = outcome.value
        #expect(counts.accepted >= 100 && counts.accepted < 200)
        #expect(counts.full == 1_000 - counts.accepted)
        #expect(counts.timedOut == 1)
        let statistics = stream.statistics
        #expect(statistics.recordsDropped == counts.full)
        #expect(statistics.recordsQueued + statistics.recordsWritten == counts.accepted)
        #expect(statistics.recordsQueued > 0)

        let closing = LockedBox<StreamError?>(nil)
        #expect(finishes {
            do throws(StreamError) { try stream.close(timeout: .milliseconds(50)) } catch { closing.update { $0 = error } }
        })
        let error = try #require(closing.value)
        #expect(error.code == .timedOut)
        #expect(error.message.contains("still queued were dropped"))
        let droppedAtClose = stream.statistics.recordsDropped - counts.full
        #expect(droppedAtClose > 0)
        // The writer, blocked in write until now, finishes on its own once the pipe is read:
        // every record accepted and not dropped. Only then is the descriptor closed (closing
        // it under the writer would let a later write reach whatever reuses the number).
        #expect(pipe.read(exactly: (counts.accepted - droppedAtClose) * record.count))
        close(pipe.writeEnd)
    }

    @Test("a FIFO with no reader: opening fails at once with an error naming the path")
    func fifoWithoutReaderFailsToOpen() throws {
        let (directory, path) = try makeFIFO()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let opening = LockedBox<StreamError?>(nil)
        #expect(finishes {
            do throws(StreamError) { _ = try FileStream(path: path) } catch { opening.update { $0 = error } }
        })
        let error = try #require(opening.value)
        #expect(error.code == .openFailed)
        #expect(error.errno == ENXIO)
        #expect(error.message == "file:\(path): cannot open '\(path)': it is a FIFO that no process has open for reading")
    }

    @Test("a FIFO with a reader: opened, written to, and the records arrive")
    func fifoWithReader() throws {
        let (directory, path) = try makeFIFO()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        let stream = try FileStream(path: path)
        try stream.write(bytes("through the fifo\n"))
        try stream.flush()
        var buffer = [UInt8](repeating: 0, count: 100)
        let count = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
        #expect(count == 17 && Array(buffer[..<17]) == bytes("through the fifo\n"))
        try stream.close()
    }

    @Test("a pipe whose reader has gone: EPIPE is counted and reported, the process lives on")
    func brokenPipeIsCounted() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        close(ends[0])
        defer { close(ends[1]) }
        let errors = ErrorCollector()
        let stream = StdOutStream(fileDescriptor: ends[1], errorHandler: errors.handler)
        for index in 0..<3 { try stream.write(bytes("record \(index)\n")) }
        let error = streamError { () throws(StreamError) in try stream.flush() }
        #expect(error?.code == .writeFailed && error?.errno == EPIPE)
        #expect(stream.statistics.recordsFailed == 3)
        #expect(errors.all.count == 1)  // once per outage
        #expect(errors.all.first?.errno == EPIPE)
        try stream.close()
    }

    @Test("a stream handler that reports into itself runs once; the stream counts the recursion",
          .enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs Linux's /dev/full"))
    func handlerRecursionCounted() throws {
        let handler = LockedBox<StreamErrorHandler?>(nil)
        let calls = LockedBox(0)
        handler.update {
            $0 = StreamErrorHandler { error in
                calls.update { $0 += 1 }
                handler.value?(error)  // on the writer thread, inside itself
            }
        }
        let stream = try FileStream(path: "/dev/full", errorHandler: try #require(handler.value))
        try stream.write(bytes("no room"))
        #expect(throws: StreamError.self) { try stream.flush() }
        #expect(calls.value == 1)
        #expect(stream.statistics.errorHandlerRecursions == 1)
        try stream.close()
        handler.update { $0 = nil }
    }

    @Test("at exit, running writers get a bounded wait to write what they were given")
    func exitFlushWaitsBounded() throws {
        let pipe = try StalledPipe()
        let stream = StdOutStream(fileDescriptor: pipe.writeEnd, errorHandler: .ignore)
        for _ in 0..<20 { try stream.write([UInt8](repeating: 0x62, count: 10_000)) }  // 200 KB: over the pipe's 64 KiB
        let stalled = LockedBox(0)
        #expect(finishes { stalled.update { $0 = ExitFlush.run(timeout: .milliseconds(100)) } })
        #expect(stalled.value > 0)
        // Once the pipe is read, the wait ends when everything is written.
        let drained = LockedBox(false)
        Thread { drained.update { $0 = pipe.read(exactly: 200_000) } }.start()
        #expect(ExitFlush.run(timeout: .seconds(10)) == 0)
        #expect(stream.statistics.recordsWritten == 20 && stream.statistics.recordsQueued == 0)
        try stream.close()
        #expect(drained.value)
        close(pipe.writeEnd)
    }

    @Test("a flush from the error handler, on the writer thread, does not wait for itself",
          .enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs Linux's /dev/full"))
    func flushFromHandler() throws {
        let stream = LockedBox<FileStream?>(nil)
        let inner = LockedBox<StreamError.Code?>(nil)
        let handler = StreamErrorHandler { _ in
            do throws(StreamError) { try stream.value?.flush(timeout: .seconds(30)) } catch { inner.update { $0 = error.code } }
        }
        let made = try FileStream(path: "/dev/full", errorHandler: handler)
        stream.update { $0 = made }
        try made.write(bytes("no room"))
        // Had the handler's flush waited for the batch it is reporting, this one would time out.
        let outer = streamError { () throws(StreamError) in try made.flush(timeout: .seconds(10)) }
        #expect(outer?.code == .writeFailed)
        #expect(inner.value == .timedOut)
        stream.update { $0 = nil }
        try made.close()
    }

    @Test("a queue capacity below 1 counts as 1")
    func capacityAtLeastOne() {
        #expect(StdOutStream(queueCapacity: 0).queueCapacity == 1)
        #expect(StdOutStream().queueCapacity == 10_000)
    }
}

/// A FIFO in a fresh directory: the directory (for the caller to remove) and the FIFO's path.
private func makeFIFO() throws -> (directory: String, path: String) {
    let directory = try makeTemporaryDirectory()
    let path = directory + "/app.fifo"
    try #require(mkfifo(path, 0o600) == 0)
    return (directory, path)
}

/// A value shared with another thread, under a lock.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
