/// Decides whether a message is sent. A filter that says no drops the message, and the
/// client counts it in ``ClientStatistics/messagesFiltered``.
///
/// INI: `[heka_filter_NAME]` sections with a `provider` (see docs/configuration.md), applied in file
/// order. The first filter that refuses a message stops it.
public struct MessageFilter: Sendable, CustomStringConvertible {
    /// A name for messages and `heka` output: `severity_max(4)`.
    public let name: String
    private let predicate: @Sendable (Message) -> Bool

    /// A filter from any closure; it returns `true` to send the message.
    public init(name: String = "custom", _ predicate: @escaping @Sendable (Message) -> Bool) {
        self.name = name
        self.predicate = predicate
    }

    /// Whether the message passes.
    public func accepts(_ message: Message) -> Bool { predicate(message) }

    /// Sends messages at `maximum` or more severe (numerically no larger); heka-py's
    /// `severity_max_provider`.
    public static func severityMax(_ maximum: Severity) -> MessageFilter {
        MessageFilter(name: "severity_max(\(maximum.rawValue))") { $0.severity.rawValue <= maximum.rawValue }
    }

    /// Drops messages of these types; heka-py's `type_blacklist_provider`.
    public static func typeBlacklist(_ types: Set<String>) -> MessageFilter {
        MessageFilter(name: "type_blacklist(\(types.sorted().joined(separator: ",")))") { !types.contains($0.type) }
    }

    /// Sends only messages of these types; heka-py's `type_whitelist_provider`.
    public static func typeWhitelist(_ types: Set<String>) -> MessageFilter {
        MessageFilter(name: "type_whitelist(\(types.sorted().joined(separator: ",")))") { types.contains($0.type) }
    }

    /// Per type, sends messages at that type's maximum severity or more severe; types not
    /// named pass. heka-py's `type_severity_max_provider`.
    public static func typeSeverityMax(_ maxima: [String: Severity]) -> MessageFilter {
        let names = maxima.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.rawValue)" }
        return MessageFilter(name: "type_severity_max(\(names.joined(separator: ",")))") { message in
            guard let maximum = maxima[message.type] else { return true }
            return message.severity.rawValue <= maximum.rawValue
        }
    }

    public var description: String { name }
}
