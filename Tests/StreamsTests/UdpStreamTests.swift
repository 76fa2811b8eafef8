#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing

@testable import Streams

@Suite("UdpStream")
struct UdpStreamTests {
    @Test func oneDatagramPerRecordBytesExact() throws {
        let receiver = try LoopbackUDPReceiver()
        let stream = try UdpStream(host: "127.0.0.1", port: receiver.port)
        #expect(stream.description == "udp://127.0.0.1:\(receiver.port)")
        #expect(stream.resolvedAddresses == ["127.0.0.1:\(receiver.port)"])
        let records = [bytes("one"), [UInt8](repeating: 0x1E, count: 1_500), (0..<60_000).map { UInt8($0 % 251) }]
        for record in records { try stream.write(record) }
        for record in records {
            #expect(receiver.receive() == record)
        }
        let statistics = stream.statistics
        #expect(statistics.recordsWritten == 3)
        #expect(statistics.bytesWritten == records.map(\.count).reduce(0, +))
        #expect(statistics.recordsFailed == 0)
        try stream.close()
    }

    @Test func everyDestinationReceivesEachRecord() throws {
        let first = try LoopbackUDPReceiver()
        let second = try LoopbackUDPReceiver()
        let stream = try UdpStream(destinations: [HostAndPort(host: "127.0.0.1", port: first.port), HostAndPort(host: "127.0.0.1", port: second.port)])
        #expect(stream.description == "udp://127.0.0.1:\(first.port),127.0.0.1:\(second.port)")
        try stream.write(bytes("alpha"))
        try stream.write(bytes("beta"))
        #expect(first.receive() == bytes("alpha"))
        #expect(first.receive() == bytes("beta"))
        #expect(second.receive() == bytes("alpha"))
        #expect(second.receive() == bytes("beta"))
        #expect(stream.statistics.recordsWritten == 2)
        #expect(stream.statistics.bytesWritten == 9)
    }

    @Test(.enabled(if: ipv6LoopbackAvailable(), "IPv6 loopback (::1) is not available on this machine"))
    func ipv6LoopbackAlongsideIPv4() throws {
        let v6 = try LoopbackUDPReceiver(family: AF_INET6)
        let v4 = try LoopbackUDPReceiver()
        let stream = try UdpStream(destinations: [HostAndPort(host: "::1", port: v6.port), HostAndPort(host: "127.0.0.1", port: v4.port)])
        #expect(stream.description == "udp://[::1]:\(v6.port),127.0.0.1:\(v4.port)")
        #expect(stream.resolvedAddresses == ["[::1]:\(v6.port)", "127.0.0.1:\(v4.port)"])
        try stream.write(bytes("both families"))
        #expect(v6.receive() == bytes("both families"))
        #expect(v4.receive() == bytes("both families"))
    }

    @Test func hostNamesResolve() throws {
        let reserved = try ReservedPort(type: Int32(SOCK_DGRAM.rawValue))
        let probe = try UdpStream(host: "localhost", port: reserved.port)
        let chosen = try #require(probe.resolvedAddresses.first)
        // Listen on whichever loopback address `localhost` resolved to here.
        let receiver = try LoopbackUDPReceiver(family: chosen.hasPrefix("[") ? AF_INET6 : AF_INET)
        let stream = try UdpStream(host: "localhost", port: receiver.port)
        try stream.write(bytes("by name"))
        #expect(receiver.receive() == bytes("by name"))
    }

    @Test func oversizedRecordIsNeverSent() throws {
        let receiver = try LoopbackUDPReceiver()
        let stream = try UdpStream(host: "127.0.0.1", port: receiver.port, maxDatagramSize: 100)
        let error = streamError { () throws(StreamError) in try stream.write([UInt8](repeating: 0x41, count: 101)) }
        #expect(error?.code == .recordTooLarge)
        #expect(error?.message.contains("101") == true)
        #expect(error?.message.contains("100") == true)
        #expect(error?.message.contains(stream.description) == true)
        #expect(stream.statistics.recordsFailed == 1)
        #expect(receiver.receive(timeout: .milliseconds(200)) == nil)

        let small = [UInt8](repeating: 0x42, count: 100)
        try stream.write(small)
        // The first datagram to arrive is the small record, so the big one was never sent.
        #expect(receiver.receive() == small)
        #expect(stream.statistics.recordsWritten == 1)
        #expect(stream.statistics.recordsFailed == 1)
    }

