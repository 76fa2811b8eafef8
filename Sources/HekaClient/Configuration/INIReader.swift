/// The line rules of Python 2.7's `ConfigParser` (`RawConfigParser._read`), which heka-py
/// reads its INI files with, applied to the UTF-8 bytes of the text. Python 2 read a file as
/// bytes, so "whitespace" here is ASCII's six (space, tab, `\n`, `\r`, vertical tab, form
/// feed) and a line ends at `\n` only: `\r\n` is a line whose last character is `\r`
/// (stripped like any whitespace), while U+2028, U+0085 and a lone `\r` stay inside the line.
///
/// The reader makes one pass and keeps each section's keys in a dictionary, so its cost is
/// linear in the size of the text.
struct INIReader {
    /// One `key = value` as written: its lines (the first, then each continuation) and where.
    struct Option {
        var lines: [String]
        var line: Int

        /// The lines joined with `\n`: the value 2.7 stores.
        var text: String { lines.count == 1 ? lines[0] : lines.joined(separator: "\n") }
    }

    /// One section: its keys in the order they first appear, the last value of each.
    struct Section {
        var name: String
        var line: Int
        var keys: [String] = []
        var options: [String: Option] = [:]

        mutating func set(_ key: String, _ option: Option) {
            if options.updateValue(option, forKey: key) == nil { keys.append(key) }
        }
    }

    /// The section named `DEFAULT`, whose keys every other section inherits.
    static let defaultSection = "DEFAULT"

    private(set) var sections: [Section] = []
    private(set) var defaults = Section(name: INIReader.defaultSection, line: 0)
    private var sectionIndex: [String: Int] = [:]
    private let path: String?

    /// Reads `bytes` (UTF-8); throws at the first line Python 2.7 would not accept.
    init(_ bytes: [UInt8], path: String?) throws(ConfigurationError) {
        self.path = path
        // Where the line being continued is: nil before any section, or in DEFAULT (-1).
        var current: Int?
        var option: String?
        var number = 0
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
            number += 1
            let line = bytes[start..<end]
            start = end
            let content = Self.stripped(line)
            if content.isEmpty || line.first == UInt8(ascii: "#") || line.first == UInt8(ascii: ";")
                || Self.isRemark(line)
            {
                continue
            }
            if Self.isSpace(line.first!), current != nil, let option {
                // A continuation, even when it looks like a comment or a key.
                modify(current!) { $0.options[option]!.lines.append(String(decoding: content, as: UTF8.self)) }
                continue
            }
            if let name = Self.header(line) {
                if let existing = sectionIndex[name] {
                    current = existing
                } else if name == Self.defaultSection {
                    current = -1
                } else {
                    sectionIndex[name] = sections.count
                    current = sections.count
                    sections.append(Section(name: name, line: number))
                }
                option = nil
                continue
            }
            guard let section = current, let (key, value) = Self.option(line) else {
                throw problem(line, number: number, in: current)
            }
            option = key
            modify(section) { $0.set(key, Option(lines: [value], line: number)) }
        }
    }

    /// Why 2.7 refuses `line`, which is neither blank, a comment, a continuation nor a
    /// section header: it is indented with no value to continue, it is not `key = value`,
    /// or it comes before any section.
    private func problem(_ line: ArraySlice<UInt8>, number: Int, in current: Int?) -> ConfigurationError {
        let section = current.map(name(of:))
        let message: String
        var key: String?
        if Self.isSpace(line.first!) {
            message = "an indented line continues no value"
        } else if let (named, _) = Self.option(line) {
            message = "a key before any [section]"
            key = named
        } else if line.first == UInt8(ascii: "[") {
            message = "a section header must be [name]"
        } else if line.first == UInt8(ascii: "=") || line.first == UInt8(ascii: ":") {
            message = "a value with no key"
        } else if current == nil {
            message = "text before any [section]"
        } else {
            message = "expected [section], key = value, or an indented continuation"
        }
        return ConfigurationError(.syntax, message, file: path, line: number,
                                  section: key == nil && !Self.isSpace(line.first!) ? section : nil, key: key)
    }

    private func name(of index: Int) -> String { index < 0 ? Self.defaultSection : sections[index].name }

    private mutating func modify(_ index: Int, _ change: (inout Section) -> Void) {
        if index < 0 { change(&defaults) } else { change(&sections[index]) }
    }

    /// Python 2's `isspace` for one byte.
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// The bytes without leading and trailing whitespace (Python 2's `str.strip()`).
    static func stripped(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return [] }
        return bytes[first...bytes.lastIndex(where: { !isSpace($0) })!]
    }

    /// `rem` (any case) as the line's first word, at its very start: a comment in 2.7.
    private static func isRemark(_ line: ArraySlice<UInt8>) -> Bool {
        let word = line.prefix { !isSpace($0) }
        return word.count == 3 && word.map { $0 | 0x20 } == Array("rem".utf8)
    }

    /// `[name]` at the start of the line (whatever follows the `]` is ignored, as 2.7's
    /// `SECTCRE` matches only a prefix): the name, as written.
    private static func header(_ line: ArraySlice<UInt8>) -> String? {
        guard line.first == UInt8(ascii: "["),
            let close = line.dropFirst().firstIndex(of: UInt8(ascii: "]")), close > line.startIndex + 1
        else { return nil }
        return String(decoding: line[(line.startIndex + 1)..<close], as: UTF8.self)
    }

    /// 2.7's `OPTCRE`: a key that does not start with whitespace, `:` or `=`, up to the first
    /// `:` or `=`; the value after it, cut at its first `;` when whitespace comes before that
    /// `;`, stripped; `""` stands for the empty value. The key is lower-cased (ASCII only,
    /// as 2.7's `optionxform` on bytes).
    private static func option(_ line: ArraySlice<UInt8>) -> (key: String, value: String)? {
        guard let first = line.first, !isSpace(first), first != UInt8(ascii: ":"), first != UInt8(ascii: "="),
            let separator = line.firstIndex(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "=") })
        else { return nil }
        var keyBytes = line[..<separator]
        while let last = keyBytes.last, isSpace(last) { keyBytes.removeLast() }
        let key = lowercased(keyBytes)
        // `\s*` after the separator, then `.*` up to the line's `\n`.
        var value = line[(separator + 1)...].drop(while: isSpace)
        if value.last == UInt8(ascii: "\n") { value.removeLast() }
        if let semicolon = value.firstIndex(of: UInt8(ascii: ";")) {
            // 2.7 looks at the character before the `;`; for a `;` that starts the value,
            // Python's index -1 is the value's last character.
            let before = semicolon > value.startIndex ? value[semicolon - 1] : value.last!
            if isSpace(before) { value = value[..<semicolon] }
        }
        let text = stripped(value)
        return (key, text.elementsEqual("\"\"".utf8) ? "" : String(decoding: text, as: UTF8.self))
    }
}
