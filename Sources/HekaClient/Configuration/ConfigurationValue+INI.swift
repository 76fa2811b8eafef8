extension ConfigurationValue {
    /// Types one line of an INI value as heka-py's `_convert` does (after `${VAR}`
    /// substitution): surrounding space stripped; text that starts with a digit or `-digit`
    /// and parses as an integer is ``integer(_:)``; `true`, `t`, `on`, `yes` / `false`, `f`,
    /// `off`, `no` in any case are ``bool(_:)``; anything else is ``string(_:)``.
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
