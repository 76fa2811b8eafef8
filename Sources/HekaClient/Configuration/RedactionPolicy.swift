/// What this project treats as a secret, and how it hides one: the one rule that the
/// configuration printouts (``HekaConfiguration/iniText()``, `dump` of a section) and the
/// raven plugin's sanitiser (event `extra`, tags and messages) both follow.
///
/// - A **key** is secret when its lowercased name *contains* one of ``keyFragments``
///   (raven's `SanitizePasswordsProcessor` list: `password`, `secret`, `passwd`,
///   `authorization`, `api_key`, `apikey`, `sentry_dsn`, `access_token`), or *is* one of
///   ``keyWords`` (`key`, `token`) or *ends with* `_` and one of them (`hmac_key`,
///   `auth_token`). The whole value under a secret key is masked.
/// - A **URL's password** (`https://public:secret@host/1`) and the values of its query
///   items under secret names (`?sentry_secret=…`) are masked, the rest of the URL kept, so
///   that a Sentry DSN still shows where it points.
/// - A **card number**, 13 to 16 digits starting with one and with any spaces or dashes
///   between (raven's `^(?:\d[ -]*?){13,16}$`), is masked whole.
/// - The mask is ``mask``, `********`.
package enum RedactionPolicy {
    /// What replaces a secret.
    package static let mask = "********"

    /// Key fragments: a key containing one (in any case) is secret.
    package static let keyFragments = [
        "password", "secret", "passwd", "authorization", "api_key", "apikey", "sentry_dsn", "access_token",
    ]

    /// Key words: a key that is one, or ends with `_` and one, is secret.
    package static let keyWords = ["key", "token"]

    private static let fragmentBytes = keyFragments.map { Array($0.utf8) }
    private static let wordBytes = keyWords.map { Array($0.utf8) }

    /// Whether the value under `key` is masked for the key's name. Compares UTF-8 bytes: an
    /// ASCII key (nearly every key) is lowercased byte by byte, any other by Unicode's rules.
    package static func isSecret(key: String) -> Bool {
        let lowered = key.utf8.allSatisfy { $0 < 0x80 }
            ? key.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
            : Array(key.lowercased().utf8)
        let containsFragment = fragmentBytes.contains { fragment in
            lowered.count >= fragment.count && (0...(lowered.count - fragment.count)).contains { start in
                lowered[start..<(start + fragment.count)].elementsEqual(fragment)
            }
        }
        return containsFragment || wordBytes.contains { word in
            let suffixed = lowered.count > word.count && lowered[lowered.count - word.count - 1] == UInt8(ascii: "_")
                && lowered.suffix(word.count).elementsEqual(word)
            return lowered.elementsEqual(word) || suffixed
        }
    }

    /// Whether `text` is a card number: 13 to 16 digits, starting with one, with any spaces
    /// or dashes between and after them.
    package static func looksLikeCardNumber(_ text: String) -> Bool {
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

    /// `text` with the password of a URL's user info masked
    /// (`https://public:********@host/1`), and the values of its query items whose names are
    /// secret (`?sentry_secret=********`), the URL read as Python's `urlsplit` reads it; any
    /// other text unchanged.
    package static func maskingURLPassword(_ text: String) -> String {
        // Most values have neither "@" nor "?": one pass over the bytes before splitting.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: "?") }),
              text.utf8.contains(UInt8(ascii: ":"))
        else { return text }
        let url = SplitURL(text)
        guard url.scheme != nil, url.netloc != nil else { return text }
        let secrets = url.secretRanges
        return secrets.isEmpty ? text : url.replacing(secrets, with: mask)
    }

    /// `text`, stored under `key` (if any), as the policy shows it: all masked for a secret
    /// key or a card number, a URL's password masked, else unchanged.
    package static func redacted(_ text: String, key: String? = nil) -> String {
        if let key, isSecret(key: key) { return mask }
        if looksLikeCardNumber(text) { return mask }
        return maskingURLPassword(text)
    }
}
