#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopbackSupport
import Streams
import Testing

@testable import HekaClient

/// A UDP port where nobody listens, a file that cannot be opened and one that cannot be
/// written: what the caller sees (never a throw), what is counted and what is reported.
@Suite struct StreamFaultTests {
    /// Nobody listens: the host answers each datagram with an ICMP "port unreachable",
    /// which the stream's connected socket reports on the next send. Every record is still
    /// sent (the send is made again) and counts as written; the reports are counted, and the
    /// outage is reported once. A listener that binds the port later gets the datagrams sent
    /// from then on, and none of the earlier ones; once they go through, a new outage is
    /// reported again.
    @Test("UDP with nobody listening: every record is sent and counted; the outage is counted and reported once")
    func udpNobodyListening() throws {
        let port = try ReservedPort(type: Int32(SOCK_DGRAM.rawValue)).port  // released at once: nobody on it
        let errors = ErrorLog()
        let stream = try UdpStream(
            host: "127.0.0.1", port: port, errorHandler: errors.handler.forStream(named: "udp://127.0.0.1:\(port)"))
        let client = HekaClient(stream: stream, errorHandler: errors.handler)
        NumberedMessages.send(client, 0..<100)
        let unheard = client.statistics
        #expect(unheard.messagesSent == 100 && unheard.messagesFailed == 0)
        #expect(unheard.stream.recordsWritten == 100 && unheard.stream.recordsFailed == 0)
        // One ICMP report per datagram but the last (whose report is still queued), unless
        // the kernel's ICMP rate limit held some back.
        #expect((1...99).contains(stream.unreachableReports))
        #expect(unheard.streamErrors == 1)
        let reported = try #require(errors.all.first)
        #expect(errors.all.count == 1 && reported.code == .streamFailed && reported.stream == stream.description)
        let underlying = try #require(reported.underlying as? StreamError)
        #expect(underlying.code == .destinationUnreachable && underlying.errno == ECONNREFUSED)
        #expect(underlying.message.contains("127.0.0.1:\(port) reported that datagrams sent to it were not delivered"))

        var receiver: LoopbackUDPReceiver? = try LoopbackUDPReceiver(port: port)
        NumberedMessages.send(client, 100..<110)
        var datagrams: [UInt8] = []
        for _ in 0..<10 { datagrams += try #require(receiver?.receive()) }
        #expect(NumberedMessages.arrival(datagrams).seqs == [Array(100..<110)])
        #expect(client.statistics.stream.recordsWritten == 110 && errors.all.count == 1)

        // The listener goes: a new outage, reported once more.
        let reports = stream.unreachableReports
        receiver = nil
        NumberedMessages.send(client, 110..<120)
        #expect(client.statistics.stream.recordsWritten == 120 && client.statistics.messagesFailed == 0)
        #expect(stream.unreachableReports > reports)
        #expect(errors.all.count == 2 && client.statistics.streamErrors == 2)
    }

    /// A path under a directory that does not exist: the stream's initialiser throws, and a
    /// client configured with it is never built; either error names the path and the reason.
    @Test("a file that cannot be opened: an error naming the path and the reason, from the API, INI and dictionary")
    func fileCannotBeOpened() throws {
        let path = "/nonexistent-\(UUID().uuidString)/heka.log"
        let opened = #expect(throws: StreamError.self) { try FileStream(path: path) }
        #expect(opened?.code == .openFailed && opened?.errno == ENOENT)
        #expect(opened?.description == "file:\(path): cannot open '\(path)': No such file or directory (openFailed, errno 2)")

        // The configuration error points at the key that holds the path, where it was written.
        let reason = "cannot open the stream: file:\(path): cannot open '\(path)': No such file or directory"
        let ini = try HekaConfiguration(iniText: "[heka]\nstream_class = file\nstream_filepath = \(path)\n", path: "app.ini")
        let fromINI = #expect(throws: ConfigurationError.self) { try HekaClient(configuration: ini) }
        #expect(fromINI?.code == .streamUnavailable)
        #expect(fromINI?.description == "app.ini:3: [heka] stream_filepath: " + reason)

        let dictionary = try HekaConfiguration(dictionary: ["stream": ["class": "heka.streams.FileStream", "filepath": path]])
        let fromDictionary = #expect(throws: ConfigurationError.self) { try HekaClient(configuration: dictionary) }
        #expect(fromDictionary?.description == "[heka] stream.filepath: " + reason)

        let inCode = HekaConfiguration(stream: .file(path: path))
        let fromCode = #expect(throws: ConfigurationError.self) { try HekaClient(configuration: inCode) }
        #expect(fromCode?.description == "[heka] stream_filepath: " + reason)
    }

    @Test("a host that does not resolve: the configuration error points at stream_host, where it was written")
    func hostDoesNotResolve() throws {
        let ini = try HekaConfiguration(
            iniText: "[heka]\nstream_class = tcp\nstream_port = 5565\nstream_host = no-such-host.invalid\n", path: "app.ini")
        let error = #expect(throws: ConfigurationError.self) { try HekaClient(configuration: ini) }
        #expect(error?.code == .streamUnavailable)
        #expect(error?.description.hasPrefix(
            "app.ini:4: [heka] stream_host: cannot open the stream: tcp://no-such-host.invalid:5565: cannot resolve host 'no-such-host.invalid': ") == true)
    }

    /// /dev/full refuses every write with ENOSPC, as a full disk does. The caller only queues
    /// (the stream's writer thread writes), so the messages count as sent; the failed records
    /// are counted by the stream, the outage is reported once, and flush says how many failed.
    @Test("a file that fails on write (ENOSPC): each record counted, the outage and the flush reported with the system's reason",
          .enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs Linux's /dev/full"))
    func fileWriteFails() throws {
        let errors = ErrorLog()
        let configuration = try HekaConfiguration(iniText: "[heka]\nstream_class = file\nstream_filepath = /dev/full\n")
        let client = try HekaClient(configuration: configuration, errorHandler: errors.handler)
        NumberedMessages.send(client, 0..<5)
        #expect(!client.flush())
        let statistics = client.statistics
        #expect(statistics.messagesSent == 5 && statistics.messagesFailed == 0)
        #expect(statistics.stream.recordsFailed == 5 && statistics.stream.recordsWritten == 0)
        #expect(statistics.streamErrors == 1)
        let reported = errors.all
        #expect(reported.count == 2)
        #expect(reported.allSatisfy { ($0.underlying as? StreamError)?.errno == ENOSPC })
        #expect(reported.first?.code == .streamFailed)
        #expect(reported.first?.description.hasPrefix("could not send messages to file:/dev/full: cannot write ") == true)
        #expect(reported.first?.description.hasSuffix(" bytes): No space left on device (writeFailed, errno 28)") == true)
        #expect(reported.last?.code == .flushFailed)
        #expect((reported.last?.underlying as? StreamError)?.message
            == "file:/dev/full: 5 records since the last flush could not be written (No space left on device)")
        #expect(client.close())
    }
}
