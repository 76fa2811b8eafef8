#if canImport(Glibc)
import Glibc
#endif
import LoopbackSupport
import Streams
import Testing

@testable import HekaClient

/// The UDP stream's own counters reach the client's statistics.
@Suite struct StreamStatisticsTests {
    @Test("a UDP stream's unreachable reports are in client.statistics.stream")
    func unreachableReports() throws {
        let port = try ReservedPort(type: Int32(SOCK_DGRAM.rawValue)).port  // released at once: nobody on it
        let stream = try UdpStream(host: "127.0.0.1", port: port, errorHandler: StreamErrorHandler { _ in })
        let client = HekaClient(stream: stream, errorHandler: ErrorLog().handler)
        for index in 0..<3 { client.heka(type: "unheard \(index)") }
        let statistics = client.statistics.stream
        #expect((1...2).contains(statistics.unreachableReports))
        #expect(statistics.unreachableReports == stream.unreachableReports && statistics.destinationFailures == 0)
    }

    @Test("a UDP stream's destination failures are in client.statistics.stream")
    func destinationFailures() throws {
        let receiver = try LoopbackUDPReceiver()
        // Sending to the broadcast address without SO_BROADCAST always fails.
        let stream = try UdpStream(
            destinations: [HostAndPort(host: "127.0.0.1", port: receiver.port), HostAndPort(host: "255.255.255.255", port: 9)],
            errorHandler: StreamErrorHandler { _ in })
        let client = HekaClient(stream: stream, errorHandler: ErrorLog().handler)
        client.heka(type: "reached one")
        #expect(receiver.receive() != nil)
        #expect(client.statistics.stream.destinationFailures == 1 && client.statistics.stream.unreachableReports == 0)
    }

    @Test("other streams count neither")
    func otherStreams() {
        let (client, _) = ClientTests.client()
        client.heka(type: "captured")
        #expect(client.statistics.stream == StreamStatistics(recordsWritten: 1, bytesWritten: client.statistics.stream.bytesWritten))
    }
}
