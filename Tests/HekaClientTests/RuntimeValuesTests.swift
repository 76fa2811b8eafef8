import Foundation
import Streams
import Testing

@testable import HekaClient

/// Values known only at run time in a fields literal.
@Suite struct RuntimeValuesTests {
    @Test("an interpolated string is a STRING field, among literals and wrapped runtime values")
    func interpolation() throws {
        let (client, stream) = ClientTests.client()
        let user = "ann", status = 404
        client.heka(type: "request", fields: ["user": "\(user)", "line": "\(user) got \(status)",
                                              "status": .value(FieldValue(status)), "ok": true])
        let message = try #require(stream.lastMessage)
        #expect(message.fields.map(\.name) == ["user", "line", "status", "ok"])
        #expect(message.fields.map(\.value) == [.strings(["ann"]), .strings(["ann got 404"]), .integers([404]), .bools([true])])
    }

    @Test("runtime Int, Double, String, Bool, optionals and arrays go in a literal as they are, in order; a nested group with runtime values is sorted by name")
    func plainRuntimeValues() throws {
        let (client, stream) = ClientTests.client()
        let status = 503, ms = 12.5, user = "ann", ok = false
        let coupon: String? = nil, retries: Int? = 2, ids: [Int32] = [7, 8], ratio: Float = 0.25
        client.heka(type: "request", fields: ["status": status, "ms": ms, "user": user, "ok": ok,
                                              "coupon": coupon, "retries": retries, "ids": ids, "ratio": ratio,
                                              "route": ["name": user, "depth": 3], "literal": 1])
        let message = try #require(stream.lastMessage)
        #expect(message.fields.map(\.name) == ["status", "ms", "user", "ok", "retries", "ids", "ratio",
                                               "route.depth", "route.name", "literal"])
        #expect(message.fields.map(\.value) == [
            .integers([503]), .doubles([12.5]), .strings(["ann"]), .bools([false]), .integers([2]),
            .integers([7, 8]), .doubles([0.25]), .integers([3]), .strings(["ann"]), .integers([1]),
        ])
    }

    @Test("KeyValuePairs of runtime values: fields in code, and a nested group that keeps its order")
    func keyValuePairs() {
        let name = "home", depth = 3
        let route: KeyValuePairs<String, any FieldValueConvertible> = ["name": name, "depth": depth]
        let fields = Fields(["route": route, "skipped": Optional<Int>.none, "n": 1])
        #expect(fields.map(\.name) == ["route.name", "route.depth", "n"])
        #expect(fields.map(\.value) == [.strings(["home"]), .integers([3]), .integers([1])])
    }

    @Test("a literal of literals still builds through Fields.Entry: nested dictionaries need no annotation")
    func literalsKeepTheirForm() throws {
        let (client, stream) = ClientTests.client()
        client.heka(type: "t", fields: ["route": ["name": "home", "ms": 12.5], "n": 1])
        #expect(stream.lastMessage?.fields.map(\.name) == ["route.name", "route.ms", "n"])
        // The overload chosen for literals is the Fields one; this line only compiles if
        // the literal is a valid `Fields` (an `Entry` cannot hold a runtime value).
        let fields: Fields = ["route": ["name": "home"], "n": 1]
        #expect(fields.map(\.name) == ["route.name", "n"])
    }

    @Test("every call that takes fields takes runtime values")
    func everyCall() async throws {
        let (client, stream) = ClientTests.client()
        let shard = 3
        client.debug("d", fields: ["shard": shard]); client.info("i", fields: ["shard": shard])
        client.warn("w", fields: ["shard": shard]); client.error("e", fields: ["shard": shard])
        client.critical("c", fields: ["shard": shard])
        client.exception(CocoaError(.fileNoSuchFile), fields: ["shard": shard])
        client.incr("hits", fields: ["shard": shard])
        client.timerSend("t1", elapsed: 5, fields: ["shard": shard])
        client.timerSend("t2", elapsed: .milliseconds(5), fields: ["shard": shard])
        client.timer("t3", fields: ["shard": shard]) {}
        await client.timer("t4", fields: ["shard": shard]) { await Task.yield() }
        client.gauge("g1", 1.5, fields: ["shard": shard]); client.gauge("g2", 2, fields: ["shard": shard])
        let built = client.message(type: "m", fields: ["shard": shard])
        #expect(built.fields.first == Field(name: "shard", value: .integers([3])))
        let sent = stream.messages.map { $0.fields.first }
        #expect(sent.count == 13)  // `message` builds, does not send
        #expect(sent.allSatisfy { $0 == Field(name: "shard", value: .integers([3])) })
    }

    @Test("below the threshold the runtime form converts nothing and counts the message as filtered")
    func thresholdFirst() throws {
        let stream = DebugCaptureStream()
        let client = HekaClient(stream: stream, severity: .informational, severityThreshold: .warning)
        let user = "ann"
        client.heka(type: "t", fields: ["user": user])
        #expect(stream.messages.isEmpty)
        #expect(client.statistics.messagesFiltered == 1)
    }
}
