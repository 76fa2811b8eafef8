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

    /// An interpolated INI value as heka-py's `_convert` gives it, and its text before
    /// typing: a value with several lines is a list of its non-empty lines, each converted.
    static func converted(_ text: String, environment: [String: String])
        throws(INIInterpolation.Failure) -> (value: ConfigurationValue, text: String)
    {
        guard text.utf8.contains(UInt8(ascii: "\n")) else {
            let item = try substituted(text, environment)
            return (ConfigurationValue(typing: item), item.trimmingWhitespace)
        }
        var items: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let item = try substituted(String(line), environment)
            if !item.trimmingWhitespace.isEmpty { items.append(item) }
        }
        return (.list(items.map { ConfigurationValue(typing: $0) }), items.joined(separator: "\n"))
    }

    /// heka-py's `${NAME}`: a value (stripped) that starts with `${`, a letter, digit or `_`,
    /// and ends with `}` is the environment variable named by what is between (heka-py's
    /// pattern `\$\{(\w.*)?\}` reaches the last `}`). heka-py drops text after that `}`
    /// silently, so such a value is an error here; `${` anywhere else is text.
    private static func substituted(_ text: String, _ environment: [String: String])
        throws(INIInterpolation.Failure) -> String
    {
        let item = text.trimmingWhitespace
        guard item.hasPrefix("${"), let close = item.lastIndex(of: "}") else { return text }
        let name = item[item.index(item.startIndex, offsetBy: 2)..<close]
        if let first = name.first {
            guard first.isASCII, first.isLetter || first.isNumber || first == "_" else { return text }
        }
        guard item.index(after: close) == item.endIndex else {
            throw INIInterpolation.Failure(code: .invalidValue, message: "heka-py reads \"\(item)\" as the "
                + "environment variable \(name) and drops the text after the last \"}\"; write ${NAME} alone")
        }
        guard !name.isEmpty else {
            throw INIInterpolation.Failure(code: .missingEnvironmentVariable, message: "${} names no environment variable")
        }
        guard let value = environment[String(name)] else {
            throw INIInterpolation.Failure(code: .missingEnvironmentVariable,
                                           message: "the environment variable \(name) is not set")
        }
        return value
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
