/// A value read from an INI file, typed by heka-py's rules.
public enum INIValue: Sendable, Hashable, CustomStringConvertible {
    /// Text that is neither an integer nor a boolean word.
    case string(String)
    /// A value starting with a digit or `-digit` that parses as an integer.
    case integer(Int)
    /// `true`, `t`, `on`, `yes` / `false`, `f`, `off`, `no`, in any case.
    case bool(Bool)
    /// A value continued on indented lines: its non-empty lines, each typed.
    case list([INIValue])

    /// Types one line's text as heka-py does (after `${VAR}` substitution).
    public init(typing text: some StringProtocol) {
        let text = text.trimmingWhitespace
        let digits = text.hasPrefix("-") ? text.dropFirst() : text[...]
        if let first = digits.first, first.isASCII, first.isNumber, let number = Int(text) {
            self = .integer(number)
            return
        }
        switch text.lowercased() {
        case "true", "t", "on", "yes": self = .bool(true)
        case "false", "f", "off", "no": self = .bool(false)
        default: self = .string(text)
        }
    }

    /// The value as written (lists one item per line), for messages and printing.
    public var description: String {
        switch self {
        case .string(let text): text
        case .integer(let number): String(number)
        case .bool(let flag): String(flag)
        case .list(let items): items.map(\.description).joined(separator: "\n")
        }
    }

    /// The items of a list; a single value as a list of one.
    public var listItems: [INIValue] {
        if case .list(let items) = self { return items }
        return [self]
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line ends.
    package var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
