import CoreMetrics
import Dispatch
import HekaClient
import HekaLogging
import HekaMetrics
import HekaServiceLifecycle
import Logging
import ServiceLifecycle

/// `heka demo --swift-log`: the path of a Swift server application. It logs with
/// swift-log's `Logger`, counts and times with swift-metrics, lets an error be captured with
/// its stack, and shuts down through a swift-service-lifecycle `ServiceGroup`, whose
/// `HekaClientService` delivers the counters' sums and everything queued before closing.
enum DemoSwiftServer {
    /// Bootstraps logging and metrics on `client`, runs a small "application" service beside
    /// the client's service, and shuts the group down once the application is done.
    static func run(client: HekaClient) throws {
        LoggingSystem.bootstrap(
            HekaLogHandler.factory(client: client, configuration: .init(stackCapture: .errors)),
            metadataProvider: .init { ["request_id": "r-1234"] })
        let metrics = try HekaMetricsFactory(client: client)
        MetricsSystem.bootstrap(metrics)

        let done = DispatchSemaphore(value: 0)
        Task {
            // The group logs through the client too; at notice it is silent in a clean run,
            // and it says nothing after the client's service has closed the client.
            var logger = Logger(label: "heka-demo.services")
            logger.logLevel = .notice
            let group = ServiceGroup(
                services: [HekaClientService(client: client), Checkout()],  // shut down in reverse
                logger: logger)
            try? await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                await Checkout.finished()
                // The counters' last sums go now, and the interval's thread stops, before the
                // client's service closes the client.
                metrics.shutdown()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            done.signal()
        }
        done.wait()
    }
}

/// The demo's application: serves a basket, counts and times it, and fails a payment.
private struct Checkout: Service {
    private static let served = AsyncStream<Void>.makeStream()

    /// Returns once the application has sent all it sends.
    static func finished() async {
        for await _ in served.stream { return }
    }

    func run() async throws {
        var logger = Logger(label: "shop.checkout")
        logger[metadataKey: "tier"] = "gold"
        logger.debug("cache warmed", metadata: ["keys": "412"])
        logger.info("basket served", metadata: ["items": "3", "route": ["name": "basket", "method": "GET"]])
        logger.warning("disk /var is 91% full")

        let requests = Counter(label: "demo.requests", dimensions: [("route", "basket")])
        for _ in 0..<3 { requests.increment() }  // summed: one counter message with 3
        Timer(label: "demo.db_query").recordMilliseconds(42)
        Gauge(label: "demo.queue_depth").record(17)

        do {
            try Demo.chargeCard(amount: 42)
        } catch {
            // At error level the handler also sends the stack, as client.raven does.
            logger.error("payment failed", error: error, metadata: ["order": "1234"])
        }
        Self.served.continuation.yield()
        try? await gracefulShutdown()
    }
}
