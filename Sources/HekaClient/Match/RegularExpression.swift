/// A regular expression in RE2's syntax (Go's `regexp`, which hekad's message matcher
/// uses), matched in time linear in the text: the expression is compiled to a Thompson NFA
/// and every position of the text is tried at once (a Pike VM without captures), so no input
/// can make it backtrack. `/^(a+)+$/` against any text costs at most (text length + 1) × 2 ×
/// (program size) steps.
///
/// The syntax, as RE2's: literals and `\` escapes of punctuation; `.`; `[…]` classes with
/// ranges, negation, `[:alpha:]`-style names, `\d \s \w` (ASCII) and `\pL`/`\p{Lu}`/`\PN`
/// (Unicode general categories, and `Any`); `^ $` (text, or line with `(?m)`), `\A \z \b \B`;
/// groups `( )`, `(?: )`, `(?P<name> )`, `(?<name> )`; flags `(?i) (?m) (?s) (?U)` and
/// `(?flags: )`; `* + ? {n} {n,} {n,m}` (at most 1000), greedy or lazy; `|`; `\Q…\E`; `\x41`,
/// `\x{263A}`, octal `\012`, `\a \f \t \n \r \v`. Unicode scripts (`\p{Greek}`),
/// backreferences and look-around are refused, as RE2 refuses the latter two.
struct RegularExpression: Sendable {
    /// The largest compiled program accepted, in instructions.
    static let maximumProgramSize = 20_000
    /// RE2's limit on a counted repetition.
    static let maximumRepeat = 1000

    let source: String
    let program: Program

    /// Why an expression does not compile.
    struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        var description: String
    }

    init(_ source: String) throws(SyntaxError) {
        self.source = source
        var parser = RegexParser(source)
        program = try Program(parser.parse())
    }

    /// Whether the expression matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        var steps = 0
        return program.matches(text, steps: &steps)
    }
}

/// A parsed expression.
indirect enum RegexNode: Sendable {
    case empty
    case scalar(CharacterClass)
    case assertion(RegexAssertion)
    case concatenation([RegexNode])
    case alternation([RegexNode])
    /// `max` `nil` for no upper bound.
    case repetition(RegexNode, min: Int, max: Int?)
}

/// The zero-width assertions.
enum RegexAssertion: Sendable {
    case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary
}

