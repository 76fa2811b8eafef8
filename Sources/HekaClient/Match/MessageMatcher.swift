import Foundation

/// Selects messages with hekad's `message_matcher` syntax, as `heka cat --match` does.
///
/// ```swift
/// let matcher = try MessageMatcher("Type == 'stacktrace' && Severity <= 3")
/// matcher.matches(message)
/// ```
///
/// The syntax, as hekad's:
/// - A comparison puts a message variable on the left and a value on the right:
///   `Logger == "shop"`, `Severity < 4`, `Fields[status] >= 500`.
/// - String variables: `Uuid` (its text form, any case), `Type`, `Logger`, `Payload`,
///   `EnvVersion`, `Hostname`. Numeric ones: `Severity`, `Pid`, `Timestamp` (nanoseconds, or
///   an RFC 3339 string such as `"2016-05-24T21:51:00Z"`).
/// - `Fields[name]` is the first value of the first field called `name`;
///   `Fields[name][i]` the first value of the i-th such field, `Fields[name][i][j]` its j-th
///   value (both from 0).
/// - Operators: `==`, `!=`, `<`, `<=`, `>`, `>=`, and the regular-expression matches `=~`
///   and `!~` (the pattern between slashes, `/^5\d\d$/`, or quotes), in RE2's syntax as
///   hekad's are, matched in time linear in the text whatever the expression.
/// - Values: strings in single or double quotes (backslash escapes the quote and itself),
///   numbers, `TRUE`, `FALSE`, and `NIL`, which tests whether a field exists
///   (`Fields[user] != NIL`).
/// - `&&` binds tighter than `||`; parentheses group; `TRUE` and `FALSE` alone match all
///   or nothing.
///
/// Names and the words `TRUE`, `FALSE`, `NIL` are read in any case (`type`, `fields[x]`).
/// A comparison with a field that is absent, or whose value is of another kind than the
/// value compared with (a string with a number), is false, whatever the operator; only
/// `== NIL` is true for an absent field.
public struct MessageMatcher: Sendable, CustomStringConvertible {
    /// The expression as given.
    public let expression: String
    let root: Node

    /// Parses an expression.
    /// - Throws: ``SyntaxError`` naming the character where the expression goes wrong.
    public init(_ expression: String) throws(SyntaxError) {
        self.expression = expression
        var parser = Parser(expression)
        root = try parser.parseExpression()
    }

    /// Whether `message` is selected.
    public func matches(_ message: Message) -> Bool { root.evaluate(message) }

    public var description: String { expression }

    /// A mistake in an expression, and where it is.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The expression.
        public var expression: String
        /// The character (from 0) where the mistake was found.
        public var offset: Int
        /// What is wrong.
        public var message: String

        /// The message, then the expression with a caret under the offending character.
        public var description: String {
            "\(message) at character \(offset + 1)\n  \(expression)\n  \(String(repeating: " ", count: offset))^"
        }
    }
}

