import Foundation
import HekaClient
import HekaMetrics
import Streams

/// A client writing framed protobuf into memory, and the memory.
func captureClient(capacity: Int = 1_000) -> (HekaClient, DebugCaptureStream) {
    let stream = DebugCaptureStream(capacity: capacity)
    return (HekaClient(stream: stream, logger: "metrics-test"), stream)
}

/// `message` with the two things no two messages share (uuid and timestamp) set to zero, so
/// that two messages sent alike compare equal.
func withoutIdentity(_ message: Message) -> Message {
    var message = message
    message.uuid = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    message.timestamp = 0
    return message
}

/// The bytes `message` encodes to once uuid and timestamp are set to zero: two messages with
/// the same bytes here differ in nothing else on the wire.
func normalisedRecord(_ message: Message) throws -> [UInt8] {
    try ProtobufEncoder().encode(withoutIdentity(message))
}

/// The sum of the payloads of the `counter` messages named `name`; `nil` if one payload is
/// not an integer.
func counterSum(_ messages: [Message], name: String) -> Int? {
    var sum = 0
    for message in messages where message.type == "counter" && message.field("name")?.string == name {
        guard let count = Int(message.payload) else { return nil }
        sum += count
    }
    return sum
}

/// A factory whose counters sum until ``HekaMetricsFactory/flush()``: the test is the interval.
func manualFactory(_ client: HekaClient) throws -> HekaMetricsFactory {
    try HekaMetricsFactory(client: client, configuration: .init(counters: .aggregatingUntilFlush))
}