/// A recursive-descent parser of RE2's syntax over Unicode scalars.
struct RegexParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var flags = Flags()
    private var depth = 0
    /// Deeper group nesting is refused, so an expression cannot exhaust the stack.
    static let maximumDepth = 100

    private struct Flags {
        var foldCase = false, multiLine = false, dotAll = false
    }

    init(_ source: String) { scalars = Array(source.unicodeScalars) }

    mutating func parse() throws(RegularExpression.SyntaxError) -> RegexNode {
        let node = try alternation()
        guard index == scalars.count else { throw failure("unexpected )") }
        return node
    }

    private func failure(_ what: String) -> RegularExpression.SyntaxError {
        RegularExpression.SyntaxError(description: what)
    }

    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func take(_ scalar: Unicode.Scalar) -> Bool {
        guard peek == scalar else { return false }
        index += 1
        return true
    }

    private mutating func alternation() throws(RegularExpression.SyntaxError) -> RegexNode {
        var branches = [try concatenation()]
        while take("|") { branches.append(try concatenation()) }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func concatenation() throws(RegularExpression.SyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let next = peek, next != "|", next != ")" {
            items.append(try repetition())
        }
        return items.count == 1 ? items[0] : .concatenation(items)
    }

    private mutating func repetition() throws(RegularExpression.SyntaxError) -> RegexNode {
        var node = try atom()
        var repeated = false
        while let bounds = try quantifier() {
            guard !repeated else { throw failure("invalid nested repetition operator") }
            repeated = true
            _ = take("?")  // lazy: the same language, so the same boolean match
            node = .repetition(node, min: bounds.min, max: bounds.max)
        }
        return node
    }

    /// `*`, `+`, `?` or a valid `{…}` at the current position; a `{` that is not a
    /// repetition is left to be read as a literal.
    private mutating func quantifier() throws(RegularExpression.SyntaxError) -> (min: Int, max: Int?)? {
        switch peek {
        case "*": index += 1; return (0, nil)
        case "+": index += 1; return (1, nil)
        case "?": index += 1; return (0, 1)
        case "{":
            let start = index
            index += 1
            guard let low = number() else { index = start; return nil }
            var high: Int? = low
            if take(",") { high = number() }
            guard take("}") else { index = start; return nil }
            guard low <= RegularExpression.maximumRepeat, (high ?? 0) <= RegularExpression.maximumRepeat,
                  high.map({ $0 >= low }) ?? true
            else { throw failure("invalid repeat count") }
            return (low, high)
        default: return nil
        }
    }

    private mutating func number() -> Int? {
        let start = index
        while let digit = peek, ("0"..."9").contains(digit) { index += 1 }
        guard index > start, index - start <= 8 else { return nil }
        return Int(String(String.UnicodeScalarView(scalars[start..<index])))
    }

    private mutating func atom() throws(RegularExpression.SyntaxError) -> RegexNode {
        guard let scalar = peek else { throw failure("missing argument to repetition operator") }
        index += 1
        switch scalar {
        case "(": return try group()
        case "[": return .scalar(try bracketClass())
        case ".":
            var items: [CharacterClass.Item] = [.range(0...0x10FFFF)]
            if !flags.dotAll { items = [.range(0...0x09), .range(0x0B...0x10FFFF)] }
            return .scalar(CharacterClass(items: items))
        case "^": return .assertion(flags.multiLine ? .beginLine : .beginText)
        case "$": return .assertion(flags.multiLine ? .endLine : .endText)
        case "\\": return try escape()
        case "*", "+", "?": throw failure("missing argument to repetition operator")
        case ")": throw failure("unexpected )")
        default: return .scalar(CharacterClass(scalar, foldsCase: flags.foldCase))
        }
    }

    private mutating func group() throws(RegularExpression.SyntaxError) -> RegexNode {
        let saved = flags
        if take("?") {
            if take("P") || peek == "<" {
                guard take("<") else { throw failure("invalid named capture") }
                let start = index
                while let next = peek, next != ">" { index += 1 }
                guard index > start, take(">") else { throw failure("invalid named capture") }
            } else {
                var on = true
                flagLoop: while let next = peek {
                    index += 1
                    switch next {
                    case "i": flags.foldCase = on
                    case "m": flags.multiLine = on
                    case "s": flags.dotAll = on
                    case "U": break  // ungreedy: the same language
                    case "-" where on: on = false
                    case ")": return .empty  // (?flags): they last to the end of the group
                    case ":": break flagLoop
                    default: throw failure("invalid or unsupported Perl syntax")
                    }
                }
            }
        }
        guard depth < Self.maximumDepth else { throw failure("expression nests too deeply") }
        depth += 1
        let node = try alternation()
        depth -= 1
        guard take(")") else { throw failure("missing closing )") }
        flags = saved
        return node
    }

    private mutating func escape() throws(RegularExpression.SyntaxError) -> RegexNode {
        guard let letter = peek else { throw failure("trailing backslash at end of expression") }
        switch letter {
        case "A": index += 1; return .assertion(.beginText)
        case "z": index += 1; return .assertion(.endText)
        case "b": index += 1; return .assertion(.wordBoundary)
        case "B": index += 1; return .assertion(.notWordBoundary)
        case "Q":
            index += 1
            var items: [RegexNode] = []
            while index < scalars.count {
                if scalars[index] == "\\", index + 1 < scalars.count, scalars[index + 1] == "E" {
                    index += 2
                    break
                }
                items.append(.scalar(CharacterClass(scalars[index], foldsCase: flags.foldCase)))
                index += 1
            }
            return .concatenation(items)
        default:
            return .scalar(try classEscape())
        }
    }

    /// An escape that stands for a class or one scalar, after the backslash.
    private mutating func classEscape() throws(RegularExpression.SyntaxError) -> CharacterClass {
        guard let letter = peek else { throw failure("trailing backslash at end of expression") }
        index += 1
        if let perl = CharacterClass.perl(Character(letter)) { return perl }
        if letter == "p" || letter == "P" {
            var name = ""
            if take("{") {
                while let next = peek, next != "}" { name.unicodeScalars.append(next); index += 1 }
                guard take("}") else { throw failure("invalid character class range") }
            } else if let next = peek {
                name.unicodeScalars.append(next)
                index += 1
            }
            var negated = letter == "P"
            if name.hasPrefix("^") { negated.toggle(); name.removeFirst() }
            guard var unicode = CharacterClass.unicode(name, negated: negated) else {
                throw failure("invalid character class range: \\p{\(name)}")
            }
            unicode.foldsCase = flags.foldCase
            return unicode
        }
        return CharacterClass(try escapedScalar(letter), foldsCase: flags.foldCase)
    }

    /// The scalar an escape names, its letter already read.
    private mutating func escapedScalar(_ letter: Unicode.Scalar) throws(RegularExpression.SyntaxError) -> Unicode.Scalar {
        switch letter {
        case "a": return "\u{07}"
        case "f": return "\u{0C}"
        case "t": return "\t"
        case "n": return "\n"
        case "r": return "\r"
        case "v": return "\u{0B}"
        case "x":
            var digits = ""
            if take("{") {
                while let next = peek, next != "}" { digits.unicodeScalars.append(next); index += 1 }
                guard take("}") else { throw failure("invalid escape sequence") }
            } else {
                for _ in 0..<2 {
                    guard let next = peek else { break }
                    digits.unicodeScalars.append(next)
                    index += 1
                }
            }
            guard digits.count <= 8, let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
                throw failure("invalid escape sequence")
            }
            return scalar
        case "0"..."7":
            // A lone \1–\7 would be a backreference, which RE2 does not have.
            guard letter == "0" || peek.map({ ("0"..."7").contains($0) }) == true else {
                throw failure("invalid escape sequence: backreferences are not supported")
            }
            var value = letter.value - 0x30
            for _ in 0..<2 {
                guard let next = peek, ("0"..."7").contains(next) else { break }
                value = value * 8 + next.value - 0x30
                index += 1
            }
            return Unicode.Scalar(value) ?? "\0"
        default:
            guard letter.isASCII, !CharacterClass.isWord(letter) else { throw failure("invalid escape sequence") }
            return letter
        }
    }

    /// A `[…]` class, its `[` already read.
    private mutating func bracketClass() throws(RegularExpression.SyntaxError) -> CharacterClass {
        var result = CharacterClass(foldsCase: flags.foldCase)
        result.negated = take("^")
        var first = true
        while true {
            guard let scalar = peek else { throw failure("missing closing ]") }
            if scalar == "]" && !first { index += 1; return result }
            first = false
            if scalar == "[", index + 1 < scalars.count, scalars[index + 1] == ":" {
                let rest = String(String.UnicodeScalarView(scalars[(index + 2)...]))
                if let end = rest.range(of: ":]") {
                    var name = String(rest[..<end.lowerBound])
                    let negated = name.hasPrefix("^")
                    if negated { name.removeFirst() }
                    guard var posix = CharacterClass.posix(name) else { throw failure("invalid character class range") }
                    posix.negated = negated
                    result.items.append(.nested(posix))
                    index += 2 + name.unicodeScalars.count + (negated ? 1 : 0) + 2
                    continue
                }
            }
            let low: Unicode.Scalar
            index += 1
            if scalar == "\\" {
                let escaped = try classEscape()
                guard case .range(let range)? = escaped.items.first, escaped.items.count == 1, !escaped.negated,
                      range.lowerBound == range.upperBound, let single = Unicode.Scalar(range.lowerBound)
                else {
                    result.items.append(.nested(escaped))
                    continue
                }
                low = single
            } else {
                low = scalar
            }
            var high = low
            if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                index += 1
                let end = scalars[index]
                index += 1
                if end == "\\" {
                    guard let letter = peek else { throw failure("trailing backslash at end of expression") }
                    index += 1
                    high = try escapedScalar(letter)
                } else {
                    high = end
                }
                guard high >= low else { throw failure("invalid character class range") }
            }
            result.items.append(.range(low.value...high.value))
        }
    }
}
