import Foundation

/// An INI file read with heka-py's semantics, so that existing `heka.ini` files load
/// unchanged.
///
/// - `[section]` headers; `key = value` or `key: value`; keys are case-insensitive (kept
///   lowercased); the last of duplicate keys wins, and a section named twice is one section.
/// - Lines whose first non-blank character is `#` or `;` are comments, and so is the rest of
///   a line from a `;` that follows whitespace.
/// - A value continued on indented lines is a list of its non-empty lines.
/// - Each value (each list item) is typed: an integer when it starts with a digit or
///   `-digit` and parses as one, a boolean for `true/t/on/yes` and `false/f/off/no` in any
///   case, else a string. `${VAR}` is replaced by the environment variable before typing (a
///   variable that is not set is an error), so `port = ${HEKA_PORT}` is an integer.
/// - Text common to the start of every line is removed first (heka-py dedents INI text).
///
/// Errors name the file, line, section and key.
public struct INIFile: Sendable, Hashable {
    /// One `key = value`.
    public struct Entry: Sendable, Hashable {
        /// The key, lowercased.
        public var key: String
        /// The text as written (continuation lines joined with `\n`), comments removed.
        public var rawValue: String
        /// The text after `${VAR}` substitution, before typing (list items joined with
        /// `\n`): what a key that wants text reads, so `key = 007` stays `007`.
        public var text: String
        /// The typed value.
        public var value: ConfigurationValue
        /// The line the key is on.
        public var line: Int
    }

    /// One `[section]`, its entries in the order their keys first appear.
    public struct Section: Sendable, Hashable {
        /// The name, as written (section names are case-sensitive).
        public var name: String
        /// The line of its first header.
        public var line: Int
        /// The entries, in order.
        public var entries: [Entry]

        /// The entry for `key` (any case).
        public subscript(key: String) -> Entry? { entries.first { $0.key == key.lowercased() } }
    }

    /// The file the text came from, for error messages.
    public let path: String?
    /// The sections, in file order.
    public private(set) var sections: [Section] = []

    /// The section named `name`.
    public subscript(section name: String) -> Section? { sections.first { $0.name == name } }

    /// Reads a file.
    public init(contentsOf path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError)
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(.unreadable, "cannot read the file", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(.syntax, "the file is not UTF-8 text", file: path)
        }
        try self.init(text: text, path: path, environment: environment)
    }

    /// Reads INI text; `path` only names it in errors.
    public init(text: String, path: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) {
        self.path = path
        // Swift reads "\r\n" as one Character, which isNewline.
        let lines = Self.dedented(text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline))
        var current: Int?
        var pending: (section: Int, key: String, text: String, line: Int)?
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let content = Self.removingComment(line)
            let trimmed = content.trimmingWhitespace
            if trimmed.isEmpty { continue }
            if line.first == " " || line.first == "\t" {
                guard pending != nil else {
                    throw error(.syntax, "an indented line continues no value", line: number)
                }
                pending!.text += "\n" + trimmed
                continue
            }
            if let open = pending {
                try store(open.key, open.text, line: open.line, in: open.section, environment: environment)
                pending = nil
            }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw error(.syntax, "a section header must be [name]", line: number)
                }
                let name = String(trimmed.dropFirst().dropLast()).trimmingWhitespace
                if let existing = sections.firstIndex(where: { $0.name == name }) {
                    current = existing
                } else {
                    sections.append(Section(name: name, line: number, entries: []))
                    current = sections.count - 1
                }
                continue
            }
            guard let separator = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw error(.syntax, "expected [section], key = value, or an indented continuation",
                            line: number, section: current.map { sections[$0].name })
            }
            let key = trimmed[..<separator].trimmingWhitespace.lowercased()
            guard let section = current else {
                throw error(.syntax, "a key before any [section]", line: number, key: key)
            }
            guard !key.isEmpty else {
                throw error(.syntax, "a value with no key", line: number, section: sections[section].name)
            }
            pending = (section, key, trimmed[trimmed.index(after: separator)...].trimmingWhitespace, number)
        }
        if let open = pending {
            try store(open.key, open.text, line: open.line, in: open.section, environment: environment)
        }
    }

    private mutating func store(_ key: String, _ text: String, line: Int, in section: Int,
                                environment: [String: String]) throws(ConfigurationError) {
        let place = (line: line, section: sections[section].name, key: key)
        let value: ConfigurationValue
        let substituted: String
        if text.contains("\n") {
            var items: [String] = []
            for item in text.split(separator: "\n") where !item.trimmingWhitespace.isEmpty {
                items.append(try substitute(String(item), environment, place))
            }
            value = .list(items.map { ConfigurationValue(typing: $0) })
            substituted = items.joined(separator: "\n")
        } else {
            substituted = try substitute(text, environment, place)
            value = ConfigurationValue(typing: substituted)
        }
        let entry = Entry(key: key, rawValue: text, text: substituted.trimmingWhitespace, value: value, line: line)
        if let existing = sections[section].entries.firstIndex(where: { $0.key == key }) {
            sections[section].entries[existing] = entry
        } else {
            sections[section].entries.append(entry)
        }
    }

    /// Replaces each `${NAME}` with the environment variable `NAME`.
    private func substitute(_ text: String, _ environment: [String: String],
                            _ place: (line: Int, section: String, key: String)) throws(ConfigurationError) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = text[...]
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw error(.syntax, "\"${\" without a closing \"}\"", line: place.line, section: place.section,
                            key: place.key)
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else {
                throw error(.missingEnvironmentVariable, "the environment variable \(name) is not set",
                            line: place.line, section: place.section, key: place.key)
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    private func error(_ code: ConfigurationError.Code, _ message: String, line: Int, section: String? = nil,
                       key: String? = nil) -> ConfigurationError {
        ConfigurationError(code, message, file: path, line: line, section: section, key: key)
    }

    /// The line up to a `;` that follows whitespace; a whole line when it starts a comment.
    private static func removingComment(_ line: Substring) -> Substring {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if trimmed.first == "#" || trimmed.first == ";" { return "" }
        var previous: Character = "x"
        for index in line.indices {
            if line[index] == ";" && (previous == " " || previous == "\t") { return line[..<index] }
            previous = line[index]
        }
        return line
    }

    /// Removes the leading whitespace common to every non-blank line.
    private static func dedented(_ lines: [Substring]) -> [Substring] {
        let indents = lines.filter { !$0.trimmingWhitespace.isEmpty }.map { $0.prefix { $0 == " " || $0 == "\t" }.count }
        guard let common = indents.min(), common > 0 else { return lines }
        return lines.map { $0.trimmingWhitespace.isEmpty ? $0 : $0.dropFirst(common) }
    }
}
