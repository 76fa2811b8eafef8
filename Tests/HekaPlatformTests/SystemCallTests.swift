import Foundation
import HekaPlatform
import SystemPackage
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct SystemCallTests {
    @Test("syscall: a failure becomes the Errno; a success its result")
    func syscallResults() throws {
        #expect(throws: Errno.badFileDescriptor) { try syscall { close(-1) } }
        var pipeEnds: [Int32] = [-1, -1]
        _ = try syscall { pipe(&pipeEnds) }
        defer { closeDescriptor(pipeEnds[0]) }
        let written = try syscall { write(pipeEnds[1], "abc", 3) }
        #expect(written == 3)
        closeDescriptor(pipeEnds[1])
    }

    @Test("writeAll: a record larger than a pipe's buffer arrives whole while the reader drains it")
    func writeAllThroughAPipe() throws {
        var ends: [Int32] = [-1, -1]
        _ = try syscall { pipe(&ends) }
        let (reader, writer) = (ends[0], ends[1])
        let record = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let received = LockedValue<[UInt8]>([])
        let drained = DispatchSemaphore(value: 0)
        let drain = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while case .bytes(let count) = readBytes(reader, into: &buffer) {
                received.withLock { $0.append(contentsOf: buffer[..<count]) }
            }
            drained.signal()  // the end of the pipe: the writer is closed
        }
        drain.start()
        #expect(writeAll(fd: writer, record) == nil)
        closeDescriptor(writer)
        #expect(drained.wait(timeout: .now() + 30) == .success)
        #expect(received.withLock { $0 } == record)
        closeDescriptor(reader)
    }

    @Test("writeAll: a pipe with no reader fails with EPIPE, not SIGPIPE, when the signal is ignored")
    func writeAllToAClosedPipe() throws {
        var ends: [Int32] = [-1, -1]
        _ = try syscall { pipe(&ends) }
        closeDescriptor(ends[0])
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        #expect(writeAll(fd: ends[1], [1, 2, 3]) == EPIPE)
        closeDescriptor(ends[1])
    }

    @Test("waitForEvents: a readable descriptor is reported; a silent one times out")
    func pollOutcomes() throws {
        var ends: [Int32] = [-1, -1]
        _ = try syscall { pipe(&ends) }
        defer { closeDescriptor(ends[0]); closeDescriptor(ends[1]) }
        #expect(waitForEvents([(ends[0], PollEvents.readable)], deadline: .after(.milliseconds(20))) == .timedOut)
        #expect(writeAll(fd: ends[1], [42]) == nil)
        #expect(waitForEvents([(ends[0], PollEvents.readable)], deadline: nil) == .ready([0]))
    }

    @Test("Duration helpers: clamped nanoseconds, rounded milliseconds, message text")
    func durations() {
        #expect(Duration.seconds(2).clampedNanoseconds == 2_000_000_000)
        #expect(Duration.seconds(-1).clampedNanoseconds == 0)
        #expect(Duration.seconds(Int64.max).clampedNanoseconds == .max)
        #expect(Duration.nanoseconds(1_499_999).roundedMilliseconds == 1)
        #expect(Duration.nanoseconds(1_500_000).roundedMilliseconds == 2)
        #expect(Duration.microseconds(199_989).millisecondsText == "200 ms")
        #expect(Duration.milliseconds(1500).seconds == 1.5)
    }

    @Test("MonotonicInstant: advancing saturates instead of overflowing")
    func instants() {
        let late = MonotonicInstant(nanoseconds: .max - 5).advanced(by: .seconds(1))
        #expect(late.nanoseconds == .max)
        #expect(MonotonicInstant.after(.zero) <= MonotonicInstant.now())
    }

    @Test("SocketAddress.resolve: bad ports and empty hosts are refused before the resolver")
    func resolveRefusals() {
        #expect(throws: AddressError.self) { try SocketAddress.resolve(host: "127.0.0.1", port: 0, kind: .datagram) }
        #expect(throws: AddressError.self) { try SocketAddress.resolve(host: "127.0.0.1", port: 65_536, kind: .stream) }
        #expect(throws: AddressError.self) { try SocketAddress.resolve(host: "", port: 5565, kind: .stream) }
        #expect((try? SocketAddress.resolve(host: "127.0.0.1", port: 0, kind: .datagram, listening: true)) != nil)
        let v4 = try? SocketAddress.resolve(host: "127.0.0.1", port: 5565, kind: .datagram)
        #expect(v4?.first?.description == "127.0.0.1:5565")
    }
}
