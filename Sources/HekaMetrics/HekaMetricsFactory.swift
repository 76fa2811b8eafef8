import CoreMetrics
import HekaClient

/// A swift-metrics backend that sends metrics as heka-py's metrics messages through a
/// `HekaClient`.
///
/// ```swift
/// let client = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: 5565), logger: "myapp")
/// let metrics = try HekaMetricsFactory(client: client)
/// MetricsSystem.bootstrap(metrics)
///
/// Counter(label: "requests", dimensions: [("route", "/")]).increment()
/// Timer(label: "db").recordMilliseconds(12)
/// Gauge(label: "queue").record(17)
/// // at exit: metrics.shutdown(), or client.close() (which flushes the counters too)
/// ```
///
/// Each metric becomes the message heka-py's calls send, built by the client's own
/// `incr`, `timerSend` and `gauge`, so that hekad's StatFilter aggregates it as it did
/// heka-py's: the label is the `name` field, the amount the payload, and the dimensions
/// are STRING fields in their order, before `rate` and `name`.
///
/// | swift-metrics | message |
/// |---|---|
/// | `Counter` | `counter`: the increments, summed per interval (see ``CounterMode``) |
/// | `FloatingPointCounter` | `counter`: whole units; the fraction is carried to the next increment |
/// | `Timer` | `timer`: whole milliseconds, rounded to the nearest; the client's disabled timers send nothing |
/// | `Recorder`, `Gauge` | `gauge`: each recorded value |
/// | `Meter` | `gauge`: the meter's value after each change |
///
/// Counters sum their increments in the process by default: one relaxed atomic add per
/// increment, and one `counter` message per metric and interval (rate 1: an aggregated
/// sum is not a sample; StatFilter ignores `rate` anyway). The interval runs on a thread of
/// the factory's own. Nothing counted is lost at the end: ``flush()`` and ``shutdown()``
/// send the sums, and so do the client's `flush` and `close`, which call the factory first.
///
/// A label with other dimensions is another metric; making a counter of a label and
/// dimensions already made returns the same counter (one sum). `destroy()` on a counter
/// sends its sum and forgets it.
///
/// `FloatingPointCounter` uses swift-metrics' own adapter over ``makeCounter(label:dimensions:)``:
/// it accumulates the fraction and passes on whole units, since a heka-py counter's payload
/// is an integer; a fraction below one unit left at exit is not sent.
public final class HekaMetricsFactory: MetricsFactory {
    /// Where the messages go.
    public let client: HekaClient
    /// How counters send; see ``Configuration``.
    public let configuration: Configuration
    private let aggregator: CounterAggregator
    private let ticker: IntervalTicker?

    /// - Parameters:
    ///   - client: sends the messages, with its logger, severity, filters and stream.
    ///   - configuration: how counters send; default ``Configuration/default``: summed in
    ///     the process and sent once a second.
    /// - Throws: the system's error when the interval's thread cannot be started.
    public init(client: HekaClient, configuration: Configuration = .default) throws {
        self.client = client
        self.configuration = configuration
        let aggregator = CounterAggregator(client: client)
        self.aggregator = aggregator
        if case .aggregating(let interval?) = configuration.counters.kind {
            ticker = try IntervalTicker(interval: interval) { aggregator.flush() }
        } else {
            ticker = nil
        }
        client.addPendingWork(AggregatorFlushHook(aggregator))
    }

    /// Sends every counter's sum not sent yet, at once, on the calling thread: one `counter`
    /// message per metric whose sum is not zero.
    public func flush() {
        aggregator.flush()
    }

    /// Stops the interval's thread, then sends the sums not sent yet. Counters incremented
    /// afterwards keep summing; only ``flush()`` (or the client's `flush`/`close`) sends
    /// them then. Call it before closing the client: the interval's thread would otherwise
    /// go on writing the sums of later increments to a closed stream (each write a reported
    /// failure).
    public func shutdown() {
        ticker?.stop()
        aggregator.flush()
    }

    deinit {
        ticker?.stop()
    }

    /// A counter: aggregating or one message per increment, as ``Configuration/counters``
    /// says.
    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        let identity = MetricIdentity(label: label, dimensions: dimensions)
        switch configuration.counters.kind {
        case .aggregating: return aggregator.counter(identity)
        case .perIncrement: return PerIncrementCounter(identity: identity, client: client)
        }
    }

    /// A recorder sending `gauge` messages, whether or not `aggregate` asks for a
    /// distribution (heka-py has none).
    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        HekaRecorder(identity: MetricIdentity(label: label, dimensions: dimensions), client: client)
    }

    /// A timer sending `timer` messages of whole milliseconds.
    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        HekaTimer(identity: MetricIdentity(label: label, dimensions: dimensions), client: client)
    }

    /// A meter sending its value as `gauge` messages.
    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        HekaMeter(identity: MetricIdentity(label: label, dimensions: dimensions), client: client)
    }

    /// Sends an aggregating counter's sum and forgets the counter: a counter of the same
    /// label and dimensions made later starts from zero.
    public func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? AggregatingCounter { aggregator.destroy(counter) }
    }

    /// Nothing to release: a meter holds no more than its value.
    public func destroyMeter(_ handler: any MeterHandler) {}

    /// Nothing to release: a recorder sends each value as it comes.
    public func destroyRecorder(_ handler: any RecorderHandler) {}

    /// Nothing to release: a timer sends each duration as it comes.
    public func destroyTimer(_ handler: any TimerHandler) {}
}