    @Test func invalidConfigurationIsRejected() {
        for port in [0, -1, 65_536] {
            let error = streamError { () throws(StreamError) in _ = try UdpStream(host: "127.0.0.1", port: port) }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.message.contains("\(port)") == true)
        }
        let noDestination = streamError { () throws(StreamError) in _ = try UdpStream(destinations: []) }
        #expect(noDestination?.code == .invalidConfiguration)
        let badSize = streamError { () throws(StreamError) in
            _ = try UdpStream(host: "127.0.0.1", port: 5565, maxDatagramSize: 0)
        }
        #expect(badSize?.code == .invalidConfiguration)
    }

    @Test func unresolvableHostIsNamed() {
        let error = streamError { () throws(StreamError) in _ = try UdpStream(host: "no-such-host.invalid", port: 5565) }
        #expect(error?.code == .resolveFailed)
        #expect(error?.message.contains("no-such-host.invalid") == true)
    }

    /// The stream's socket is connected, so the ICMP "port unreachable" that answers a
    /// datagram to a port where nothing listens comes back as `ECONNREFUSED` on the next
    /// send. The record is sent again and counts as written; the report is counted, and
    /// handed on once per outage.
    @Test func nobodyListeningIsCountedAndReportedOnce() throws {
        // The reserving socket is closed at the end of this statement: nothing is bound to the port.
        let port = try ReservedPort(type: Int32(SOCK_DGRAM.rawValue)).port
        let errors = ErrorCollector()
        let stream = try UdpStream(host: "127.0.0.1", port: port, errorHandler: errors.handler)
        for index in 0..<3 { try stream.write(bytes("unheard \(index)")) }
        #expect(stream.statistics.recordsWritten == 3)
        #expect(stream.statistics.recordsFailed == 0)
        #expect(stream.destinationFailures == 0)
        #expect((1...2).contains(stream.unreachableReports))
        #expect(errors.all.map(\.code) == [.destinationUnreachable])
        #expect(errors.all.first?.errno == ECONNREFUSED)
        #expect(errors.all.first?.message.hasPrefix("udp://127.0.0.1:\(port): 127.0.0.1:\(port) reported") == true)
    }

    @Test func partialDestinationFailureIsReportedNotThrown() throws {
        let receiver = try LoopbackUDPReceiver()
        // Sending to the broadcast address without SO_BROADCAST always fails (EACCES, or
        // ENETUNREACH on a machine without a route).
        let errors = ErrorCollector()
        let stream = try UdpStream(destinations: [HostAndPort(host: "127.0.0.1", port: receiver.port), HostAndPort(host: "255.255.255.255", port: 9)], errorHandler: errors.handler)
        try stream.write(bytes("reached one"))
        #expect(receiver.receive() == bytes("reached one"))
        #expect(stream.statistics.recordsWritten == 1)
        #expect(stream.statistics.recordsFailed == 0)
        #expect(stream.destinationFailures == 1)
        let reported = errors.all
        #expect(reported.count == 1)
        #expect(reported.first?.code == .writeFailed)
        #expect(reported.first?.message.contains("255.255.255.255:9") == true)

        let unreachable = try UdpStream(host: "255.255.255.255", port: 9)
        let error = streamError { () throws(StreamError) in try unreachable.write(bytes("reached none")) }
        #expect(error?.code == .writeFailed)
        #expect(error?.message.contains("255.255.255.255:9") == true)
        #expect(unreachable.statistics.recordsFailed == 1)
        #expect(unreachable.statistics.recordsWritten == 0)
    }

    @Test func writeAfterCloseFailsEvenWithWritersInFlight() throws {
        let receiver = try LoopbackUDPReceiver()
        let stream = try UdpStream(host: "127.0.0.1", port: receiver.port)
        let closedErrors = Atomic<Int>(0)
        let otherErrors = Atomic<Int>(0)
        onThreads(4) { thread in
            for index in 0..<500 {
                if thread == 0 && index == 250 { try? stream.close() }
                do throws(StreamError) {
                    try stream.write(bytes("x"))
                } catch {
                    if error.code == .closed {
                        closedErrors.add(1, ordering: .relaxed)
                    } else {
                        otherErrors.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        #expect(otherErrors.load(ordering: .relaxed) == 0)
        #expect(stream.statistics.recordsWritten + closedErrors.load(ordering: .relaxed) == 2_000)
        #expect(streamError { () throws(StreamError) in try stream.write(bytes("late")) }?.code == .closed)
        try stream.close()
    }
}
