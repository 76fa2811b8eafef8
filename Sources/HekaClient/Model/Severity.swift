/// A message's severity on the syslog scale of RFC 3164: 0 is the most severe, 7 the least.
///
/// A struct rather than an enum so that a value read from the wire outside 0–7 survives a
/// decode and re-encode unchanged; the eight named levels are its static members.
public struct Severity: RawRepresentable, Hashable, Sendable,
    ExpressibleByIntegerLiteral, CustomStringConvertible
{
    /// The numeric level as it travels in the protobuf `severity` field.
    public var rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(integerLiteral value: Int32) { self.rawValue = value }

    /// 0: the system is unusable.
    public static let emergency: Severity = 0
    /// 1: action must be taken at once. `HekaClient.exception(_:)` sends at this level.
    public static let alert: Severity = 1
    /// 2: critical conditions.
    public static let critical: Severity = 2
    /// 3: error conditions. The raven plugin sends at this level.
    public static let error: Severity = 3
    /// 4: warning conditions.
    public static let warning: Severity = 4
    /// 5: normal but significant.
    public static let notice: Severity = 5
    /// 6: informational; heka-py's default for a client.
    public static let informational: Severity = 6
    /// 7: debug-level messages; what hekad assumes when a message carries no severity.
    public static let debug: Severity = 7

    /// The eight named levels, most severe first.
    public static let allNamed: [Severity] = (0...7).map { Severity(rawValue: $0) }

    private static let names = [
        "emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug",
    ]

    /// The short forms ``init(_:)`` accepts besides the names, by level.
    private static let shortForms: [Int32: String] = [0: "emerg", 2: "crit", 3: "err", 4: "warn", 6: "info"]

    /// Every name ``init(_:)`` accepts, most severe first, a level's short form after a
    /// slash: `emergency/emerg, alert, critical/crit, …, debug`. Errors and help list them so.
    public static let acceptedNames = allNamed.map { level in
        level.name + (shortForms[level.rawValue].map { "/" + $0 } ?? "")
    }.joined(separator: ", ")

    /// The level's lowercase name (`error`), or its number for a value outside 0–7.
    public var name: String {
        (0...7).contains(rawValue) ? Self.names[Int(rawValue)] : String(rawValue)
    }

    /// Reads a level from its number (`"3"`) or its name in any case. Besides the RFC names
    /// it accepts the usual short forms: `emerg`, `crit`, `err`, `warn`, `info`.
    public init?(_ text: some StringProtocol) {
        let word = text.lowercased()
        if let number = Int32(word) {
            guard (0...7).contains(number) else { return nil }
            self.init(rawValue: number)
            return
        }
        if let index = Self.names.firstIndex(of: word) {
            self.init(rawValue: Int32(index))
        } else if let level = Self.shortForms.first(where: { $0.value == word })?.key {
            self.init(rawValue: level)
        } else {
            return nil
        }
    }

    /// Whether this level is at least as severe as `other` (its number is no larger).
    /// Severity is deliberately not `Comparable`: on this scale a smaller number is more
    /// severe, and `<` would read both ways.
    public func isAtLeastAsSevere(as other: Severity) -> Bool { rawValue <= other.rawValue }

    public var description: String { name }
}
