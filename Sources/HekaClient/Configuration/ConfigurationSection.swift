/// The keys of one configuration section (an INI `[section]`, or a dictionary), each with
/// where it was written, and accessors that read a key as the type it needs.
///
/// Every accessor returns `nil` for an absent key and throws a ``ConfigurationError`` that
/// names the file, line, section and key for a value of the wrong type or out of range.
/// Plugins receive their arguments as one of these (see ``HekaPlugin``).
public struct ConfigurationSection: Sendable, Hashable {
    /// One key and its value.
    public struct Entry: Sendable, Hashable, CustomReflectable {
        /// The key, lowercased.
        public var key: String
        /// The value.
        public var value: ConfigurationValue
        /// For INI files, the text after `${VAR}` substitution and before typing, which is
        /// what a key that wants text reads (`signer = 007` stays `007`).
        public var text: String?
        /// The line it is on, for INI files.
        public var line: Int?

        /// What `dump` and debuggers show: a secret masked by `RedactionPolicy`, as in
        /// the printed configuration.
        public var customMirror: Mirror {
            let written = text ?? value.description
            let shown = RedactionPolicy.redacted(written, key: key)
            guard shown != written else {
                return Mirror(self, children: ["key": key, "value": value, "text": text as Any, "line": line as Any])
            }
            return Mirror(self, children: ["key": key, "value": shown, "text": shown, "line": line as Any])
        }
    }

    /// The section's name: `heka`, `heka_plugin_raven`, …
    public var name: String
    /// The file it came from, if any.
    public var file: String?
    /// The line of its header, for INI files.
    public var line: Int?
    /// The entries, in the order their keys were first written.
    public private(set) var entries: [Entry] = []
    /// Where each key is in `entries`, so that a section of many keys is built in linear time.
    private var positions: [String: Int] = [:]
    /// Prefixed to keys in error messages: `stream.` for a dictionary's nested stream table.
    var keyPrefix = ""

    /// An empty section.
    public init(name: String, file: String? = nil, line: Int? = nil) {
        self.name = name
        self.file = file
        self.line = line
    }

    /// A section holding `values`, for building plugin arguments in code.
    public init(name: String, values: KeyValuePairs<String, ConfigurationValue>) {
        self.init(name: name)
        for (key, value) in values { set(key, value) }
    }

    /// Sets `key` (lowercased); a key set twice keeps its first position and its last value.
    public mutating func set(_ key: String, _ value: ConfigurationValue, text: String? = nil, line: Int? = nil) {
        let entry = Entry(key: key.lowercased(), value: value, text: text, line: line)
        if let index = positions[entry.key] {
            entries[index] = entry
        } else {
            positions[entry.key] = entries.count
            entries.append(entry)
        }
    }

    /// Removes `key` and returns its entry.
    @discardableResult
    mutating func remove(_ key: String) -> Entry? {
        guard let index = positions.removeValue(forKey: key) else { return nil }
        for later in entries[(index + 1)...] { positions[later.key]! -= 1 }
        return entries.remove(at: index)
    }

    /// The keys, in order.
    public var keys: [String] { entries.map(\.key) }

    /// The entry for `key` (any case).
    public func entry(_ key: String) -> Entry? {
        let key = key.lowercased()
        return positions[key].map { entries[$0] }
    }

    /// The value of `key` (any case).
    public subscript(key: String) -> ConfigurationValue? { entry(key)?.value }

    /// An error at `key` (its line when known, else the section's).
    public func error(_ code: ConfigurationError.Code, _ message: String, key: String? = nil) -> ConfigurationError {
        let line = key.flatMap { entry($0)?.line } ?? line
        return ConfigurationError(code, message, file: file, line: line, section: name,
                                  key: key.map { keyPrefix + $0.lowercased() })
    }

    // MARK: Typed reads

