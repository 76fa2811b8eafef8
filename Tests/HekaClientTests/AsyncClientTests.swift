import Foundation
import LoopbackSupport
import Streams
import Testing

@testable import HekaClient

/// An actor that times its own work with the client's async `timer`.
actor Basket {
    let client: HekaClient
    var items = 0

    init(client: HekaClient) { self.client = client }

    /// Without the timer's `isolation` parameter this does not compile: the body, isolated
    /// to the actor, would be sent to a nonisolated async function ("sending value of
    /// non-Sendable type … risks causing data races").
    func add() async -> Int {
        await client.timer("basket.add") {
            await Task.yield()
            items += 1
            return items
        }
    }
}

/// State of the main actor, touched by a timed body.
@MainActor var mainActorCounter = 0

/// The async forms: the timer in isolated code, `flush(within:)` and `close(within:)`.
@Suite struct AsyncClientTests {
    /// Without the timer's `isolation` parameter this does not compile, as ``Basket/add()``.
    @MainActor
    static func timeOnMainActor(_ client: HekaClient) async -> Int {
        await client.timer("main.work") {
            await Task.yield()
            mainActorCounter += 1
            return mainActorCounter
        }
    }

    @Test("the async timer runs a body isolated to the main actor and sends its timer")
    func mainActorTimer() async throws {
        let (client, stream) = ClientTests.client()
        let result = await Self.timeOnMainActor(client)
        #expect(result >= 1)
        let message = try #require(stream.lastMessage)
        #expect(message.type == "timer" && message.field("name") == "main.work")
    }

    @Test("the async timer runs a body isolated to an actor and sends its timer")
    func actorTimer() async throws {
        let (client, stream) = ClientTests.client()
        let basket = Basket(client: client)
        #expect(await basket.add() == 1)
        #expect(await basket.add() == 2)
        #expect(stream.messages.map(\.type) == ["timer", "timer"])
        #expect(stream.lastMessage?.field("name") == "basket.add")
    }

    @Test("flush(within:) and close(within:) deliver from async code")
    func flushAndClose() async throws {
        let listener = try LoopbackTCPListener()
        let client = HekaClient(stream: try TcpStream(host: "127.0.0.1", port: listener.port))
        client.heka(type: "first")
        #expect(await client.flush(within: .seconds(5)))
        #expect(client.statistics.stream.recordsWritten == 1 && client.statistics.stream.recordsQueued == 0)
        client.heka(type: "second")
        #expect(await client.close(within: .seconds(5)))
        #expect(client.statistics.stream.recordsWritten == 2)
        // A call without `within:` in async code is still the synchronous form (no `await`).
        #expect(client.flush(), "closed, nothing pending")
    }

    /// More flushes than the cooperative pool has threads wait for a producer that a task
    /// on the pool releases once all of them wait. Blocking forms would take every pooled
    /// thread, the releasing task could not run, and the flushes would time out.
    @Test("flush(within:) waits without holding a thread of the cooperative pool")
    func flushDoesNotHoldAPooledThread() async {
        let (client, _) = ClientTests.client()
        let producer = HeldProducer()
        client.addPendingWork(producer)
        let flushes = ProcessInfo.processInfo.activeProcessorCount + 2
        let results = await withTaskGroup(of: Bool?.self) { group in
            for _ in 0..<flushes { group.addTask { await client.flush(within: .seconds(2)) } }
            group.addTask {
                producer.release(flushes, after: .seconds(5))
                return nil
            }
            return await group.reduce(into: [Bool]()) { if let result = $1 { $0.append(result) } }
        }
        #expect(results == Array(repeating: true, count: flushes))
    }
}

/// A producer whose messages are finished only when the test says so: each `finish` waits
/// for one release.
final class HeldProducer: PendingWork {
    private let entered = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)

    func finish(for client: HekaClient, timeout: Duration) throws(StreamError) {
        entered.signal()
        guard gate.wait(timeout: .now() + .milliseconds(Int(timeout / .milliseconds(1)))) == .success else {
            throw StreamError(.timedOut, "held: not released")
        }
    }

    /// Waits until `count` calls wait (for at most `limit`), then releases `count` calls.
    func release(_ count: Int, after limit: Duration) {
        let deadline = DispatchTime.now() + .milliseconds(Int(limit / .milliseconds(1)))
        for _ in 0..<count { _ = entered.wait(timeout: deadline) }
        for _ in 0..<count { gate.signal() }
    }
}
