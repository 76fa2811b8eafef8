extension HekaLogHandler {
    /// The names of the fields that say where a log call was made; `nil` sends no such
    /// field.
    ///
    /// The default, ``standard``, sends `source` (the module), `file` (swift-log's
    /// `#fileID`, `Module/File.swift`: short, and without the build machine's paths) and
    /// `line` (an integer field). A line is of no use without its file, so both go by
    /// default; the function's name is long, and often repeated in the message, so it is
    /// left out. heka-py's logging sent none of these: use ``none`` to send what it sent.
    /// A metadata value of the same name takes the field's place.
    public struct SourceFields: Sendable, Hashable {
        /// The field for `LogEvent.source`, the call's module unless the call names a
        /// source; default `source` in ``standard``.
        public var source: String?
        /// The field for the call's `#fileID`; default `file` in ``standard``.
        public var file: String?
        /// The field for the call's `#function`; not in ``standard``.
        public var function: String?
        /// The field for the call's line, an integer; default `line` in ``standard``.
        public var line: String?

        /// `source`, `file` and `line`: the default.
        public static let standard = SourceFields(source: "source", file: "file", line: "line")
        /// `source`, `file`, `function` and `line`.
        public static let all = SourceFields(source: "source", file: "file", function: "function", line: "line")
        /// No call-site fields, as heka-py's logging sent.
        public static let none = SourceFields()

        /// The fields named; each left out (`nil`) is not sent.
        public init(source: String? = nil, file: String? = nil, function: String? = nil, line: String? = nil) {
            self.source = source
            self.file = file
            self.function = function
            self.line = line
        }
    }
}
