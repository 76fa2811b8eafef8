import CoreMetrics
import HekaClient
import HekaMetrics
import Metrics
import Streams
import Testing

/// The one test that goes through `MetricsSystem.bootstrap`, the path an application takes.
/// Bootstrapping is allowed once per process, so no other test in the package may call it;
/// every other test passes its factory to the metric directly.
@Suite("HekaMetricsFactory: bootstrapped as the process's metrics system")
struct BootstrapTests {
    @Test("metrics made without a factory reach the bootstrapped client")
    func bootstrapped() throws {
        let (client, stream) = captureClient()
        let factory = try HekaMetricsFactory(client: client)
        MetricsSystem.bootstrap(factory)
        let counter = Counter(label: "boot.requests", dimensions: [("app", "test")])
        counter.increment(by: 2)
        Gauge(label: "boot.queue").record(3)
        CoreMetrics.Timer.measure(label: "boot.work", body: {})
        factory.flush()
        let named = stream.messages.filter { $0.field("name")?.string?.hasPrefix("boot.") == true }
        #expect(named.map(\.type) == ["gauge", "timer", "counter"])
        #expect(named.map(\.payload) == ["3", "0", "2"])
        #expect(named.last?.field("app")?.string == "test")
    }
}
