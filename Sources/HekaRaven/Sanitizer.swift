/// raven's `SanitizePasswordsProcessor`: values under secret-sounding keys, and values that
/// look like card numbers, become `********`.
enum Sanitizer {
    static let mask = "********"

    /// Key fragments (matched in the lowercased key) whose values are masked.
    static let secretKeys = [
        "password", "secret", "passwd", "authorization", "api_key", "apikey", "sentry_dsn", "access_token",
    ]

    /// Whether a value under `key` is masked for its name.
    static func isSecret(key: String) -> Bool {
        let key = key.lowercased()
        return secretKeys.contains { key.contains($0) }
    }

    /// Whether `text` is 13 to 16 digits, starting with one, with any spaces or dashes
    /// between and after them: raven's `^(?:\d[ -]*?){13,16}$`.
    static func looksLikeCardNumber(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, (0x30...0x39).contains(first) else { return false }
        var digits = 0
        for byte in bytes {
            if (0x30...0x39).contains(byte) {
                digits += 1
            } else if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "-") {
                return false
            }
        }
        return (13...16).contains(digits)
    }

    /// `value` with every secret inside masked; `key` is the name it is stored under.
    static func sanitize(_ value: EventValue, key: String?) -> EventValue {
        if let key, isSecret(key: key) { return .string(mask) }
        switch value {
        case .string(let text): return looksLikeCardNumber(text) ? .string(mask) : value
        case .list(let items): return .list(items.map { sanitize($0, key: nil) })
        case .table(let entries): return .table(entries.map { ($0.key, sanitize($0.value, key: $0.key)) })
        default: return value
        }
    }
}
