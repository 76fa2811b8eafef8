/// raven's `SanitizePasswordsProcessor`: values under secret-sounding keys, and values that
/// look like card numbers, become `********`.
enum Sanitizer {
    static let mask = "********"

    /// Key fragments (matched in the lowercased key) whose values are masked.
    static let secretKeys = [
        "password", "secret", "passwd", "authorization", "api_key", "apikey", "sentry_dsn", "access_token",
    ]

    private static let secretKeyBytes = secretKeys.map { Array($0.utf8) }

    /// Whether a value under `key` is masked for its name. Compares UTF-8 bytes: an ASCII
    /// key (nearly every key) is lowercased byte by byte, any other by Unicode's rules.
    static func isSecret(key: String) -> Bool {
        let lowered = key.utf8.allSatisfy { $0 < 0x80 }
            ? key.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
            : Array(key.lowercased().utf8)
        return secretKeyBytes.contains { fragment in
            lowered.count >= fragment.count && (0...(lowered.count - fragment.count)).contains { start in
                lowered[start..<(start + fragment.count)].elementsEqual(fragment)
            }
        }
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
