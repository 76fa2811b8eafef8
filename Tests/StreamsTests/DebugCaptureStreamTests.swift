import Synchronization
import Testing

@testable import Streams

@Suite("DebugCaptureStream")
struct DebugCaptureStreamTests {
    @Test func ringKeepsTheLastRecordsInOrder() throws {
        let stream = DebugCaptureStream(capacity: 5)
        #expect(stream.count == 0)
        #expect(stream.last == nil)
        #expect(stream.records.isEmpty)
        for index in 0..<12 { try stream.write(bytes("record \(index)")) }
        #expect(stream.count == 5)
        #expect(stream.records == (7..<12).map { bytes("record \($0)") })
        #expect(stream.last == bytes("record 11"))
        #expect(stream.statistics.recordsWritten == 12)
        #expect(stream.statistics.recordsFailed == 0)
        #expect(stream.statistics.recordsDropped == 0)

        stream.removeAll()
        #expect(stream.count == 0)
        #expect(stream.last == nil)
        try stream.write(bytes("again"))
        #expect(stream.records == [bytes("again")])
        #expect(stream.statistics.recordsWritten == 13)
    }

    @Test func defaultCapacityIsOneHundred() throws {
        let stream = DebugCaptureStream()
        #expect(stream.capacity == 100)
        for index in 0..<150 { try stream.write([UInt8(index)]) }
        #expect(stream.records == (50..<150).map { [UInt8($0)] })
    }

    @Test func concurrentWritersKeepCountRight() throws {
        let stream = DebugCaptureStream(capacity: 100)
        onThreads(8) { thread in
            for index in 0..<1_000 {
                try? stream.write(bytes("\(thread):\(index)"))
            }
        }
        #expect(stream.statistics.recordsWritten == 8_000)
        #expect(stream.count == 100)
        // Each thread's records that survived are in that thread's order.
        var lastIndex: [Int: Int] = [:]
        for record in stream.records {
            let parts = String(decoding: record, as: UTF8.self).split(separator: ":").map { Int($0)! }
            #expect(parts[1] > lastIndex[parts[0], default: -1])
            lastIndex[parts[0]] = parts[1]
        }
    }

    @Test func writeAfterCloseFailsButRecordsStay() throws {
        let stream = DebugCaptureStream(capacity: 3)
        try stream.write(bytes("kept"))
        try stream.close()
        #expect(streamError { () throws(StreamError) in try stream.write(bytes("late")) }?.code == .closed)
        #expect(stream.records == [bytes("kept")])
        #expect(stream.description == "debug-capture(3)")
    }
}
