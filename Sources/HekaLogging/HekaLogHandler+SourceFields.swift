extension HekaLogHandler {
    /// The names of the fields that say where a log call was made; `nil` sends no such
    /// field.
    ///
    /// The default, ``standard``, sends `file` (swift-log's `#fileID`, `Module/File.swift`:
    /// short, without the build machine's paths, and naming the module) and `line` (an
    /// integer field): a line is of no use without its file. `source` (`LogEvent.source`)
    /// is the file's module unless a call names another, so it is left out by default, as
    /// is the function's name, long and often repeated in the message; both cost about
    /// 100 ns a call (heka-bench row L1). heka-py's logging sent none of these: ``none``
    /// sends what it sent. A metadata value of the same name takes a field's place.
    public struct SourceFields: Sendable, Hashable {
        /// The field for `LogEvent.source`, the call's module unless the call names a
        /// source; `source` in ``all``, not in ``standard``.
        public var source: String?
        /// The field for the call's `#fileID`; default `file` in ``standard``.
        public var file: String?
        /// The field for the call's `#function`; `function` in ``all``, not in
        /// ``standard``.
        public var function: String?
        /// The field for the call's line, an integer; default `line` in ``standard``.
        public var line: String?

        /// `file` and `line`: the default.
        public static let standard = SourceFields(file: "file", line: "line")
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
