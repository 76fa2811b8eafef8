#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HekaClient
import LoopbackSupport
import Testing

@Suite struct ListenerDescriptorTests {
    @Test("out of file descriptors, the TCP listener pauses accepting, says so, and serves everyone once it can")
    func outOfDescriptors() throws {
        let cat = try HekaProcess(["cat", "--tcp", "127.0.0.1:0", "--format", "count", "--limit", "40"], fileLimit: 24)
        #expect(cat.waitFor("listening on tcp"), "\(cat.stderr)")
        let line = try #require(cat.stderr.split(separator: "\n").first { $0.contains("listening on tcp") })
        let port = try #require(Int(line.split(separator: ":").last ?? ""))
        let record = try JSONLinesEncoder().encode(Message(type: "log", payload: "hello"))
        let connections = (0..<40).compactMap { _ in
            connectLoopbackTCP(port: port).map { fd in
                sendAll(fd, record)
                return fd
            }
        }
        #expect(connections.count == 40)
        #expect(cat.waitFor("pausing accepts"), "\(cat.stderr)")
        for fd in connections { close(fd) }
        // Every connection's record is read once descriptors are free again: cat stops at 40.
        #expect(cat.finish(interrupting: false) == "40\n", "\(cat.stderr)")
    }
}