    /// `key` as text. Numbers and booleans read as they were written.
    public func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let entry = entry(key) else { return nil }
        switch entry.value {
        case .list, .table: throw error(.invalidValue, "expected one value, found \(entry.value.kind)", key: key)
        default: return entry.text ?? entry.value.description
        }
    }

    /// `key` as a list of texts; a single value is a list of one.
    public func strings(_ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = self[key] else { return nil }
        var result: [String] = []
        for item in value.listItems {
            if case .list = item { throw error(.invalidValue, "expected a list of texts, found a nested list", key: key) }
            if case .table = item { throw error(.invalidValue, "expected a list of texts, found a table", key: key) }
            result.append(item.description)
        }
        return result
    }

    /// `key` as an integer (text holding one is accepted, as heka-py dictionaries have
    /// `'port': '5566'`), optionally within `range`.
    public func integer(_ key: String, in range: ClosedRange<Int>? = nil) throws(ConfigurationError) -> Int? {
        guard let value = self[key] else { return nil }
        return try integer(value, key: key, range: range)
    }

    /// `key` as a list of integers; a single value is a list of one.
    public func integers(_ key: String, in range: ClosedRange<Int>? = nil) throws(ConfigurationError) -> [Int]? {
        guard let value = self[key] else { return nil }
        var result: [Int] = []
        for item in value.listItems { result.append(try integer(item, key: key, range: range)) }
        return result
    }

    private func integer(_ value: ConfigurationValue, key: String, range: ClosedRange<Int>?)
        throws(ConfigurationError) -> Int
    {
        let number: Int? =
            switch value {
            case .integer(let number): number
            case .string(let text): Int(text.trimmingWhitespace)
            case .double(let number): Int(exactly: number)
            default: nil
            }
        guard let number else {
            throw error(.invalidValue, "expected an integer, found \(quoted(value))", key: key)
        }
        if let range, !range.contains(number) {
            let allowed = range.upperBound == .max ? "is less than \(range.lowerBound)"
                : "is outside \(range.lowerBound)–\(range.upperBound)"
            throw error(.invalidValue, "\(number) \(allowed)", key: key)
        }
        return number
    }

    /// `key` as a boolean: `true`/`false`, or heka-py's words (`yes`, `on`, `t`, …).
    public func bool(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let value = self[key] else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .string(let text):
            if case .bool(let flag) = ConfigurationValue(typing: text) { return flag }
        default: break
        }
        throw error(.invalidValue, "expected true or false, found \(quoted(value))", key: key)
    }

    /// `key` as a severity: 0–7 or a level's name (`warning`, `err`, …).
    public func severity(_ key: String) throws(ConfigurationError) -> Severity? {
        guard let value = self[key] else { return nil }
        let severity: Severity? =
            switch value {
            case .integer(let number): (0...7).contains(number) ? Severity(rawValue: Int32(number)) : nil
            case .string(let text): Severity(text.trimmingWhitespace)
            default: nil
            }
        guard let severity else {
            throw error(.invalidValue, "expected a severity 0–7 or a level name (\(Severity.acceptedNames)), "
                + "found \(quoted(value))", key: key)
        }
        return severity
    }

    /// `key` as a nested section (a dictionary's table), whose keys errors name as
    /// `key.inner`.
    public func section(_ key: String) throws(ConfigurationError) -> ConfigurationSection? {
        guard let value = self[key] else { return nil }
        guard case .table(let entries) = value else {
            throw error(.invalidValue, "expected a table of keys and values, found \(quoted(value))", key: key)
        }
        var nested = ConfigurationSection(name: name, file: file, line: entry(key)?.line)
        nested.keyPrefix = keyPrefix + key.lowercased() + "."
        for (innerKey, innerValue) in entries { nested.set(innerKey, innerValue, line: entry(key)?.line) }
        return nested
    }

    /// Throws for the first key not in `accepted`, listing what is.
    func rejectUnknownKeys(accepting accepted: [String], in what: String) throws(ConfigurationError) {
        guard let unknown = entries.first(where: { !accepted.contains($0.key) }) else { return }
        let list = accepted.isEmpty ? "none" : accepted.joined(separator: ", ")
        throw error(.unknownKey, "\(what) does not accept this key (it accepts: \(list))", key: unknown.key)
    }

    private func quoted(_ value: ConfigurationValue) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        case .list, .table: value.kind
        default: value.description
        }
    }
}
