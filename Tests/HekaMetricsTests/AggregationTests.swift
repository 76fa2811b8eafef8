import CoreMetrics
import HekaClient
import HekaMetrics
import LoopbackSupport
import Streams
import Testing

/// Counters summed in the process: nothing lost, one message per metric per interval, and
/// the sums sent at the end. `.aggregatingUntilFlush` makes `flush()` the interval, so the
/// tests decide when an interval ends; the interval's own thread is tested where it ticks
/// while threads count, and over a real UDP socket.
@Suite("HekaMetricsFactory: aggregating counters")
struct AggregationTests {
    @Test("8 threads × 100,000 increments while the interval ticks: the payloads sum to 800,000")
    func concurrentIncrementsNoneLost() throws {
        let (client, stream) = captureClient(capacity: 1_000_000)
        let factory = try HekaMetricsFactory(
            client: client, configuration: .init(counters: .aggregating(every: .milliseconds(1))))
        let counter = Counter(label: "hits", factory: factory)
        let other = Counter(label: "hits", dimensions: [("thread", "odd")], factory: factory)
        onThreads(8) { thread in
            for _ in 0..<100_000 {
                counter.increment()
                if thread % 2 == 1 { other.increment(by: 2) }
            }
        }
        factory.shutdown()
        let messages = stream.messages
        #expect(messages.count == stream.count, "every record decodes")
        let plain = messages.filter { $0.fields.count == 2 }
        let odd = messages.filter { $0.fields.count == 3 }
        #expect(counterSum(plain, name: "hits") == 800_000)
        #expect(counterSum(odd, name: "hits") == 800_000)
        #expect(plain.count + odd.count == messages.count)
        #expect(messages.allSatisfy { $0.field("rate") == .doubles([1]) && $0.payload != "0" })
        #expect(client.statistics.messagesFailed == 0)
    }

    @Test("one counter message per metric per interval, none for a metric not incremented")
    func oneMessagePerMetricPerInterval() throws {
        let (client, stream) = captureClient()
        let factory = try manualFactory(client)
        let a = Counter(label: "a", factory: factory)
        let b = Counter(label: "b", dimensions: [("k", "v")], factory: factory)
        let alsoA = Counter(label: "a", factory: factory)  // the same metric: one sum
        for _ in 0..<1_000 { a.increment(); b.increment(by: 2); alsoA.increment() }
        factory.flush()
        #expect(stream.messages.map { "\($0.field("name")?.string ?? "?")=\($0.payload)" }.sorted() == ["a=2000", "b=2000"])
        stream.removeAll()
        b.increment()
        factory.flush()
        #expect(stream.messages.map { "\($0.field("name")?.string ?? "?")=\($0.payload)" } == ["b=1"])
        stream.removeAll()
        factory.flush()
        #expect(stream.count == 0, "an interval with no increments sends nothing")
    }

    @Test("the same label with other dimensions is another metric")
    func dimensionsMakeDistinctMetrics() throws {
        let (client, stream) = captureClient()
        let factory = try manualFactory(client)
        Counter(label: "req", dimensions: [("code", "200")], factory: factory).increment(by: 5)
        Counter(label: "req", dimensions: [("code", "500")], factory: factory).increment(by: 1)
        Counter(label: "req", factory: factory).increment(by: 7)
        factory.flush()
        let sent = stream.messages.map { "\($0.field("code")?.string ?? "-"):\($0.payload)" }.sorted()
        #expect(sent == ["-:7", "200:5", "500:1"])
    }

    @Test("shutdown sends what the interval has not sent yet")
    func shutdownFlushes() throws {
        let (client, stream) = captureClient()
        let factory = try HekaMetricsFactory(client: client, configuration: .init(counters: .aggregating(every: .seconds(3600))))
        Counter(label: "late", factory: factory).increment(by: 42)
        #expect(stream.count == 0)
        factory.shutdown()
        #expect(stream.messages.map(\.payload) == ["42"])
        factory.shutdown()  // twice is harmless and sends nothing new
        #expect(stream.count == 1)
    }

    @Test("the client's flush and close send the sums first")
    func clientFlushAndCloseSeeTheSums() throws {
        let (client, stream) = captureClient()
        let factory = try HekaMetricsFactory(client: client)  // the default: every second
        let counter = Counter(label: "on-flush", factory: factory)
        counter.increment(by: 3)
        #expect(client.flush())
        #expect(stream.messages.map(\.payload) == ["3"])
        counter.increment(by: 4)
        #expect(client.close())
        #expect(stream.messages.map(\.payload) == ["3", "4"])
        withExtendedLifetime(factory) {}
    }

    @Test("a factory let go sends its sums, and its client does not keep it alive")
    func factoryReleased() throws {
        let (client, stream) = captureClient()
        weak var released: HekaMetricsFactory?
        do {
            let factory = try HekaMetricsFactory(client: client)  // with its interval's thread
            released = factory
            Counter(label: "gone", factory: factory).increment()
        }
        #expect(released == nil, "the client's flush hook holds the factory weakly")
        #expect(stream.messages.map(\.payload) == ["1"], "the counter sends its sum when freed")
        #expect(client.flush())
        #expect(stream.count == 1)
    }

    @Test("destroy sends the pending sum; a counter made again starts from zero")
    func destroyFlushes() throws {
        let (client, stream) = captureClient()
        let factory = try manualFactory(client)
        let counter = Counter(label: "short-lived", factory: factory)
        counter.increment(by: 9)
        counter.destroy()
        #expect(stream.messages.map(\.payload) == ["9"])
        let again = Counter(label: "short-lived", factory: factory)
        again.increment()
        factory.flush()
        #expect(stream.messages.map(\.payload) == ["9", "1"])
        // The destroyed counter's holder increments on: later flushes still send it.
        counter.increment(by: 5)
        factory.flush()
        #expect(stream.messages.map(\.payload) == ["9", "1", "5"])
    }

    @Test("reset drops the sum not sent yet")
    func resetDropsPending() throws {
        let (client, stream) = captureClient()
        let factory = try manualFactory(client)
        let counter = Counter(label: "r", factory: factory)
        counter.increment(by: 100)
        counter.reset()
        counter.increment(by: 2)
        factory.flush()
        #expect(stream.messages.map(\.payload) == ["2"])
    }

    @Test("over a real loopback UDP socket, the interval's thread sends the sum")
    func overUDP() throws {
        let receiver = try LoopbackUDPReceiver()
        let client = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: receiver.port))
        let factory = try HekaMetricsFactory(
            client: client, configuration: .init(counters: .aggregating(every: .milliseconds(20))))
        let counter = Counter(label: "udp", dimensions: [("via", "loopback")], factory: factory)
        for _ in 0..<1_000 { counter.increment() }
        // No flush from here: only the interval's thread sends. Each datagram is read as it
        // arrives (recv blocks until one does), until the increments are all accounted for.
        var sum = 0
        var received: [Message] = []
        while sum < 1_000, let datagram = receiver.receive(timeout: .seconds(5)) {
            for event in RecordDecoder.decodeAll(datagram) {
                guard case .record(let record) = event else { Issue.record("undecodable datagram"); continue }
                received.append(record.message)
                sum += Int(record.message.payload) ?? 0
            }
        }
        #expect(sum == 1_000)
        #expect(received.allSatisfy {
            $0.type == "counter" && $0.fields.map(\.name) == ["via", "rate", "name"] && $0.field("name") == "udp"
        })
        factory.shutdown()
        #expect(client.close())
    }
}
