import Foundation
import HekaClient
import Streams

/// The messages `heka flood` sends: a `seq` field, `fields` more of four kinds in turn, and
/// a payload padded so that each record is about `size` bytes.
struct FloodGenerator {
    let client: HekaClient
    let type: String
    private let extraFields: [Field]
    private let padding: String
    /// The size of the first record, padding included.
    private(set) var recordSize = 0

    init(client: HekaClient, type: String, fields: Int, size: Int) {
        self.client = client
        self.type = type
        extraFields = (0..<fields).map { index in
            let value: FieldValue = switch index % 4 {
            case 0: FieldValue(Int64(index) * 1000)
            case 1: FieldValue(Double(index) + 0.5)
            case 2: FieldValue("value-\(index)")
            default: FieldValue(index % 8 == 3)
            }
            return Field(name: "f\(index)", value: value)
        }
        let bare = (try? client.encoder.encode(Self.message(client, type, 0, extraFields, "")).count) ?? 0
        let pattern = Array("the quick brown fox jumps over the lazy dog ")
        padding = String((0..<max(0, size - bare)).map { pattern[$0 % pattern.count] })
        recordSize = (try? client.encoder.encode(Self.message(client, type, 0, extraFields, padding)).count) ?? 0
    }

    private static func message(_ client: HekaClient, _ type: String, _ sequence: Int, _ fields: [Field],
                                _ payload: String) -> Message {
        client.message(type: type, payload: payload,
                       fields: Fields([Field(name: "seq", value: FieldValue(Int64(sequence)))] + fields))
    }

    /// Sends message number `sequence`; a corrupt one is encoded, broken and written by hand.
    func send(sequence: Int, corrupt: Bool, failures: FailureLog) {
        let message = Self.message(client, type, sequence, extraFields, padding)
        guard corrupt else {
            client.send(message)
            return
        }
        do {
            var record = try client.encoder.encode(message)
            // After the 0x1E, the header length, the header and 0x1F comes the message; its
            // first byte is a tag. Field 1 with wire type 7, which protobuf does not have,
            // makes every decoder refuse the message (and breaks any HMAC).
            let messageStart = 2 + Int(record[1]) + 1
            record[messageStart] = 0x0F
            try client.stream.write(record)
        } catch {
            failures.record("\(error)")
        }
    }
}
