import Foundation
import HekaClient
import HekaInputs
import HekaRaven
import Streams
import Testing

/// A sink that keeps what the inputs deliver; done after `limit` messages.
final class CollectingSink: InputSink, @unchecked Sendable {
    // @unchecked: used by the input's thread, read by the test after it ends or under `lock`.
    private let lock = NSCondition()
    private var collected: [Message] = []
    private var noticed: [String] = []
    let limit: Int
    var kernelDrops: Int?

    init(limit: Int) {
        self.limit = limit
    }

    func handle(_ event: InputEvent) -> Bool {
        lock.withLock {
            if case .message(let message, _) = event { collected.append(message) }
            lock.broadcast()
        }
        return !isDone
    }

    var isDone: Bool { lock.withLock { collected.count >= limit } }
    func flush() {}

    func notice(_ text: String) {
        lock.withLock {
            noticed.append(text)
            lock.broadcast()
        }
    }

    var messages: [Message] { lock.withLock { collected } }
    var notices: [String] { lock.withLock { noticed } }

    /// Waits until `condition` holds of the notices and messages, or `timeout` passes.
    func wait(timeout: TimeInterval = 20, until condition: ([String], [Message]) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return lock.withLock {
            while !condition(noticed, collected) { if !lock.wait(until: deadline) { return condition(noticed, collected) } }
            return true
        }
    }
}

/// `body` running on a thread of its own (not the test's task pool, which blocking waits
/// could starve).
final class OnThread<Result: Sendable>: @unchecked Sendable {
    // @unchecked: `result` is written before `done` is signalled and read after.
    private let done = DispatchSemaphore(value: 0)
    private var result: Result?

    init(_ body: @escaping @Sendable () -> Result) {
        Thread.detachNewThread { [self] in
            result = body()
            done.signal()
        }
    }

    /// Waits for `body` to return; its result.
    func join() -> Result? {
        done.wait()
        return result
    }
}

func record(_ payload: String) throws -> [UInt8] {
    try JSONLinesEncoder().encode(Message(type: "log", payload: payload))
}

@Suite(.serialized) struct InputsTests {
    @Test("--follow reads a renamed-and-recreated file: the rest of the old one, then the new one from its start")
    func followsRotation() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("heka-follow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("app.heka").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(try record("old 1")))
        let reader = try FileReader(path: path, follow: true, pollInterval: 10)
        let sink = CollectingSink(limit: 3)
        let task = OnThread { try? reader.run(keys: nil, into: sink) }
        #expect(sink.wait { $1.count == 1 })
        // Written to the old file just before it moves: still read, before the new file.
        let old = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try old.seekToEnd()
        try old.write(contentsOf: try record("old 2"))
        try old.close()
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        _ = FileManager.default.createFile(atPath: path, contents: Data(try record("new 1")))
        #expect(sink.wait { $1.count == 3 })
        _ = task.join()
        #expect(sink.messages.map(\.payload) == ["old 1", "old 2", "new 1"])
        #expect(sink.notices.contains { $0.contains("replaced by a new file") })
    }

    @Test("a payload starting with e is inflated only for stack-trace types, or when asked")
    func unpackOnlyStackTraces() throws {
        let packed = SentryPayload.pack(Array(#"{"event_id":"ab","message":"boom"}"#.utf8))
        #expect(packed.hasPrefix("e"))
        #expect(UnpackedEvent(Message(type: "log", payload: packed)) == nil)
        #expect(UnpackedEvent(Message(type: "log", payload: packed), anyType: true)?.eventID == "ab")
        #expect(UnpackedEvent(Message(type: "stacktrace", payload: packed))?.title == "boom")
        #expect(UnpackedEvent(Message(type: "sentry", payload: packed)) != nil)
    }

    @Test("a zip bomb stops at the output limit and says so")
    func zipBomb() {
        let bomb = SentryPayload.pack([UInt8](repeating: 0x20, count: 2 << 20))
        #expect(throws: UnpackedEvent.Failure.self) { try UnpackedEvent(unpacking: bomb, limit: 1 << 20) }
        do {
            _ = try UnpackedEvent(unpacking: bomb, limit: 1 << 20)
        } catch {
            #expect(error.kind == .tooLarge)
        }
    }
}
