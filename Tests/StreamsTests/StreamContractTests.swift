#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

@testable import Streams

/// What every stream promises, and the types a stream written outside the package uses.
@Suite struct StreamContractTests {
    @Test("HostAndPort reads HOST:PORT, [v6]:PORT and a bare PORT, and refuses the rest",
          arguments: [
            ("127.0.0.1:5565", HostAndPort(host: "127.0.0.1", port: 5565)),
            ("[::1]:5565", HostAndPort(host: "::1", port: 5565)),
            ("localhost:0", HostAndPort(host: "localhost", port: 0)),
            ("5565", HostAndPort(host: "127.0.0.1", port: 5565)),
          ])
    func hostAndPortParses(text: String, expected: HostAndPort) {
        #expect(HostAndPort(parsing: text) == expected)
        #expect(HostAndPort(parsing: expected.description) == expected)
    }

    @Test("HostAndPort refuses what is not a host and a port",
          arguments: ["", ":5565", "::1:5565", "[::1]5565", "host:65536", "host:-1", "host:port", "host:٥٥٦٥"])
    func hostAndPortRefuses(text: String) {
        #expect(HostAndPort(parsing: text) == nil)
    }

    @Test("an IPv6 literal is written in brackets; the sendable ports are 1...65535")
    func hostAndPortDescription() {
        #expect(HostAndPort(host: "::1", port: 80).description == "[::1]:80")
        #expect(HostAndPort(host: "example.com", port: 80).description == "example.com:80")
        #expect(HostAndPort.sendablePorts == 1...65_535)
    }

    @Test("a stream written outside the package makes codes of its own, equal by name")
    func extensibleCodes() {
        let rateLimited = StreamError.Code("rateLimited")
        let error = StreamError(rateLimited, "custom://: slow down")
        #expect(error.code == StreamError.Code("rateLimited") && error.code != .writeFailed)
        #expect(error.description == "custom://: slow down (rateLimited)")
        #expect(StreamError.Code.queueFull == StreamError.Code("queueFull"))
    }

    @Test("one file-descriptor stream: a given descriptor is never closed, an opened file is")
    func fileDescriptorStreamOwnership() throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer { Glibc.close(ends[0]) }
        let given = FileDescriptorStream(fileDescriptor: ends[1])
        #expect(given.description == "fd:\(ends[1])" && given.path == nil)
        try given.write(bytes("x"))
        try given.close()
        #expect(fcntl(ends[1], F_GETFD) >= 0)  // still open
        Glibc.close(ends[1])
        #expect(StdOutStream().description == "stdout")

        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try FileStream(path: directory + "/out.log")
        #expect(file.description == "file:\(directory)/out.log" && file.path == directory + "/out.log")
        let descriptor = file.fileDescriptor
        try file.write(bytes("line\n"))
        try file.close()
        #expect(fcntl(descriptor, F_GETFD) == -1)  // closed
        #expect(throws: StreamError.self) { try file.write(bytes("late")) }
        #expect(try String(contentsOfFile: directory + "/out.log", encoding: .utf8) == "line\n")
    }

    @Test("a TCP stream released with records queued reports them to its handler")
    func tcpDeinitReportsDropped() throws {
        let port = try ReservedPort(type: Int32(SOCK_STREAM.rawValue)).port  // nobody listens
        let errors = ErrorCollector()
        var stream: TcpStream? = try TcpStream(
            host: "127.0.0.1", port: port, reconnectBackoff: .init(initial: .seconds(30), maximum: .seconds(30)),
            errorHandler: errors.handler)
        for index in 0..<3 { try stream?.write(bytes("record \(index)")) }
        #expect(errors.waitForError())  // the refused connect: the writer now waits out its backoff
        stream = nil
        let released = errors.all.filter { $0.code == .timedOut }
        #expect(released.count == 1)
        #expect(released.first?.message == "tcp://127.0.0.1:\(port): released before close; 3 records still pending were dropped")
    }
}

@Suite struct UdpProbeTests {
    @Test("a probe hears that nobody listens, without counting a record")
    func probeHearsRefusal() throws {
        let port = try ReservedPort(type: Int32(SOCK_DGRAM.rawValue)).port  // nobody listens
        let errors = ErrorCollector()
        let stream = try UdpStream(host: "127.0.0.1", port: port, errorHandler: errors.handler)
        try stream.write(bytes("unheard"))
        // The refusal arrives as an ICMP report; the probe's send is where it is heard.
        var heard = 0
        for _ in 0..<1000 where heard == 0 { heard = stream.probeDestinations() }
        #expect(heard == 1 && stream.unreachableReports == 1)
        #expect(stream.statistics.recordsWritten == 1)
        #expect(errors.all.map(\.code) == [.destinationUnreachable])
    }

    @Test("a probe to a listener reports nothing and delivers an empty datagram")
    func probeToListener() throws {
        let receiver = try LoopbackUDPReceiver()
        let stream = try UdpStream(host: "127.0.0.1", port: receiver.port, errorHandler: .ignore)
        try stream.write(bytes("heard"))
        #expect(stream.probeDestinations() == 0)
        #expect(receiver.receive() == bytes("heard") && receiver.receive() == [])
        #expect(stream.statistics.recordsWritten == 1 && stream.unreachableReports == 0)
    }
}
