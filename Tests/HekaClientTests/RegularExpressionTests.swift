import Foundation
import Testing

@testable import HekaClient

/// The matcher's regular expressions: RE2's syntax, linear time, the same answers as
/// another engine on the expressions where the two agree.
@Suite struct RegularExpressionTests {
    @Test("nested repetition costs steps linear in the text, not exponential", arguments: [
        "^(a+)+$", "(a*)*b", "^(a|aa)+$", "(a|a)*c", "^(\\w+\\s?)*$", "(.*a){12}",
    ])
    func pathological(_ pattern: String) throws {
        let regex = try RegularExpression(pattern)
        for length in [28, 2_000] {
            let text = String(repeating: "a", count: length) + "!"
            var steps = 0
            _ = regex.program.matches(text, steps: &steps)
            let bound = (text.unicodeScalars.count + 1) * 2 * regex.program.instructions.count
            #expect(steps <= bound, "\(pattern) on \(length + 1) scalars: \(steps) steps, bound \(bound)")
        }
        #expect(!MessageMatcher.Pattern("^(a+)+$")!.matches(String(repeating: "a", count: 28) + "!"))
        #expect(MessageMatcher.Pattern("^(a+)+$")!.matches(String(repeating: "a", count: 28)))
    }

    @Test("the matcher selects with the linear engine: the catastrophic expression is only a comparison")
    func matcherUsesIt() throws {
        let matcher = try MessageMatcher("Payload =~ /^(a+)+$/")
        #expect(!matcher.matches(Message(payload: String(repeating: "a", count: 28) + "!")))
        #expect(matcher.matches(Message(payload: String(repeating: "a", count: 28))))
        // RE2's meaning, not ICU's: $ is the end of the text, look-ahead does not exist.
        #expect(try !MessageMatcher("Payload =~ /a$/").matches(Message(payload: "a\n")))
        #expect(throws: MessageMatcher.SyntaxError.self) { try MessageMatcher("Payload =~ /(?=a)/") }
    }

    /// Expressions whose meaning is the same in RE2 and Python's `re`, and texts to try.
    static let agreed: [String] = [
        "abc", "^abc$", "a.c", "a*b+c?", "x{2,3}", "x{2,}", "x{2}", "(ab|cd)+e", "[a-c]+", "[^a-c]+$", "\\d{3}-\\d{4}",
        "\\w+@\\w+\\.com", "\\bfoo\\b", "\\Bfoo", "(?i)HeLLo", "(?i:a)B", "(?s)a.b", "(?m)^b$", "^$", "a|b|", "\\.",
        "[\\d\\s]+", "[.]", "a\\tb", "\\x41", "(?:a|b)*c", "(?P<n>x)y", "\\Aab", "ab\\Z",
        "[]a]", "[a-]", "é+", "a{,2}", "a{x", "^5\\d\\d$",
    ]

    static let texts = [
        "", "abc", "xabcx", "AbC", "aXc", "bbbc", "xx", "xxx", "ababcde", "cab", "dd", "555-1234", "me@host.com",
        "a foo b", "xfoo", "hello", "HELLO", "aB", "AB", "a\nb", "a\nb\nc", "a", "b", ".", "1 2", "a\tb", "A", "☺", "ccc",
        "xy", "ab", "]", "-", "éé", "abc def", "503", "a{x", "a.b", "a{,2}",
    ]

    @Test("the same answers as Python's re on expressions both read alike")
    func agreesWithPython() throws {
        // \Z is Python's end of text; RE2 writes it \z.
        let ours = try Self.agreed.map { pattern in
            let regex = try RegularExpression(pattern.replacingOccurrences(of: "\\Z", with: "\\z"))
            return Self.texts.map { regex.matches($0) ? "1" : "0" }.joined()
        }
        let script = """
            import json, re, sys
            patterns, texts = json.loads(sys.stdin.read())
            print(json.dumps([''.join('1' if re.search(p, t) else '0' for t in texts) for p in patterns]))
            """
        // Python reads "a{,2}" as a repetition; RE2 as a literal: ask Python for the literal.
        let forPython = Self.agreed.map { $0 == "a{,2}" ? "a\\{,2\\}" : $0 }
        let input = try JSONSerialization.data(withJSONObject: [forPython, Self.texts])
        let output = runPython(script, input: Array(input))
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String])
        for (index, pattern) in Self.agreed.enumerated() {
            #expect(ours[index] == theirs[index], "\(pattern)")
        }
    }

    @Test("RE2's own rules where other engines differ")
    func re2Rules() throws {
        // $ is the end of the text, not before a final newline (Go's regexp, RE2).
        #expect(try !RegularExpression("a$").matches("a\n"))
        #expect(try RegularExpression("(?m)a$").matches("a\n"))
        #expect(try !RegularExpression("\\w").matches("é"), "\\w is ASCII")
        #expect(try RegularExpression("\\pL").matches("é") && RegularExpression("\\p{Lu}").matches("É"))
        #expect(try !RegularExpression("\\PL").matches("é"))
        #expect(try RegularExpression("(?i)é").matches("É"))
        #expect(try RegularExpression("^[[:alpha:]]+$").matches("abc") && !RegularExpression("[[:^digit:]]").matches("123"))
        #expect(try RegularExpression("\\x{263A}").matches("☺") && RegularExpression("^\\Qa.b\\E$").matches("a.b"))
        #expect(try !RegularExpression("^\\Qa.b\\E$").matches("axb"))
    }

    @Test("what RE2 refuses is refused, with the reason", arguments: [
        ("(", "missing closing )"), (")", "unexpected )"), ("a**", "invalid nested repetition operator"),
        ("*a", "missing argument to repetition operator"), ("[a", "missing closing ]"), ("(?=a)", "invalid or unsupported Perl syntax"),
        ("\\1", "invalid escape sequence: backreferences are not supported"), ("a{1001}", "invalid repeat count"),
        ("[z-a]", "invalid character class range"), ("\\p{Greek}", "invalid character class range: \\p{Greek}"),
        ("((a{1000}){1000})", "expression too large (over 20000 steps)"), ("\\", "trailing backslash at end of expression"),
    ])
    func refused(_ pattern: String, _ reason: String) {
        #expect(throws: RegularExpression.SyntaxError(description: reason)) { try RegularExpression(pattern) }
    }
}
