import Foundation
import LoopbackSupport
import Streams
import Synchronization
import Testing

@testable import HekaClient

/// Messages that say who sent them and in which order (the fields `thread` and `seq`), and
/// what a reader makes of the bytes that arrived: which of them came, in what order.
enum NumberedMessages {
    /// The payload of message `seq` of `thread`, `padding` bytes longer than its label.
    static func payload(thread: Int, seq: Int, padding: Int) -> String {
        "thread \(thread) message \(seq)" + String(repeating: "x", count: padding)
    }

    /// Sends messages `seqs` as thread `thread`, each one record.
    static func send(_ client: HekaClient, thread: Int = 0, _ seqs: Range<Int>, padding: Int = 0) {
        for seq in seqs {
            client.heka(type: "numbered", payload: payload(thread: thread, seq: seq, padding: padding),
                        fields: ["thread": .value(FieldValue(thread)), "seq": .value(FieldValue(seq))])
        }
    }

    /// What arrived.
    struct Arrival {
        /// The `seq` of each record, in arrival order, one list per thread.
        var seqs: [[Int]]
        /// Records that decoded but are not numbered messages as sent, and bytes that are not
        /// records, except a cut-off record at the end.
        var problems: [String] = []
        /// The input ends inside a record (``CodecError/Code/incompleteRecord``), or with bytes
        /// that are not a record.
        var tail: CodecError?
        /// Every record decoded, of any thread.
        var count: Int { seqs.map(\.count).reduce(0, +) }
    }

    /// Decodes `bytes`, framed protobuf records of messages from threads `0..<threads`.
    static func arrival(_ bytes: [UInt8], threads: Int = 1, padding: Int = 0) -> Arrival {
        var decoder = RecordDecoder()
        decoder.append(bytes)
        var arrival = Arrival(seqs: Array(repeating: [], count: threads))
        while let event = decoder.next() {
            switch event {
            case .error(let error):
                arrival.problems.append("\(error)")
            case .record(let record):
                let message = record.message
                guard let thread = message.field("thread")?.integer.map(Int.init), arrival.seqs.indices.contains(thread),
                    let seq = message.field("seq")?.integer.map(Int.init),
                    message.payload == payload(thread: thread, seq: seq, padding: padding)
                else {
                    arrival.problems.append("the record at byte \(record.offset) is not a numbered message as sent")
                    continue
                }
                arrival.seqs[thread].append(seq)
            }
        }
        arrival.tail = decoder.finish()
        return arrival
    }
}

extension LoopbackTCPListener {
    /// Runs `work` on another thread, which ends by closing the client that writes to this
    /// listener, while accepting its connection (unless one is accepted already) and reading
    /// until the client closes it. Returns what `work` returned and the bytes read; fails the
    /// test if `work` has not returned within `timeout`.
    func read<Result: Sendable>(
        whileRunning work: @escaping @Sendable () -> Result, timeout: Duration = .seconds(120),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (Result, [UInt8]) {
        let result = Mutex<Result?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            let value = work()
            result.withLock { $0 = value }
            finished.signal()
        }.start()
        if connection < 0 { try accept(timeout: timeout) }
        let bytes = read(count: .max, timeout: timeout)
        let waited = finished.wait(timeout: .now() + .nanoseconds(Int(nanoseconds(of: timeout))))
        let value = try #require(waited == .success ? result.withLock({ $0 }) : nil,
                                 "the work did not finish within \(timeout)", sourceLocation: sourceLocation)
        return (value, bytes)
    }
}
