import Foundation

/// An INI file read as heka-py reads it — Python 2.7's `SafeConfigParser`, then heka-py's
/// `_convert` on each value — so that existing `heka.ini` files mean the same thing here.
///
/// - `[section]` headers (section names are case-sensitive; text after the `]` is
///   ignored); `key = value` or `key: value`, split at the first `=` or `:`; keys are
///   lower-cased (ASCII letters only). A section named twice is one section; the last of
///   duplicate keys wins, in the place the key first had.
/// - A line whose first character is `#` or `;`, or whose first word is `rem` (any case), is
///   a comment. A value is cut at its first `;` only when whitespace comes before that `;`.
/// - A line that starts with whitespace continues the value of the key above it — even when
///   it looks like a comment or a key, and across blank and comment lines; its text is
///   stripped and empty ones are left out. A value written `""` is empty.
/// - Lines end at `\n` only (`\r\n` too, the `\r` being whitespace); U+2028, U+0085, a lone
///   `\r` and form feeds are text. Whitespace is ASCII's: space, tab, `\n`, `\r`, `\v`, `\f`.
/// - `[DEFAULT]`'s keys belong to every other section that does not set them (after the
///   section's own keys, marked ``Entry/inherited``).
/// - `%%` is `%` and `%(name)s` is the value of `name` in the section or in `[DEFAULT]`
///   (references nest at most 10 deep; `%(__name__)s` is the section's name); any other
///   `%` is an error.
/// - Then each value — each line, when it has several, which make a list of its non-empty
///   lines — is typed: an integer when it starts with a digit or `-digit` and parses as one,
///   a boolean for `true/t/on/yes` and `false/f/off/no` in any case, else text. A value that
///   is `${NAME}` is the environment variable `NAME` (one that is not set is an error), typed
///   in turn, so `port = ${HEKA_PORT}` is an integer; `${` elsewhere in a value is text.
/// - ``init(text:path:environment:)`` first removes the indentation common to every line,
///   as heka-py's `client_from_text_config` does; a file is read as it is.
///
/// Syntax errors throw, naming the file and line. A bad `%` or an unset variable does not
/// throw here: 2.7 reported it only when a program read that key, so it is in
/// ``Section/errors``, and ``HekaConfiguration`` throws it for the sections it reads.
public struct INIFile: Sendable, Hashable {
    /// One `key = value`.
    public struct Entry: Sendable, Hashable {
        /// The key, lower-cased.
        public var key: String
        /// The text as written (continuation lines joined with `\n`), comments removed.
        public var rawValue: String
        /// The value as Python's `SafeConfigParser.get` returns it: `%` interpolated.
        public var interpolated: String
        /// The text after `%` interpolation and `${VAR}` substitution, before typing (list
        /// items joined with `\n`): what a key that wants text reads, so `key = 007` stays `007`.
        public var text: String
        /// The typed value.
        public var value: ConfigurationValue
        /// The line the key is on (for an inherited key, its line in `[DEFAULT]`).
        public var line: Int
        /// Whether the key comes from `[DEFAULT]` rather than the section itself.
        public var inherited = false
    }

    /// One `[section]`, its entries in the order their keys first appear, then the keys it
    /// inherits from `[DEFAULT]`.
    public struct Section: Sendable, Hashable {
        /// The name, as written (section names are case-sensitive).
        public var name: String
        /// The line of its first header.
        public var line: Int
        /// The entries, in order.
        public private(set) var entries: [Entry] = []
        /// What reading a key of this section raises, in key order: a bad `%`, a `%(name)s`
        /// of no key, an unset `${VAR}`. The keys concerned are not among the entries.
        public private(set) var errors: [ConfigurationError] = []
        private var index: [String: Int] = [:]

        init(name: String, line: Int, capacity: Int = 0) {
            self.name = name
            self.line = line
            entries.reserveCapacity(capacity)
            index.reserveCapacity(capacity)
        }

        /// The entry for `key` (any case).
        public subscript(key: String) -> Entry? { index[key.lowercased()].map { entries[$0] } }

        mutating func append(_ entry: Entry) {
            index[entry.key] = entries.count
            entries.append(entry)
        }

        mutating func append(_ error: ConfigurationError) { errors.append(error) }
    }

    /// The file the text came from, for error messages.
    public let path: String?
    /// The sections, in file order; `[DEFAULT]` is not one of them.
    public private(set) var sections: [Section] = []
    private var index: [String: Int] = [:]

    /// The section named `name`.
    public subscript(section name: String) -> Section? { index[name].map { sections[$0] } }

    /// Reads a file.
    public init(contentsOf path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError)
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(.unreadable, "cannot read the file", file: path)
        }
        guard String(data: data, encoding: .utf8) != nil else {
            throw ConfigurationError(.syntax, "the file is not UTF-8 text", file: path)
        }
        try self.init(bytes: Array(data), path: path, environment: environment)
    }

    /// Reads INI text, without the indentation common to its lines; `path` only names it in
    /// errors.
    public init(text: String, path: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) {
        try self.init(bytes: INIReader.dedented(Array(text.utf8)), path: path, environment: environment)
    }

    private init(bytes: [UInt8], path: String?, environment: [String: String]) throws(ConfigurationError) {
        self.path = path
        let reader = try INIReader(bytes, path: path)
        var interpolation = INIInterpolation(textSize: bytes.count)
        let defaults = reader.defaults
        for raw in reader.sections {
            var section = Section(name: raw.name, line: raw.line, capacity: raw.keys.count + defaults.keys.count)
            // 2.7 looks in the section, whose `__name__` is its name, then in DEFAULT.
            let lookup = { (key: String) in
                raw.options[key]?.text ?? (key == "__name__" ? raw.name : defaults.options[key]?.text)
            }
            let inherited = defaults.keys.filter { raw.options[$0] == nil }
            for (key, inherits) in raw.keys.map({ ($0, false) }) + inherited.map({ ($0, true) }) where key != "__name__" {
                let option = inherits ? defaults.options[key]! : raw.options[key]!
                let written = option.text
                do throws(INIInterpolation.Failure) {
                    try interpolation.charge(written.utf8.count + 1)
                    let text = try interpolation.interpolate(written, lookup: lookup)
                    let (value, typed) = try ConfigurationValue.converted(text, environment: environment)
                    section.append(Entry(key: key, rawValue: written, interpolated: text, text: typed, value: value,
                                         line: option.line, inherited: inherits))
                } catch {
                    let failure = ConfigurationError(error.code, error.message, file: path, line: option.line,
                                                     section: raw.name, key: key)
                    if error.stopsFile { throw failure }
                    section.append(failure)
                }
            }
            index[raw.name] = sections.count
            sections.append(section)
        }
    }
}
