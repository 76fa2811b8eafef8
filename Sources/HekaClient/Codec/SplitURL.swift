/// A URL split as Python's `urllib.parse.urlsplit` splits it, which is how raven (the
/// Python client) reads a Sentry DSN: `scheme://netloc/path?query#fragment`, with the user
/// info before the *last* `@` of the netloc, the password after the *first* `:` of the user
/// info, and the port after the host's first `:` (or after `]` for an IPv6 address).
///
/// Every part is a range of the original text, so that a printout can replace one part
/// (the password, a query value) and keep the rest as written.
package struct SplitURL: Sendable {
    /// The text split.
    package let text: String
    /// The scheme as written (Python lowercases it); `nil` when the text has none.
    package let scheme: Substring?
    /// What follows `//` up to the first `/`, `?` or `#`; `nil` without `//`.
    package let netloc: Substring?
    /// The path, up to `?` or `#`.
    package let path: Substring
    /// The query, after `?` and up to `#`; `nil` without `?`.
    package let query: Substring?

    package init(_ text: String) {
        self.text = text
        var rest = text[...]
        if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isASCII, first.isLetter,
           rest[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        {
            scheme = rest[..<colon]
            rest = rest[rest.index(after: colon)...]
        } else {
            scheme = nil
        }
        if rest.hasPrefix("//") {
            let start = rest.index(rest.startIndex, offsetBy: 2)
            let end = rest[start...].firstIndex { "/?#".contains($0) } ?? rest.endIndex
            netloc = rest[start..<end]
            rest = rest[end...]
        } else {
            netloc = nil
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        } else {
            query = nil
        }
        path = rest
    }

    /// The user info: the netloc before its last `@`.
    package var userInfo: Substring? {
        guard let netloc, let at = netloc.lastIndex(of: "@") else { return nil }
        return netloc[..<at]
    }

    /// The user name: the user info before its first `:`.
    package var username: Substring? {
        userInfo.map { info in info[..<(info.firstIndex(of: ":") ?? info.endIndex)] }
    }

    /// The password: the user info after its first `:`; `nil` without a `:`.
    package var password: Substring? {
        guard let info = userInfo, let colon = info.firstIndex(of: ":") else { return nil }
        return info[info.index(after: colon)...]
    }

    /// The host and port: the netloc after its last `@`.
    package var hostInfo: Substring? {
        guard let netloc else { return nil }
        guard let at = netloc.lastIndex(of: "@") else { return netloc }
        return netloc[netloc.index(after: at)...]
    }

    /// The host as written (an IPv6 address without its brackets), and the port's text
    /// (`nil` without a `:`).
    package var hostAndPort: (host: Substring, port: Substring?)? {
        guard let info = hostInfo else { return nil }
        if info.first == "[", let close = info.firstIndex(of: "]") {
            let after = info[info.index(after: close)...]
            let port = after.first == ":" ? after.dropFirst() : nil
            return (info[info.index(after: info.startIndex)..<close], port)
        }
        guard let colon = info.firstIndex(of: ":") else { return (info, nil) }
        return (info[..<colon], info[info.index(after: colon)...])
    }

    /// The query's `name=value` pairs as written, split at `&`, each value a range of the
    /// text (empty when there is no `=`).
    package var queryItems: [(name: Substring, value: Substring)] {
        guard let query else { return [] }
        return query.split(separator: "&").map { item in
            guard let equals = item.firstIndex(of: "=") else { return (item, item[item.endIndex...]) }
            return (item[..<equals], item[item.index(after: equals)...])
        }
    }

    /// The text with each range in `ranges` (of ``text``, not overlapping) replaced by
    /// `replacement`.
    package func replacing(_ ranges: [Range<String.Index>], with replacement: String) -> String {
        Self.replacing(ranges, in: text[...], with: replacement)
    }

    /// `part` with each range in `ranges` (within `part`, not overlapping) replaced by
    /// `replacement`.
    package static func replacing(_ ranges: [Range<String.Index>], in part: Substring, with replacement: String) -> String {
        var out = ""
        var last = part.startIndex
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound >= last {
            out += part[last..<range.lowerBound]
            out += replacement
            last = range.upperBound
        }
        return out + part[last...]
    }

    /// The ranges a printout masks: the password, and the values of query items whose
    /// names are secret by ``RedactionPolicy/isSecret(key:)``.
    package var secretRanges: [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        if let password { ranges.append(password.startIndex..<password.endIndex) }
        for item in queryItems where !item.value.isEmpty && RedactionPolicy.isSecret(key: Self.percentDecoded(item.name)) {
            ranges.append(item.value.startIndex..<item.value.endIndex)
        }
        return ranges
    }

    /// `text` as `parse_qsl` reads a name or value: `+` is a space, `%XX` a byte; bytes that
    /// are not UTF-8 become U+FFFD.
    package static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte == UInt8(ascii: "+") ? 0x20 : byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
