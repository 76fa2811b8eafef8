#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopbackSupport
import SwiftProtobuf
import Streams
import Testing

@testable import HekaClient

/// A client writing through real streams; what arrives is read by the independent
/// (swift-protobuf) decoder, with every byte accounted for and every signature checked.
@Suite struct EndToEndTests {
    static let key = Array("a shared secret".utf8)
    static let keys: [String: (HMACSigner.HashFunction, [UInt8])] = ["app_3": (.md5, key), "app_4": (.sha1, key)]

    static func sendAll(_ client: HekaClient, count: Int) {
        for index in 0..<count {
            switch index % 4 {
            case 0: client.heka(type: "e2e", payload: "message \(index)", fields: ["index": .value(FieldValue(index)), "ok": true])
            case 1: client.incr("e2e.count", count: index)
            case 2: client.timerSend("e2e.timer", elapsed: index)
            default: client.info("line \(index) ünïcode")
            }
        }
    }

    /// The payload `sendAll` gives message `index`.
    static func payload(_ index: Int) -> String {
        switch index % 4 {
        case 0: "message \(index)"
        case 3: "line \(index) ünïcode"
        default: "\(index)"
        }
    }

    static func checkOrder(_ decoded: [HekaMessage], count: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(decoded.map(\.payload) == (0..<count).map(payload), sourceLocation: sourceLocation)
        #expect(decoded.map(\.type).prefix(4) == ["e2e", "counter", "timer", "oldstyle"], sourceLocation: sourceLocation)
    }

    @Test("file: 1,000 MD5-signed records, all decoded and verified independently, in order")
    func file() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heka-e2e-\(UUID().uuidString).log").path
        defer { unlink(path) }
        let signer = try HMACSigner(signer: "app", keyVersion: 3, hashFunction: .md5, key: Self.key)
        let client = HekaClient(stream: try FileStream(path: path), encoder: ProtobufEncoder(signer: signer), logger: "e2e")
        Self.sendAll(client, count: 1000)
        #expect(client.close())
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let records = try independentlyDecode(bytes, keys: Self.keys)
        #expect(records.allSatisfy { $0.0.hmacSigner == "app" && $0.0.hmacKeyVersion == 3 && $0.0.hmac.count == 16 })
        Self.checkOrder(records.map(\.1), count: 1000)
        // Our decoder agrees, and verifies each signature.
        let ours = RecordDecoder.decodeAll(bytes, keys: [signer])
        #expect(ours.count == 1000 && ours.allSatisfy { if case .record(let r) = $0 { r.verified } else { false } })
        #expect(client.statistics.messagesSent == 1000 && client.statistics.messagesFailed == 0)
    }

    @Test("UDP: 400 SHA1-signed records, one per datagram, each a whole verified record")
    func udp() throws {
        let receiver = try LoopbackUDPReceiver()
        let signer = try HMACSigner(signer: "app", keyVersion: 4, hashFunction: .sha1, key: Self.key)
        let client = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: receiver.port),
                                encoder: ProtobufEncoder(signer: signer))
        var datagrams: [[UInt8]] = []
        // Send and receive in batches so the receive buffer never overflows.
        for batch in 0..<8 {
            for index in 0..<50 { client.heka(type: "udp", payload: "\(batch * 50 + index)") }
            for _ in 0..<50 { datagrams.append(try #require(receiver.receive(timeout: .seconds(5)))) }
        }
        // Each datagram is exactly one whole record: its header's length accounts for it all.
        for datagram in datagrams {
            let header = try Message_Header(serializedBytes: Data(datagram[2..<(2 + Int(datagram[1]))]))
            #expect(datagram.count == 3 + Int(datagram[1]) + Int(header.messageLength))
        }
        let decoded = try independentlyDecode(datagrams.flatMap { $0 }, keys: Self.keys).map(\.1)
        #expect(decoded.map(\.payload) == (0..<400).map(String.init))
        #expect(client.statistics.stream.recordsWritten == 400)
    }

    @Test("TCP: 5,000 records through the background writer, read whole and in order")
    func tcp() throws {
        let listener = try LoopbackTCPListener()
        let client = HekaClient(stream: try TcpStream(host: "127.0.0.1", port: listener.port))
        let done = DispatchSemaphore(value: 0)
        Thread {
            Self.sendAll(client, count: 5000)
            client.close(timeout: .seconds(20))
            done.signal()
        }.start()
        try listener.accept(timeout: .seconds(10))
        let bytes = listener.read(count: .max, timeout: .seconds(20))  // until the client closes
        #expect(done.wait(timeout: .now() + 20) == .success)
        let records = try independentlyDecode(bytes)
        Self.checkOrder(records.map(\.1), count: 5000)
        #expect(client.statistics.stream.recordsWritten == 5000 && client.statistics.stream.recordsDropped == 0)
    }

    @Test("UDP with nobody listening: nothing crashes, the outcome is counted")
    func udpNobodyListening() throws {
        let reserved = try ReservedPort(type: Int32(SOCK_DGRAM.rawValue))
        let errors = ErrorLog()
        let client = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: reserved.port), errorHandler: errors.handler)
        for index in 0..<20 { client.heka(type: "void", payload: "\(index)") }
        let stats = client.statistics
        // Linux reports no ICMP error on an unconnected UDP socket: the datagrams count as
        // written, as a UDP sender cannot know better.
        #expect(stats.messagesSent + stats.messagesFailed == 20)
        #expect(stats.messagesFailed == errors.all.count)
    }
}
