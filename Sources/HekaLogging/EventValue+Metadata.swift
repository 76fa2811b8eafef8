import HekaRaven
import Logging

extension EventValue {
    /// A metadata value in a Sentry event's `extra`: a string, a list, or a table whose
    /// members are sorted by key; a `.stringConvertible` by its description.
    init(_ value: Logger.MetadataValue) {
        switch value {
        case .string(let text): self = .string(text)
        case .stringConvertible(let convertible): self = .string(convertible.description)
        case .array(let values): self = .list(values.map(EventValue.init))
        case .dictionary(let dictionary):
            self = .table(dictionary.sorted { $0.key < $1.key }.map { (key: $0.key, value: EventValue($0.value)) })
        }
    }
}
