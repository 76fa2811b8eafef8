/// An error found while encoding a message or decoding a record.
///
/// A struct with an extensible ``Code`` (the swift-server convention). Decoding errors carry
/// the byte offset in the input where the problem starts, and JSON-lines errors the line.
public struct CodecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A field has an empty name; the message is not encoded.
        public static let emptyFieldName = Code("emptyFieldName")
        /// The encoded message is larger than the limit (hekad's `max_message_size`,
        /// 65,536 bytes by default); the message is not encoded.
        public static let messageTooLarge = Code("messageTooLarge")
        /// The stream header would exceed 255 bytes (a very long HMAC signer name).
        public static let headerTooLarge = Code("headerTooLarge")
        /// Bytes before a record separator (0x1E) that belong to no record; hekad skips them.
        public static let skippedBytes = Code("skippedBytes")
        /// A record header that does not parse or is not followed by 0x1F.
        public static let invalidHeader = Code("invalidHeader")
        /// A message that is not valid protobuf for Heka's schema.
        public static let invalidProtobuf = Code("invalidProtobuf")
        /// The input ended inside a record.
        public static let incompleteRecord = Code("incompleteRecord")
        /// A signed record whose signer and key version have no key here; hekad drops it.
        public static let unknownSigner = Code("unknownSigner")
        /// A signed record whose HMAC does not match its message; hekad drops it.
        public static let hmacMismatch = Code("hmacMismatch")
        /// A signed record naming a hash function other than MD5 (0) or SHA1 (1).
        public static let unsupportedHashFunction = Code("unsupportedHashFunction")
        /// A line that is not a JSON-lines message.
        public static let invalidJSON = Code("invalidJSON")
        /// A line longer than the JSON-lines decoder's limit; it is skipped up to its newline.
        public static let lineTooLong = Code("lineTooLong")
        /// A protobuf string that is not valid UTF-8; the record is kept, the bad bytes shown
        /// as U+FFFD.
        public static let invalidUTF8 = Code("invalidUTF8")
        /// A field carrying values of another type than its `value_type`; the record is kept
        /// with the declared type's values only, as hekad keeps it.
        public static let valueTypeMismatch = Code("valueTypeMismatch")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence for people that names what and where.
    public var message: String
    /// Where in the input the problem starts (decoding only).
    public var offset: Int?

    public init(_ code: Code, _ message: String, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(code): \(message)" }
}
