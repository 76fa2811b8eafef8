import HekaClient
import ServiceLifecycle
import Streams

/// A swift-service-lifecycle `Service` that owns a `HekaClient` and, when the service group
/// shuts down, delivers what the client still holds and closes it.
///
/// ```swift
/// let client = try HekaClient(configuration: HekaConfiguration(iniFile: "heka.ini"))
/// let group = ServiceGroup(
///     services: [server, HekaClientService(client: client)],   // last: shut down first
///     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
///
/// `run()` waits for graceful shutdown (or for its task to be cancelled), then calls
/// the client's `close(within:)` with ``shutdownTimeout``: the raven plugin's captures still
/// being symbolicated are finished first, then the stream is flushed (a TCP stream's queue
/// sent) and closed, on a thread of its own, never on the cooperative thread pool that the
/// rest of the service group shares.
///
/// What could not be delivered by the deadline has been counted and reported to the client's
/// `ErrorHandler` by `close` itself; the ``ShutdownReport`` handed to `onShutdown` says
/// whether everything was delivered and gives the client's final statistics. `run()` never
/// throws for an undelivered message: logging must not turn a clean shutdown into a failed
/// one.
///
/// A `ServiceGroup` shuts its services down in reverse order: list this service after the
/// services that log through the client, so that their last messages are sent too.
public struct HekaClientService: Service {
    /// What the client had done when it was closed.
    public struct ShutdownReport: Sendable {
        /// Whether everything accepted before the shutdown was delivered within the deadline.
        public var delivered: Bool
        /// The client's statistics after `close`: `messagesFailed`, the stream's
        /// `recordsDropped` and `recordsQueued` say what was lost.
        public var statistics: ClientStatistics
        /// How long flushing and closing took.
        public var duration: Duration
    }

    /// The client the service closes.
    public let client: HekaClient
    /// How long `close` may take to deliver what is pending. Default: 5 seconds.
    public let shutdownTimeout: Duration
    private let onShutdown: (@Sendable (ShutdownReport) -> Void)?

    /// - Parameters:
    ///   - client: the client to close at shutdown.
    ///   - shutdownTimeout: how long delivering what is pending may take; default 5 s.
    ///   - onShutdown: called once the client is closed, on the service's task, with what was
    ///     delivered.
    public init(
        client: HekaClient, shutdownTimeout: Duration = .seconds(5),
        onShutdown: (@Sendable (ShutdownReport) -> Void)? = nil
    ) {
        self.client = client
        self.shutdownTimeout = shutdownTimeout
        self.onShutdown = onShutdown
    }

    /// Waits for graceful shutdown or cancellation, then closes the client (see the type's
    /// documentation). Returns once it is closed.
    public func run() async throws {
        // Cancellation ends the wait as a graceful shutdown does: either way the client is
        // closed before the service returns.
        try? await gracefulShutdown()
        let report = await close()
        onShutdown?(report)
    }

    /// Closes the client with its async `close(within:)`, which waits on a thread of its own
    /// (`heka-close`) and never blocks a thread of the cooperative pool.
    private func close() async -> ShutdownReport {
        let clock = ContinuousClock()
        let start = clock.now
        let delivered = await client.close(within: shutdownTimeout)
        return ShutdownReport(delivered: delivered, statistics: client.statistics, duration: clock.now - start)
    }
}
