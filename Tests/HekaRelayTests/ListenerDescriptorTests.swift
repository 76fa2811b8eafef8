#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HekaClient
import Testing

/// A TCP connection to 127.0.0.1:`port` that has sent `bytes`; `nil` when refused.
private func connectAndSend(_ port: Int, _ bytes: [UInt8]) -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard status == 0 else {
        close(fd)
        return nil
    }
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    return fd
}

@Suite struct ListenerDescriptorTests {
    @Test("out of file descriptors, the TCP listener pauses accepting, says so, and serves everyone once it can")
    func outOfDescriptors() throws {
        let cat = try HekaProcess(["cat", "--tcp", "127.0.0.1:0", "--format", "count", "--limit", "40"], fileLimit: 24)
        #expect(cat.waitFor("listening on tcp"), "\(cat.stderr)")
        let line = try #require(cat.stderr.split(separator: "\n").first { $0.contains("listening on tcp") })
        let port = try #require(Int(line.split(separator: ":").last ?? ""))
        let record = try JSONLinesEncoder().encode(Message(type: "log", payload: "hello"))
        let connections = (0..<40).compactMap { _ in connectAndSend(port, record) }
        #expect(connections.count == 40)
        #expect(cat.waitFor("pausing accepts"), "\(cat.stderr)")
        for fd in connections { close(fd) }
        // Every connection's record is read once descriptors are free again: cat stops at 40.
        #expect(cat.finish(interrupting: false) == "40\n", "\(cat.stderr)")
    }
}
