import Foundation
import HekaClient
import Runtime
import Streams
import Testing

@testable import HekaRaven

/// Sends a capture from an `async` function after a suspension, and returns the names of
/// the raw stack's runtime frames at the same place.
@inline(never)
func asyncCapture(_ client: HekaClient) async -> Set<String> {
    await Task.yield()
    client.raven("from a task")
    return Set(rawFrames().filter(StackCapture.isRuntimeNoise).compactMap { $0.symbol?.name })
}

/// Calls `body` with `value` through a generic parameter: a closure of a concrete type
/// passed here is reabstracted.
@inline(never)
func applying<Value>(_ value: Value, _ body: (Value) -> [SymbolicatedBacktrace.Frame]) -> [SymbolicatedBacktrace.Frame] {
    body(value)
}

/// The calling thread's stack, symbolicated, innermost first.
@inline(never)
func rawFrames() -> [SymbolicatedBacktrace.Frame] {
    (try? Backtrace.capture().symbolicated())?.frames ?? []
}

/// The `function` of each frame of the client's last event, oldest first.
func sentFunctions(_ stream: DebugCaptureStream) throws -> [String] {
    try frames(of: try sentryEvent(of: try #require(stream.lastMessage))).compactMap { $0["function"] as? String }
}

@Suite struct FrameCleaningTests {
    @Test("a capture in an async function run by a Task has none of the Concurrency runtime's frames")
    func asyncTask() async throws {
        let (client, stream) = try ravenClient()
        let noise = await Task { await asyncCapture(client) }.value
        client.flush(timeout: .symbolication)
        #expect(!noise.isEmpty)  // the raw stack has them: completeTaskWithClosure, swift_job_run, …
        let sent = try sentFunctions(stream)
        #expect(sent.last?.contains("asyncCapture") == true)
        #expect(sent.allSatisfy { !noise.contains($0) }, "sent: \(sent)")
        #expect(!sent.contains { $0.contains("completeTaskWithClosure") || $0.contains("swift_job_run") })
    }

    @Test("a closure passed to a generic function shows no reabstraction thunk")
    func genericClosure() throws {
        let (client, stream) = try ravenClient()
        // A closure stored at its own type is reabstracted when passed as a generic one.
        let body = { (_: Int) -> [SymbolicatedBacktrace.Frame] in
            client.raven("from a closure")
            return rawFrames()
        }
        let raw = applying(7, body)
        client.flush(timeout: .symbolication)
        #expect(raw.contains { $0.symbol?.name.contains("thunk") == true })  // the raw stack has one
        let sent = try sentFunctions(stream)
        #expect(!sent.contains { $0.contains("thunk") }, "sent: \(sent)")
        #expect(sent.contains { $0.contains("applying") })
        #expect(sent.last?.contains("genericClosure") == true)
    }

    @Test("the optimiser's prefixes come off the function's name, in order")
    func prefixes() {
        #expect(StackCapture.baseName("specialized App.sum<A>(_: [A]) -> A") == ("App.sum<A>(_: [A]) -> A", ["specialized"]))
        #expect(StackCapture.baseName("merged specialized App.f() -> ()") == ("App.f() -> ()", ["merged", "specialized"]))
        #expect(StackCapture.baseName("App.specialized() -> ()") == ("App.specialized() -> ()", []))
        #expect(StackCapture.baseName("closure #1 in App.f()") == ("closure #1 in App.f()", []))
    }

    @Test("a frame's prefixes are sent under data; a frame without any has no data")
    func prefixesInJSON() throws {
        var specialized = StackFrame(function: "App.sum<A>(_: [A]) -> A", instructionAddress: 1, inApp: true)
        specialized.optimizations = ["specialized"]
        let plain = StackFrame(function: "App.main()", instructionAddress: 2, inApp: true)
        var bytes: [UInt8] = []
        Limiter(settings: RavenPlugin()).writeFrames([plain, specialized], to: &bytes)
        let written = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: Any]])
        #expect(written[0]["data"] == nil)
        #expect(written[1]["data"] as? [String: Bool] == ["specialized": true])
        #expect(written[1]["function"] as? String == "App.sum<A>(_: [A]) -> A")
    }
}
