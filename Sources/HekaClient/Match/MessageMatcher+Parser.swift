extension MessageMatcher {
    /// A recursive-descent parser over the expression's characters:
    ///
    ///     expression := conjunction ( "||" conjunction )*
    ///     conjunction := term ( "&&" term )*
    ///     term := "(" expression ")" | TRUE | FALSE | variable operator value
    struct Parser {
        private let text: String
        private let characters: [Character]
        private var index = 0
        /// How many parentheses are open.
        private var depth = 0
        /// Deeper nesting is refused, so a hostile expression cannot exhaust the stack.
        static let maximumDepth = 64

        init(_ text: String) {
            self.text = text
            characters = Array(text)
        }

        mutating func parseExpression() throws(SyntaxError) -> Node {
            skipSpace()
            guard index < characters.count else { throw failure("the expression is empty") }
            let node = try expression()
            skipSpace()
            guard index == characters.count else { throw failure("expected && or || or the end") }
            return node
        }

        private func failure(_ message: String, at offset: Int? = nil) -> SyntaxError {
            SyntaxError(expression: text, offset: offset ?? index, message: message)
        }

        private mutating func expression() throws(SyntaxError) -> Node {
            var terms = [try conjunction()]
            while consume("||") { terms.append(try conjunction()) }
            return terms.count == 1 ? terms[0] : .any(terms)
        }

        private mutating func conjunction() throws(SyntaxError) -> Node {
            var terms = [try term()]
            while consume("&&") { terms.append(try term()) }
            return terms.count == 1 ? terms[0] : .all(terms)
        }

        private mutating func term() throws(SyntaxError) -> Node {
            skipSpace()
            let open = index
            if consume("(") {
                guard depth < Self.maximumDepth else {
                    throw failure("parentheses nested deeper than \(Self.maximumDepth)", at: open)
                }
                depth += 1
                defer { depth -= 1 }
                let node = try expression()
                guard consume(")") else { throw failure("expected )") }
                return node
            }
            let start = index
            let name = word()
            switch name.uppercased() {
            case "": throw failure("expected a message variable, TRUE, FALSE or (")
            case "TRUE": return .constant(true)
            case "FALSE": return .constant(false)
            default: break
            }
            let variable = try variable(named: name, at: start)
            skipSpace()
            let operatorStart = index
            guard let op = Operator.allCases.first(where: { consume($0.rawValue) }) else {
                throw failure("expected an operator (== != < <= > >= =~ !~) after \(name)")
            }
            skipSpace()
            let operand = try value(for: variable, op, operatorAt: operatorStart)
            return .comparison(variable, op, operand)
        }

        private mutating func variable(named name: String, at start: Int) throws(SyntaxError) -> Variable {
            switch name.lowercased() {
            case "uuid": return .uuid
            case "type": return .type
            case "logger": return .logger
            case "payload": return .payload
            case "envversion": return .envVersion
            case "hostname": return .hostname
            case "severity": return .severity
            case "pid": return .pid
            case "timestamp": return .timestamp
            case "fields":
                guard consume("[") else { throw failure("expected [ after Fields") }
                let nameStart = index
                while index < characters.count, characters[index] != "]" { index += 1 }
                let fieldName = String(characters[nameStart..<index])
                guard consume("]") else { throw failure("expected ] after the field name") }
                guard !fieldName.isEmpty else { throw failure("the field name is empty", at: nameStart) }
                let fieldIndex = try subscriptIndex() ?? 0
                let valueIndex = try subscriptIndex() ?? 0
                return .field(name: fieldName, fieldIndex: fieldIndex, valueIndex: valueIndex)
            default:
                throw failure("unknown message variable \(name) (expected Uuid, Type, Logger, Payload, "
                    + "EnvVersion, Hostname, Severity, Pid, Timestamp or Fields[name])", at: start)
            }
        }

        /// `[n]` after a field name, if present.
        private mutating func subscriptIndex() throws(SyntaxError) -> Int? {
            guard index < characters.count, characters[index] == "[" else { return nil }
            index += 1
            let start = index
            while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
            guard let number = Int(String(characters[start..<index])) else {
                throw failure("expected an index from 0")
            }
            guard consume("]") else { throw failure("expected ] after the index") }
            return number
        }

        private mutating func value(for variable: Variable, _ op: Operator, operatorAt operatorStart: Int)
            throws(SyntaxError) -> Operand
        {
            let start = index
            guard index < characters.count else { throw failure("expected a value after \(op.rawValue)") }
            let operand: Operand
            let first = characters[index]
            if first == "'" || first == "\"" || first == "/" {
                let text = try quoted(by: first)
                if op == .matches || op == .notMatches {
                    guard let pattern = Pattern(text) else {
                        throw failure("\(text) is not a valid regular expression", at: start)
                    }
                    operand = .pattern(pattern)
                } else if first == "/" {
                    throw failure("a /pattern/ goes with =~ or !~, not \(op.rawValue)", at: operatorStart)
                } else if variable == .timestamp {
                    guard let nanoseconds = RFC3339.parse(text) else {
                        throw failure("\(text.debugDescription) is not an RFC 3339 time (2016-05-24T21:51:00Z)",
                            at: start)
                    }
                    operand = .number(nanoseconds, Double(nanoseconds))
                } else {
                    operand = .string(text)
                }
            } else {
                let word = word(allowing: "+-.")
                switch word.uppercased() {
                case "": throw failure("expected a value after \(op.rawValue)")
                case "TRUE": operand = .bool(true)
                case "FALSE": operand = .bool(false)
                case "NIL": operand = .null
                default:
                    guard let double = Double(word), double.isFinite else {
                        throw failure("expected a quoted string, a number, TRUE, FALSE or NIL, not \(word)", at: start)
                    }
                    operand = .number(Int64(word), double)
                }
            }
            try check(variable, op, operand, operatorAt: operatorStart, valueAt: start)
            return operand
        }

        /// Refuses comparisons that could never be true as written.
        private func check(_ variable: Variable, _ op: Operator, _ operand: Operand, operatorAt operatorStart: Int,
                           valueAt start: Int) throws(SyntaxError)
        {
            let isPatternOperator = op == .matches || op == .notMatches
            if isPatternOperator {
                guard case .pattern = operand else {
                    throw failure("\(op.rawValue) takes a pattern: /regex/ or a quoted one", at: start)
                }
                guard variable.isString || isField(variable) else {
                    throw failure("\(op.rawValue) applies to strings, not to a number", at: operatorStart)
                }
                return
            }
            switch operand {
            case .null:
                guard isField(variable) else { throw failure("only fields can be compared with NIL", at: start) }
                guard op == .equal || op == .notEqual else {
                    throw failure("NIL goes with == or !=", at: operatorStart)
                }
            case .bool:
                guard isField(variable) else {
                    throw failure("TRUE and FALSE compare with fields only", at: start)
                }
                guard op == .equal || op == .notEqual else {
                    throw failure("TRUE and FALSE go with == or !=", at: operatorStart)
                }
            case .string:
                if !variable.isString && !isField(variable) {
                    throw failure("a number is compared with a number, not a string", at: start)
                }
            case .number:
                if variable.isString { throw failure("a string is compared with a quoted string", at: start) }
            case .pattern:
                throw failure("a pattern goes with =~ or !~", at: operatorStart)
            }
        }

        private func isField(_ variable: Variable) -> Bool {
            if case .field = variable { true } else { false }
        }

        /// A quoted string or `/pattern/`; a backslash keeps the next quote character
        /// (or backslash) literally and is otherwise kept, so patterns read as written.
        private mutating func quoted(by quote: Character) throws(SyntaxError) -> String {
            let start = index
            index += 1
            var text = ""
            while index < characters.count {
                let character = characters[index]
                index += 1
                if character == quote { return text }
                if character == "\\", index < characters.count,
                    characters[index] == quote || (characters[index] == "\\" && quote != "/")
                {
                    text.append(characters[index])
                    index += 1
                } else {
                    text.append(character)
                }
            }
            throw failure("this \(quote) is never closed", at: start)
        }

        private mutating func word(allowing extra: String = "") -> String {
            let start = index
            while index < characters.count,
                characters[index].isLetter || characters[index].isNumber || characters[index] == "_"
                    || extra.contains(characters[index])
            {
                index += 1
            }
            return String(characters[start..<index])
        }

        private mutating func consume(_ token: String) -> Bool {
            skipSpace()
            let tokenCharacters = Array(token)
            guard index + tokenCharacters.count <= characters.count,
                Array(characters[index..<index + tokenCharacters.count]) == tokenCharacters
            else { return false }
            index += tokenCharacters.count
            return true
        }

        private mutating func skipSpace() {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
        }
    }
}
