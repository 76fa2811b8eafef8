import Foundation
import HekaClient
import Testing

@Suite struct FloodCommandTests {
    /// The `name  value` lines of flood's summary.
    func summary(_ result: CommandResult) -> [String: String] {
        var lines: [String: String] = [:]
        for line in String(decoding: result.stdout, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { lines[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return lines
    }

    @Test("flood over UDP with 10% corrupted: cat counts the good ones and exactly the corrupted as problems")
    func udpWithCorruption() throws {
        let cat = try RunningHeka(["cat", "--udp", "127.0.0.1:0", "--format", "count", "--key", "ops_1=sesame"])
        let port = try cat.listeningPort()
        let flood = try runHeka(["flood", "--udp", "127.0.0.1:\(port)", "--count", "2000", "--rate", "20000",
                                 "--corrupt-percent", "10", "--sign", "ops:1:sesame", "--size", "300", "--fields", "5"])
        #expect(flood.status == 0, "\(flood.stderr)")
        let sent = summary(flood)
        #expect(sent["sent"]?.hasPrefix("2000 records, ") == true)
        #expect(sent["corrupted"] == "200 on purpose")
        #expect(sent["failed"] == "0 records" && sent["dropped"] == "0 records")
        let size = try #require(sent["sent"].flatMap { $0.split(separator: " ").dropLast(2).last }.flatMap { Int($0) })
        #expect((295...305).contains(size))

        let result = cat.interrupt()
        #expect(result.status == 1)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "1800\n")
        #expect(result.stderr.hasSuffix(
            "heka cat: 1800 messages, 1800 verified, 200 problems, 0 datagrams dropped by the kernel before reading\n"))
        let problems = result.stderr.split(separator: "\n").filter { $0.contains("HMAC does not match (signer ops_1)") }
        #expect(problems.count == 200)
    }

    @Test("flood over TCP: every message arrives, in order, each with its seq field")
    func tcpInOrder() throws {
        let cat = try RunningHeka(["cat", "--tcp", "127.0.0.1:0", "--limit", "5000", "--format", "json"])
        let port = try cat.listeningPort()
        let flood = try runHeka(["flood", "--tcp", "127.0.0.1:\(port)", "--count", "5000", "--fields", "4"])
        #expect(flood.status == 0)
        #expect(summary(flood)["sent"]?.hasPrefix("5000 records") == true)
        let result = cat.wait()
        #expect(result.status == 0)
        let messages = try JSONLinesDecoder.decodeAll(result.stdout).map { try $0.get() }
        #expect(messages.compactMap { $0.field("seq")?.integer } == (0..<5000).map { Int64($0) })
        #expect(messages.first?.fields.map(\.name) == ["seq", "f0", "f1", "f2", "f3"])
        #expect(messages.first?.fields.map(\.value.valueType) == [.integer, .integer, .double, .string, .bool])
    }

    @Test("flood needs one destination")
    func needsDestination() throws {
        let result = try runHeka(["flood", "--count", "1"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: give --udp HOST:PORT or --tcp HOST:PORT\n"))
    }
}
