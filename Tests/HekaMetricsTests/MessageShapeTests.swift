import CoreMetrics
import HekaClient
import HekaMetrics
import Streams
import Testing

/// Each metric kind's message equals, field for field and byte for byte, the one the client's
/// own heka-py call sends. The metrics are made through the factory directly
/// (`Counter(label:dimensions:factory:)`): `MetricsSystem.bootstrap` can run once per process,
/// and these tests each need a factory of their own (see `BootstrapTests` for the global path).
@Suite("HekaMetricsFactory: messages as heka-py sends them")
struct MessageShapeTests {
    /// The factory's message and then the client's, of one kind, must be the same.
    private func expectSamePair(_ stream: DebugCaptureStream, _ what: Comment,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let messages = stream.messages
        try #require(messages.count == 2, what, sourceLocation: sourceLocation)
        #expect(withoutIdentity(messages[0]) == withoutIdentity(messages[1]), what, sourceLocation: sourceLocation)
        #expect(try normalisedRecord(messages[0]) == normalisedRecord(messages[1]), what,
                sourceLocation: sourceLocation)
    }

    @Test("a per-increment counter sends what client.incr sends, byte for byte")
    func perIncrementEqualsIncr() throws {
        let (client, stream) = captureClient()
        let factory = try HekaMetricsFactory(client: client, configuration: .init(counters: .perIncrement))
        let counter = Counter(label: "hits", dimensions: [("route", "/a"), ("method", "GET")], factory: factory)
        counter.increment(by: 3)
        client.incr("hits", count: 3, fields: ["route": "/a", "method": "GET"])
        try expectSamePair(stream, "counter")
        let message = try #require(stream.messages.first)
        #expect(message.type == "counter" && message.payload == "3" && message.logger == "metrics-test")
        #expect(message.fields.map(\.name) == ["route", "method", "rate", "name"])
        #expect(message.field("rate") == .doubles([1]))
        #expect(message.field("route")?.string == "/a" && message.field("name")?.string == "hits")
    }

    @Test("an aggregated counter sends its sum as client.incr would, with rate 1")
    func aggregatedEqualsIncr() throws {
        let (client, stream) = captureClient()
        let factory = try manualFactory(client)
        let counter = Counter(label: "jobs", dimensions: [("queue", "mail")], factory: factory)
        for _ in 0..<5 { counter.increment() }
        counter.increment(by: 10)
        #expect(stream.count == 0)
        factory.flush()
        client.incr("jobs", count: 15, fields: ["queue": "mail"])
        try expectSamePair(stream, "aggregated counter")
        #expect(stream.messages.first?.payload == "15")
    }

    @Test("a timer sends whole milliseconds, as client.timerSend does")
    func timer() throws {
        let (client, stream) = captureClient()
        let factory = try manualFactory(client)
        let timer = CoreMetrics.Timer(label: "db", dimensions: [("table", "users")], factory: factory)
        timer.recordNanoseconds(12_600_000)
        client.timerSend("db", elapsed: 13, fields: ["table": "users"])
        try expectSamePair(stream, "timer")
        stream.removeAll()
        timer.recordMilliseconds(250)
        client.timerSend("db", elapsed: .milliseconds(250), fields: ["table": "users"])
        try expectSamePair(stream, "timer in milliseconds")
        #expect(stream.messages.map(\.payload) == ["250", "250"])
        #expect(stream.messages.first?.type == "timer")
    }

    @Test("a timer the client disables sends nothing")
    func disabledTimer() throws {
        let stream = DebugCaptureStream()
        let client = HekaClient(stream: stream, disabledTimers: ["db"])
        let factory = try manualFactory(client)
        CoreMetrics.Timer(label: "db", factory: factory).recordMilliseconds(5)
        CoreMetrics.Timer(label: "cache", factory: factory).recordMilliseconds(5)
        #expect(stream.messages.map { $0.field("name")?.string } == ["cache"])
    }

    @Test("recorders and gauges send gauge messages, integers without a decimal point")
    func gauges() throws {
        let (client, stream) = captureClient()
        let factory = try manualFactory(client)
        Gauge(label: "queue", dimensions: [("host", "a")], factory: factory).record(17)
        client.gauge("queue", 17, fields: ["host": "a"])
        try expectSamePair(stream, "integer gauge")
        stream.removeAll()
        Recorder(label: "load", factory: factory).record(0.75)
        client.gauge("load", 0.75)
        try expectSamePair(stream, "double recorder")
        #expect(stream.messages.map(\.payload) == ["0.75", "0.75"])
        #expect(stream.messages.map(\.type) == ["gauge", "gauge"])
    }

    @Test("a meter sends its value after each change as a gauge")
    func meter() throws {
        let (client, stream) = captureClient()
        let factory = try manualFactory(client)
        let meter = Meter(label: "connections", dimensions: [("pool", "db")], factory: factory)
        meter.set(5)
        meter.increment(by: 2.5)
        meter.decrement()
        meter.increment(by: -1)  // ignored, as swift-metrics' own meter ignores it
        meter.set(0.25)
        let messages = stream.messages
        #expect(messages.map(\.type) == ["gauge", "gauge", "gauge", "gauge"])
        #expect(messages.map(\.payload) == ["5", "7.5", "6.5", "0.25"])
        #expect(messages.allSatisfy { $0.fields.map(\.name) == ["pool", "rate", "name"] })
        client.gauge("connections", 5, fields: ["pool": "db"])
        #expect(try normalisedRecord(messages[0]) == normalisedRecord(try #require(stream.messages.last)))
    }

    @Test("a floating-point counter sends whole units and carries the fraction")
    func floatingPointCounter() throws {
        let (client, stream) = captureClient()
        let factory = try manualFactory(client)
        let counter = FloatingPointCounter(label: "bytes", dimensions: [("unit", "kB")], factory: factory)
        for _ in 0..<10 { counter.increment(by: 0.25) }  // 2.5: 2 sent, 0.5 carried
        factory.flush()
        for _ in 0..<2 { counter.increment(by: 0.25) }  // 0.5 + 0.5: one more unit
        factory.flush()
        let messages = stream.messages
        #expect(messages.map(\.payload) == ["2", "1"])
        #expect(messages.allSatisfy { $0.type == "counter" && $0.fields.map(\.name) == ["unit", "rate", "name"] })
    }

    @Test("dimensions become STRING fields in their order, before rate and name")
    func dimensionsInOrder() throws {
        let (client, stream) = captureClient()
        let factory = try manualFactory(client)
        let dimensions = [("z", "1"), ("a", "2"), ("m", "3")]
        Counter(label: "ordered", dimensions: dimensions, factory: factory).increment()
        Gauge(label: "ordered", dimensions: dimensions, factory: factory).record(1)
        CoreMetrics.Timer(label: "ordered", dimensions: dimensions, factory: factory).recordMilliseconds(1)
        factory.flush()
        let messages = stream.messages
        #expect(messages.map(\.type) == ["gauge", "timer", "counter"])
        for message in messages {
            #expect(message.fields.map(\.name) == ["z", "a", "m", "rate", "name"])
            #expect(message.fields.prefix(3).map(\.value) == [FieldValue("1"), FieldValue("2"), FieldValue("3")])
        }
    }
}
