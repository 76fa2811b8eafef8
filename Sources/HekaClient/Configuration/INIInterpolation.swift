/// What Python 2.7's `SafeConfigParser.get` does to a value heka-py reads: `%%` is a
/// literal `%`, `%(name)s` is the value of the key `name` (lower-cased) in the same section
/// or else in `[DEFAULT]`, itself interpolated, at most 10 references deep; any other `%`
/// is an error.
///
/// 2.7 has no bound on how long references can make a value (ten levels of keys that each
/// name the next twice make a value 1,024 times its text); here the values of a file share a
/// budget of eight times the file's size plus 64 KiB, which each byte produced and each
/// reference followed draw on, so a hostile file costs time linear in its size and fails
/// with an error instead.
struct INIInterpolation {
    /// 2.7's `MAX_INTERPOLATION_DEPTH`.
    static let maximumDepth = 10

    /// Why a value cannot be read: its code and message for a ``ConfigurationError``, and
    /// whether it stops the whole file (the budget) rather than one key.
    struct Failure: Error {
        var code = ConfigurationError.Code.interpolation
        var message: String
        var stopsFile = false
    }

    /// The bytes that interpolation may still produce, for all the values of one file.
    private(set) var budget: Int

    init(textSize: Int) {
        budget = 8 * textSize + 1 << 16
    }

    /// `raw` interpolated, with `lookup` giving the raw value of a (lower-cased) key.
    mutating func interpolate(_ raw: String, lookup: (String) -> String?) throws(Failure) -> String {
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return raw }
        var result: [UInt8] = []
        try expand(Array(raw.utf8), depth: 1, into: &result, lookup: lookup)
        return String(decoding: result, as: UTF8.self)
    }

    private mutating func expand(_ text: [UInt8], depth: Int, into result: inout [UInt8],
                                 lookup: (String) -> String?) throws(Failure) {
        guard depth <= Self.maximumDepth else {
            throw Failure(message: "%(name)s references nest more than \(Self.maximumDepth) deep "
                + "(does a key refer to itself?)")
        }
        var index = 0
        while index < text.count {
            guard let percent = text[index...].firstIndex(of: UInt8(ascii: "%")) else {
                try append(text[index...], to: &result)
                return
            }
            try append(text[index..<percent], to: &result)
            let next = percent + 1 < text.count ? text[percent + 1] : nil
            if next == UInt8(ascii: "%") {
                try append([UInt8(ascii: "%")], to: &result)
                index = percent + 2
            } else if next == UInt8(ascii: "(") {
                guard let close = text[(percent + 2)...].firstIndex(of: UInt8(ascii: ")")), close > percent + 2,
                    close + 1 < text.count, text[close + 1] == UInt8(ascii: "s")
                else {
                    throw Failure(message: "bad interpolation variable reference \(Self.quoted(text[percent...])); "
                        + "a reference is %(name)s, and %% is a literal %")
                }
                try charge(1)
                let name = INIReader.lowercased(text[(percent + 2)..<close])
                guard let value = lookup(name) else {
                    throw Failure(message: "%(\(name))s refers to a key that is neither in this section "
                        + "nor in [DEFAULT]")
                }
                if value.utf8.contains(UInt8(ascii: "%")) {
                    try expand(Array(value.utf8), depth: depth + 1, into: &result, lookup: lookup)
                } else {
                    try append(value.utf8, to: &result)
                }
                index = close + 2
            } else {
                throw Failure(message: "'%' must be followed by '%' or '(name)s', found "
                    + "\(Self.quoted(text[percent...])); write %% for a literal %")
            }
        }
    }

    private mutating func append(_ bytes: some Collection<UInt8>, to result: inout [UInt8]) throws(Failure) {
        try charge(bytes.count)
        result.append(contentsOf: bytes)
    }

    /// Takes `count` bytes from the budget, which every value read (an inherited one once
    /// for each section) and every interpolated byte draw on.
    mutating func charge(_ count: Int) throws(Failure) {
        budget -= count
        guard budget >= 0 else {
            throw Failure(message: "the values, with [DEFAULT]'s keys in every section and %(name)s references "
                + "expanded, come to more than eight times the file's size plus 64 KiB", stopsFile: true)
        }
    }

    /// The text from a `%`, quoted, cut at 40 bytes.
    private static func quoted(_ text: ArraySlice<UInt8>) -> String {
        let shown = String(decoding: text.prefix(40), as: UTF8.self)
        return "\"\(shown)\(text.count > 40 ? "…" : "")\""
    }
}

extension INIReader {
    /// ASCII letters lower-cased, as 2.7's `optionxform` (`str.lower`) does to bytes.
    static func lowercased(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: bytes.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// 2.7's `textwrap.dedent`, which heka-py's `client_from_text_config` applies to INI
    /// text: lines of only spaces and tabs become empty, then the longest run of spaces and
    /// tabs that starts every other line is removed from each line that starts with it.
    static func dedented(_ bytes: [UInt8]) -> [UInt8] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        var margin: ArraySlice<UInt8>?
        for (index, line) in lines.enumerated() {
            if !line.isEmpty && line.allSatisfy(isBlank) {
                lines[index] = []
                continue
            }
            guard !line.isEmpty else { continue }
            let indent = line.prefix(while: isBlank)
            guard let current = margin else {
                margin = indent
                continue
            }
            margin = current.prefix(zip(current, indent).prefix { $0 == $1 }.count)
        }
        guard let margin, !margin.isEmpty else { return Array(lines.joined(separator: [UInt8(ascii: "\n")])) }
        return Array(lines.map { $0.starts(with: margin) ? $0.dropFirst(margin.count) : $0 }
            .joined(separator: [UInt8(ascii: "\n")]))
    }
}
