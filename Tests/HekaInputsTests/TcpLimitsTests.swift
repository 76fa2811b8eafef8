#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HekaClient
import HekaInputs
import LoopbackSupport
import Streams
import Testing

private struct TestError: Error, CustomStringConvertible { var description: String }

private func connectLoopback(_ port: Int) throws -> Int32 {
    guard let fd = connectLoopbackTCP(port: port) else { throw TestError(description: "connect to \(port) failed") }
    return fd
}

@Suite(.serialized) struct TcpLimitsTests {
    @Test("a connection idle past the timeout is closed, counted and reported; the peer sees the end")
    func idleTimeout() throws {
        var limits = TcpListener.Limits()
        limits.idleTimeout = .milliseconds(200)
        let listener = try TcpListener(HostAndPort(host: "127.0.0.1", port: 0), limits: limits)
        let port = try #require(Int(listener.address.split(separator: ":").last ?? ""))
        let sink = CollectingSink(limit: 2)
        let statistics = OnThread { listener.run(keys: nil, into: sink) }
        let idle = try connectLoopback(port)
        defer { close(idle) }
        sendAll(idle, try record("then silence"))
        #expect(sink.wait { notices, _ in notices.contains { $0.contains("without data") } })
        var byte: UInt8 = 0
        #expect(recv(idle, &byte, 1, 0) == 0)
        let active = try connectLoopback(port)
        sendAll(active, try record("second"))
        close(active)
        let result = try #require(statistics.join())
        #expect(result.closedIdle >= 1)
        #expect(sink.messages.map(\.payload) == ["then silence", "second"])
    }

    @Test("past the connection limit new connections wait (reported once) and are served when one ends")
    func connectionLimit() throws {
        var limits = TcpListener.Limits()
        limits.maximumConnections = 1
        let listener = try TcpListener(HostAndPort(host: "127.0.0.1", port: 0), limits: limits)
        let port = try #require(Int(listener.address.split(separator: ":").last ?? ""))
        let sink = CollectingSink(limit: 2)
        let statistics = OnThread { listener.run(keys: nil, into: sink) }
        let first = try connectLoopback(port)
        sendAll(first, try record("first"))
        #expect(sink.wait { $1.count == 1 })
        let second = try connectLoopback(port)  // completes in the kernel's backlog
        sendAll(second, try record("second"))
        #expect(sink.wait { notices, _ in notices.contains { $0.contains("(the limit)") } })
        #expect(sink.messages.count == 1)
        close(first)
        #expect(sink.wait { $1.count == 2 })
        close(second)
        let result = try #require(statistics.join())
        #expect(result.heldAtLimit >= 1 && result.accepted == 2)
        #expect(sink.messages.map(\.payload) == ["first", "second"])
    }
}