extension MessageMatcher {
    /// A parsed expression. A chain of `&&` or `||` is one node over its terms, so only
    /// parentheses make the tree deeper, and the parser limits their nesting: evaluating
    /// (and freeing) an expression never recurses deeply, whatever its length.
    indirect enum Node: Sendable {
        case constant(Bool)
        case all([Node])
        case any([Node])
        case comparison(Variable, Operator, Operand)

        func evaluate(_ message: Message) -> Bool {
            switch self {
            case .constant(let value): value
            case .all(let terms): terms.allSatisfy { $0.evaluate(message) }
            case .any(let terms): terms.contains { $0.evaluate(message) }
            case .comparison(let variable, let op, let operand): Self.compare(variable, op, operand, in: message)
            }
        }

        private static func compare(_ variable: Variable, _ op: Operator, _ operand: Operand, in message: Message)
            -> Bool
        {
            switch variable {
            case .uuid: return op.apply(message.uuid.uuidString.lowercased(), operand)
            case .type: return op.apply(message.type, operand)
            case .logger: return op.apply(message.logger, operand)
            case .payload: return op.apply(message.payload, operand)
            case .envVersion: return op.apply(message.envVersion, operand)
            case .hostname: return op.apply(message.hostname, operand)
            case .severity: return op.apply(Int64(message.severity.rawValue), operand)
            case .pid: return op.apply(Int64(message.pid), operand)
            case .timestamp: return op.apply(message.timestamp, operand)
            case .field(let name, let fieldIndex, let valueIndex):
                let value = message.fields.lazy.filter { $0.name == name }.dropFirst(fieldIndex).first?.value
                guard let value, valueIndex < value.count else {
                    return operand.isNil && op == .equal
                }
                if operand.isNil { return op == .notEqual }
                switch value.storage {
                case .strings(let v): return op.apply(v[valueIndex], operand)
                case .bytes(let v): return op.apply(String(decoding: v[valueIndex], as: UTF8.self), operand)
                case .integers(let v): return op.apply(v[valueIndex], operand)
                case .doubles(let v): return op.apply(v[valueIndex], operand)
                case .bools(let v): return op.apply(v[valueIndex], operand)
                }
            }
        }
    }

    /// The left-hand side of a comparison.
    enum Variable: Sendable, Equatable {
        case uuid, type, logger, payload, envVersion, hostname, severity, pid, timestamp
        case field(name: String, fieldIndex: Int, valueIndex: Int)

        /// String variables compare with strings and patterns; the others with numbers.
        var isString: Bool {
            switch self {
            case .uuid, .type, .logger, .payload, .envVersion, .hostname: true
            default: false
            }
        }
    }

    /// A comparison operator.
    enum Operator: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", lessOrEqual = "<=", greaterOrEqual = ">=", less = "<", greater = ">"
        case matches = "=~", notMatches = "!~"

        func apply(_ value: String, _ operand: Operand) -> Bool {
            switch operand {
            case .string(let text): return order(value, text)
            case .pattern(let pattern):
                let found = pattern.matches(value)
                return self == .matches ? found : !found
            default: return false
            }
        }

        func apply(_ value: Int64, _ operand: Operand) -> Bool {
            guard case .number(let exact, let approximate) = operand else { return false }
            if let exact { return order(value, exact) }
            return order(Double(value), approximate)
        }

        func apply(_ value: Double, _ operand: Operand) -> Bool {
            guard case .number(_, let approximate) = operand else { return false }
            return order(value, approximate)
        }

        func apply(_ value: Bool, _ operand: Operand) -> Bool {
            guard case .bool(let flag) = operand else { return false }
            switch self {
            case .equal: return value == flag
            case .notEqual: return value != flag
            default: return false
            }
        }

        private func order<T: Comparable>(_ left: T, _ right: T) -> Bool {
            switch self {
            case .equal: left == right
            case .notEqual: left != right
            case .less: left < right
            case .lessOrEqual: left <= right
            case .greater: left > right
            case .greaterOrEqual: left >= right
            case .matches, .notMatches: false
            }
        }
    }

    /// The right-hand side of a comparison.
    enum Operand: Sendable {
        case string(String)
        /// A number: exactly, when it is an integer, and as a double.
        case number(Int64?, Double)
        case bool(Bool)
        case null
        case pattern(Pattern)

        var isNil: Bool { if case .null = self { true } else { false } }
    }

    /// A compiled regular expression: RE2's syntax, as hekad's matcher (Go's `regexp`)
    /// reads it, matched in time linear in the text (``RegularExpression``).
    struct Pattern: Sendable {
        let regex: RegularExpression

        init?(_ source: String) {
            guard let regex = try? RegularExpression(source) else { return nil }
            self.regex = regex
        }

        func matches(_ text: String) -> Bool { regex.matches(text) }
    }
}
