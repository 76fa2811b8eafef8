import HekaClient
import HekaInputs

/// `--group-by`: counts messages per combination of keys and prints the groups largest
/// first (ties in the order first seen), as Sentry groups events by checksum or culprit.
struct GroupCounter {
    /// What a group is keyed on.
    enum Key: Hashable, CustomStringConvertible {
        case checksum, culprit, eventMessage, type, logger, severity, hostname, pid
        case field(String)

        /// `checksum`, `culprit`, `message` (the event's), `type`, `logger`, `severity`,
        /// `hostname`, `pid`, else a field's name.
        init(_ name: some StringProtocol) {
            switch name {
            case "checksum": self = .checksum
            case "culprit": self = .culprit
            case "message": self = .eventMessage
            case "type": self = .type
            case "logger": self = .logger
            case "severity": self = .severity
            case "hostname": self = .hostname
            case "pid": self = .pid
            default: self = .field(String(name))
            }
        }

        var description: String {
            switch self {
            case .checksum: "checksum"
            case .culprit: "culprit"
            case .eventMessage: "message"
            case .type: "type"
            case .logger: "logger"
            case .severity: "severity"
            case .hostname: "hostname"
            case .pid: "pid"
            case .field(let name): name
            }
        }

        /// Whether the key is read from an unpacked event.
        var needsEvent: Bool { [.checksum, .culprit, .eventMessage].contains(self) }

        /// The key's value for a message; `-` when it has none.
        func value(of message: Message, event: UnpackedEvent?) -> String {
            let value: String? = switch self {
            case .checksum: event?.checksum
            case .culprit: event?.culprit
            case .eventMessage: event?.title
            case .type: message.type
            case .logger: message.logger
            case .severity: message.severity.name
            case .hostname: message.hostname
            case .pid: String(message.pid)
            case .field(let name): message.field(name).map { $0.textValues.joined(separator: ",") }
            }
            return value ?? "-"
        }
    }

    let keys: [Key]
    private var counts: [[String]: Int] = [:]
    private var firstSeen: [[String]] = []

    init(keys: [Key]) { self.keys = keys }

    mutating func add(_ message: Message, event: UnpackedEvent?) {
        let values = keys.map { $0.value(of: message, event: event) }
        if counts[values] == nil { firstSeen.append(values) }
        counts[values, default: 0] += 1
    }

    /// The groups, largest first.
    var groups: [(values: [String], count: Int)] {
        firstSeen.enumerated().map { (order: $0.offset, values: $0.element, count: counts[$0.element] ?? 0) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.order < $1.order }
            .map { ($0.values, $0.count) }
    }

    /// A table: a `count` column, then one column per key.
    var table: String {
        let rows = groups
        let header = ["count"] + keys.map(\.description)
        let cells = rows.map { [String($0.count)] + $0.values }
        var widths = header.map(\.count)
        for row in cells { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        func line(_ row: [String]) -> String {
            let count = String(repeating: " ", count: widths[0] - row[0].count) + row[0]
            let rest = row.dropFirst().enumerated().map { index, cell in
                index == row.count - 2 ? cell : cell + String(repeating: " ", count: widths[index + 1] - cell.count)
            }
            return ([count] + rest).joined(separator: "  ") + "\n"
        }
        return ([header] + cells).map(line).joined()
    }

    /// One JSON object per group: `{"count":12,"checksum":"…"}`.
    var jsonLines: [UInt8] {
        var out: [UInt8] = []
        for group in groups {
            let members = [("count", JSONValue.integer(group.count))]
                + zip(keys, group.values).map { ($0.description, JSONValue.string($1)) }
            JSONValue.object(members).write(to: &out)
            out.append(0x0A)
        }
        return out
    }
}
