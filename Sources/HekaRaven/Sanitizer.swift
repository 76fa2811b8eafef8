import HekaClient

/// raven's `SanitizePasswordsProcessor`, by the project's one ``RedactionPolicy``: values
/// under secret-sounding keys, card numbers and URL passwords in an event's `extra`, tags
/// and message become `********`.
enum Sanitizer {
    /// `value` with every secret inside masked; `key` is the name it is stored under.
    static func sanitize(_ value: EventValue, key: String?) -> EventValue {
        if let key, RedactionPolicy.isSecret(key: key) { return .string(RedactionPolicy.mask) }
        switch value {
        case .string(let text): return .string(RedactionPolicy.redacted(text))
        case .list(let items): return .list(items.map { sanitize($0, key: nil) })
        case .table(let entries): return .table(entries.map { ($0.key, sanitize($0.value, key: $0.key)) })
        default: return value
        }
    }
}
