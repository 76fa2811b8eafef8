import HekaClient
import HekaLogging
import Logging
import Streams
import Synchronization
import Testing

/// A logger whose handler sends into a fresh in-memory stream, through a client with
/// `threshold`; the handler has no metadata provider unless one is given.
func capturingLogger(
    label: String = "shop.basket", configuration: HekaLogHandler.Configuration = .default,
    threshold: Severity = .debug, metadataProvider: Logger.MetadataProvider? = nil, capacity: Int = 100
) -> (logger: Logger, stream: DebugCaptureStream, client: HekaClient) {
    let stream = DebugCaptureStream(capacity: capacity)
    let client = HekaClient(stream: stream, logger: "shop", severityThreshold: threshold)
    let logger = Logger(label: label) { label in
        HekaLogHandler(label: label, client: client, configuration: configuration, metadataProvider: metadataProvider)
    }
    return (logger, stream, client)
}

/// Counts how often something is evaluated, from any thread.
final class EvaluationCounter: Sendable {
    private let count = Atomic(0)

    /// Counts one evaluation and returns the new count.
    func next() -> Int { count.add(1, ordering: .relaxed).newValue }

    var value: Int { count.load(ordering: .relaxed) }
}

/// An error with a description, so that metadata can carry it (`.stringConvertible`).
struct PaymentError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "payment refused: \(reason)" }
}

extension Message {
    /// The names of the fields, in order.
    var fieldNames: [String] { fields.map(\.name) }
}

extension Duration {
    /// How long a test lets `flush` wait for the raven worker to symbolicate a new stack: far
    /// longer than it takes (about half a second for the first of a process); `flush` returns
    /// as soon as the work is done.
    static let symbolication = Duration.seconds(120)
}
