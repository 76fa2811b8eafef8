import HekaClient
import HekaInputs

/// The relay as the inputs' sink: each message is converted; events are spooled in one
/// transaction per batch read (at the input's ``InputSink/flush()``), so that what was
/// read is on disk before the input reads on.
public final class RelayInput: InputSink {
    private let relay: Relay
    private let converter: EventConverter
    private let report: @Sendable (String) -> Void
    private var pending: [RelayEvent] = []
    /// The kernel's count of dropped datagrams (UDP), for the summary.
    public var kernelDrops: Int?

    /// A sink converting with `converter` into `relay`; `report` gets a line per message
    /// that cannot be sent and per problem in the input.
    public init(relay: Relay, converter: EventConverter, report: @escaping @Sendable (String) -> Void) {
        self.relay = relay
        self.converter = converter
        self.report = report
    }

    /// Converts one message (or counts one problem).
    public func handle(_ event: InputEvent) -> Bool {
        switch event {
        case .problem(let text):
            relay.counters.add(.problems)
            report(text)
        case .message(let message, _):
            relay.counters.add(.received)
            switch converter.convert(message) {
            case .event(let event):
                pending.append(event)
                if pending.count >= 512 { flush() }
            case .skipped:
                relay.counters.add(.skipped)
            case .refused(let refusal):
                relay.counters.add(.dropped)
                report("dropped \(refusal)")
            }
        }
        return !relay.isStopping
    }

    /// Whether the relay is stopping.
    public var isDone: Bool { relay.isStopping }

    /// Spools what was converted since the last flush.
    public func flush() {
        guard !pending.isEmpty else { return }
        relay.submit(pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Reports a notice about the input.
    public func notice(_ text: String) {
        report(text)
    }
}
