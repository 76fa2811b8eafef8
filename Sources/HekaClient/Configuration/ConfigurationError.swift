/// A configuration that cannot be used, with where it went wrong: the file, the line, the
/// section and the key, as far as they are known.
///
/// Configuration errors are thrown early, when a configuration is read or a client is
/// built from it, never while logging.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The text is not INI: a line that is neither a section, a `key = value`, a
        /// comment nor an indented continuation.
        public static let syntax = Code("syntax")
        /// A `${VAR}` names an environment variable that is not set.
        public static let missingEnvironmentVariable = Code("missingEnvironmentVariable")
        /// A `%` in an INI value that Python's `SafeConfigParser` refuses: one not followed
        /// by `%` or `(name)s`, a `%(name)s` naming no key of the section or `[DEFAULT]`, or
        /// references nested more than 10 deep.
        public static let interpolation = Code("interpolation")
        /// A value has the wrong type or is out of range.
        public static let invalidValue = Code("invalidValue")
        /// A required key is absent.
        public static let missingKey = Code("missingKey")
        /// A key that the section does not accept.
        public static let unknownKey = Code("unknownKey")
        /// A stream class, encoder, filter or plugin provider that is not known.
        public static let unknownProvider = Code("unknownProvider")
        /// A plugin name already in use, without `override`.
        public static let nameClash = Code("nameClash")
        /// A file that cannot be read.
        public static let unreadable = Code("unreadable")
        /// The client's section is not in the file.
        public static let missingSection = Code("missingSection")
        /// The configured stream cannot be opened: a host that does not resolve, a file
        /// that cannot be created.
        public static let streamUnavailable = Code("streamUnavailable")

        public var description: String { name }
    }

    /// What kind of problem this is.
    public var code: Code
    /// What is wrong, for people.
    public var message: String
    /// The file, when the configuration came from one.
    public var file: String?
    /// The 1-based line, when known.
    public var line: Int?
    /// The section, when known.
    public var section: String?
    /// The key, when known.
    public var key: String?

    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil, section: String? = nil,
                key: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.section = section
        self.key = key
    }

    /// `heka.ini:12: [heka] stream_port: …`, leaving out what is not known.
    public var description: String {
        var place = ""
        if let file { place += file }
        if let line { place += (place.isEmpty ? "line " : ":") + String(line) }
        if !place.isEmpty { place += ": " }
        if let section { place += "[\(section)] " }
        if let key { place += "\(key): " }
        return place + message
    }
}
