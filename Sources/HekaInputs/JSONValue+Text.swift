import HekaClient

extension JSONValue {
    /// A string as it is, a number or bool as written, else nil.
    package var scalarText: String? {
        switch self {
        case .string(let text), .number(let text): text
        case .bool(let flag): String(flag)
        default: nil
        }
    }

    /// The value's text if it has one, else its compact JSON.
    package var compactText: String {
        if let scalarText { return scalarText }
        var out: [UInt8] = []
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// The string without the whitespace at its end.
    package var trimmingWhitespaceAtEnd: String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
