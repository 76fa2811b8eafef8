import HekaClient
import HekaInputs
import HekaMetrics
import HekaPlatform
import HekaRelay
import Streams

/// One run of `heka relay`: the input on a thread of its own, the delivery loop, the
/// summary lines, and the stop on Ctrl-C or SIGTERM.
struct RelayRun {
    enum Input: Sendable {
        case none
        case file(String, follow: Bool)
        case udp(HostAndPort)
        case tcp(HostAndPort)
    }

    let settings: RelaySettings
    let input: Input
    let keys: [HMACSigner]?
    let quiet: Bool

    /// Runs until the input ends and the spool is empty (a file, or no input), or until an
    /// interrupt; returns the exit status.
    func run() -> Int32 {
        let report: @Sendable (String) -> Void = { printError("heka relay: \($0)") }
        InterruptSignals.install()
        let spool: Spool
        do {
            spool = try Spool(path: settings.spool, maximumBytes: settings.spoolLimitMiB << 20)
        } catch {
            report("\(error)")
            return 2
        }
        let converter: EventConverter
        do {
            converter = EventConverter(logMatcher: try settings.matcher(), defaultDSN: settings.dsn)
        } catch {
            report("\(error)")
            return 64
        }
        var finite = false
        if case .none = input { finite = true }
        if case .file(_, follow: false) = input { finite = true }
        let stats: (client: HekaClient, metrics: HekaMetricsFactory)?
        do {
            stats = try statsClient(report: report)
        } catch {
            report("stats client: \(error)")
            return 2
        }
        let counters = stats.map { RelayCounters(factory: $0.metrics) } ?? RelayCounters()
        let transport = SentryTransport(settings: settings.transport)
        let relay = Relay(spool: spool, transport: transport, settings: settings.relay(exitWhenEmpty: finite),
                          counters: counters, report: report)
        let sink = RelayInput(relay: relay, converter: converter, report: report)
        let opened = LockedValue<Int32>(0)
        let reader = startInput(sink: sink, relay: relay, report: report, failed: opened)
        let every = settings.statsEvery ?? (isTerminal(2) ? 10 : 0)
        let done = ConditionLock(false)
        let delivery = Task {
            await relay.run()
            await transport.shutdown()
            done.withLock { $0 = true }
            done.broadcast()
        }
        var nextStats = MonotonicInstant.after(.seconds(every))
        while !done.withLock(waitingUntil: { $0 }, deadline: .after(.milliseconds(200)), { _, finished in finished }) {
            if InterruptSignals.requested && !relay.isStopping { relay.stop() }
            if every > 0 && !quiet && MonotonicInstant.now() >= nextStats {
                printError("heka relay: " + relay.counters.snapshot.line)
                nextStats = .after(.seconds(every))
            }
        }
        _ = delivery
        relay.stop()
        reader?.join()
        if let drops = sink.kernelDrops, drops > 0 {
            report("\(drops) datagram\(drops == 1 ? "" : "s") dropped by the kernel before reading")
        }
        // What the input read after the delivery stopped is in the spool: count it.
        relay.counters.setSpooled(spool.totals.count)
        relay.counters.publish(force: true)
        if let stats {
            stats.metrics.flush()
            if !stats.client.close(timeout: .seconds(5)) { report("stats client: not every message was written") }
        }
        let snapshot = relay.counters.snapshot
        if !quiet { printError("heka relay: " + snapshot.line) }
        if opened.withLock({ $0 }) != 0 { return opened.withLock { $0 } }
        return snapshot.dropped + snapshot.rejected + snapshot.problems > 0 ? 1 : 0
    }

    /// The client the counters go through as Heka messages, summed over the stats
    /// interval, when one is configured.
    private func statsClient(report: @escaping @Sendable (String) -> Void) throws
        -> (client: HekaClient, metrics: HekaMetricsFactory)? {
        guard let configuration = try settings.statsConfiguration() else { return nil }
        let client = try HekaClient(configuration: configuration, errorHandler: ErrorHandler { error in
            report("stats client: \(error)")
        })
        let metrics = try HekaMetricsFactory(
            client: client, configuration: .init(counters: .aggregating(every: settings.statsClientInterval)))
        return (client, metrics)
    }

    /// Opens and runs the input on its own thread; when it ends, what it converted is
    /// spooled and the relay told. A listener that cannot listen stops the relay (status 2).
    private func startInput(sink: RelayInput, relay: Relay, report: @escaping @Sendable (String) -> Void,
                            failed: LockedValue<Int32>) -> PlatformThread? {
        let input = input
        let keys = keys
        let limits = settings.limits
        let quiet = quiet
        // The sink is used by the input's thread alone from here on.
        nonisolated(unsafe) let sink = sink
        let body: @Sendable () -> Void = {
            do throws(InputError) {
                switch input {
                case .none:
                    break
                case .file(let path, let follow):
                    try FileReader(path: path, follow: follow).run(keys: keys, into: sink)
                case .udp(let endpoint):
                    let listener = try UdpListener(endpoint)
                    if !quiet { report("listening on udp \(listener.address)") }
                    listener.run(keys: keys, into: sink)
                case .tcp(let endpoint):
                    let listener = try TcpListener(endpoint, limits: limits)
                    if !quiet { report("listening on tcp \(listener.address)") }
                    listener.run(keys: keys, into: sink)
                }
            } catch {
                report("\(error)")
                failed.withLock { $0 = 2 }
                relay.stop()
            }
            sink.flush()
            relay.inputFinished()
        }
        do {
            return try PlatformThread.spawn(name: "heka-relay-in", body)
        } catch {
            report("cannot start the input: \(error)")
            failed.withLock { $0 = 2 }
            relay.stop()
            return nil
        }
    }
}
