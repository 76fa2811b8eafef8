import HekaClient
import HekaLogging
import Logging
import LoopbackSupport
import Streams
import Testing

@Suite struct TransportTests {
    @Test("over a real loopback UDP socket: one datagram, a framed protobuf record of the message")
    func overUDP() throws {
        let receiver = try LoopbackUDPReceiver()
        let client = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: receiver.port), logger: "shop")
        let logger = Logger(label: "shop.disk") { label in
            HekaLogHandler(label: label, client: client, metadataProvider: nil)
        }
        logger.warning("disk nearly full", metadata: ["disk": "sda", "mounts": ["/", "/home"]]); let line = #line
        let datagram = try #require(receiver.receive())
        #expect(datagram.first == 0x1E)
        let events = RecordDecoder.decodeAll(datagram)
        guard events.count == 1, case .record(let record) = events[0] else {
            Issue.record("expected one record, decoded \(events)")
            return
        }
        #expect(record.length == datagram.count)
        let message = record.message
        #expect(message.type == "oldstyle" && message.logger == "shop.disk" && message.severity == .warning)
        #expect(message.payload == "disk nearly full")
        #expect(message.fields == [
            Field(name: "disk", value: "sda"),
            Field(name: "mounts", value: .strings(["/", "/home"])),
            Field(name: "file", value: "HekaLoggingTests/TransportTests.swift"),
            Field(name: "line", value: FieldValue(line)),
        ])
        #expect(client.statistics.messagesSent == 1 && client.statistics.messagesFailed == 0)
    }

    @Test("8 threads logging at once through copies of one logger: every message arrives once, in each thread's order")
    func eightThreads() throws {
        let (threads, perThread) = (8, 500)
        let (logger, stream, client) = capturingLogger(capacity: threads * perThread)
        onThreads(threads) { thread in
            var mine = logger
            mine[metadataKey: "thread"] = "\(thread)"
            for index in 0..<perThread { mine.info("\(thread) \(index)") }
        }
        let sent = stream.messages
        #expect(sent.count == threads * perThread && client.statistics.messagesSent == threads * perThread)
        #expect(Set(sent.map(\.payload)).count == threads * perThread)
        for thread in 0..<threads {
            let mine = sent.filter { $0.field("thread") == FieldValue("\(thread)") }.map(\.payload)
            #expect(mine == (0..<perThread).map { "\(thread) \($0)" })
        }
    }
}
