import Foundation
import Testing

@testable import HekaClient

@Suite struct MessageMatcherTests {
    static let message = Message(
        uuid: UUID(uuidString: "1C36934F-2E05-47F0-9195-84784098E48B")!, timestamp: 1_464_126_660_500_000_000,
        type: "test", logger: "shop", severity: .informational, payload: "Test Payload", pid: 4242,
        hostname: "web-1.example.com",
        fields: [
            Field(name: "foo", value: "bar"), Field(name: "foo", value: ["alpha", "alternate"]),
            Field(name: "status", value: 503), Field(name: "elapsed", value: 12.5),
            Field(name: "MyBool", value: true), Field(name: "created", value: "2015-03-01"),
            Field(name: "blob", value: .bytes([Array("raw".utf8)])),
        ])

    /// hekad's documented examples and more, each with its expected outcome on `message`.
    static let cases: [(String, Bool)] = [
        ("Type == \"test\" && Severity == 6", true),
        ("(Severity == 7 || Payload == \"Test Payload\") && Type == \"test\"", true),
        ("(Severity == 7 || Payload == \"other\") && Type == \"test\"", false),
        ("Severity == 7 || Payload == \"other\" && Type == \"test\"", false),
        ("Severity == 6 || Payload == \"other\" && Type == \"nope\"", true),
        ("Fields[foo] != \"bar\"", false),
        ("Fields[foo] == 'bar'", true),
        ("Fields[foo][1][0] == \"alpha\"", true),
        ("Fields[foo][1][1] == \"alternate\"", true),
        ("Fields[foo][1] == \"alpha\"", true),
        ("Fields[foo][2] == NIL", true),
        ("Fields[foo][1][2] != NIL", false),
        ("Fields[MyBool] == TRUE", true),
        ("Fields[MyBool] != FALSE", true),
        ("TRUE", true),
        ("FALSE", false),
        ("FALSE || TRUE", true),
        ("Fields[created] =~ /^2015/", true),
        ("Fields[created] !~ /^2015/", false),
        ("Fields[created] =~ '^2016'", false),
        ("Hostname =~ /\\.example\\.com$/", true),
        ("Hostname =~ /example\\/com/", false),
        ("Fields[widget] != NIL", false),
        ("Fields[widget] == NIL", true),
        ("Fields[status] != NIL", true),
        ("Timestamp >= \"2016-05-24T00:00:00Z\"", true),
        ("Timestamp < \"2016-05-24T21:51:00.5Z\"", false),
        ("Timestamp == \"2016-05-24T23:51:00.5+02:00\"", true),
        ("Timestamp >= 1464048000000000000", true),
        ("Timestamp == 1464126660500000000", true),
        ("Timestamp == 1464126660500000001", false),
        ("Fields[status] >= 500 && Fields[status] < 600", true),
        ("Fields[status] == 503.0", true),
        ("Fields[elapsed] > 12", true),
        ("Fields[elapsed] <= 12.4", false),
        ("Fields[status] == \"503\"", false),
        ("Fields[status] != \"503\"", false),
        ("Fields[foo] > 3", false),
        ("Fields[blob] == 'raw'", true),
        ("Uuid == '1c36934f-2e05-47f0-9195-84784098e48b'", true),
        ("Logger < 'shoq' && Logger > 'shoo'", true),
        ("Pid == 4242 && EnvVersion == '0.8'", true),
        ("type == 'test' && fields[status] == 503 && severity <= 6", true),
        ("Payload == 'Test \\'Payload\\''", false),
        ("Payload =~ /^Test\\s/", true),
    ]

    @Test("each expression selects as hekad's matcher would", arguments: cases)
    func evaluates(_ expression: String, _ expected: Bool) throws {
        let matcher = try MessageMatcher(expression)
        #expect(matcher.matches(Self.message) == expected, "\(expression)")
    }

    @Test("a quote inside a string is escaped with a backslash")
    func escapedQuote() throws {
        var message = Self.message
        message.payload = #"say "hi" \ bye"#
        #expect(try MessageMatcher(#"Payload == "say \"hi\" \\ bye""#).matches(message))
        #expect(try MessageMatcher(#"Payload == 'say "hi" \\ bye'"#).matches(message))
    }

    /// Bad expressions, the character each error points at, and its message.
    static let mistakes: [(String, Int, String)] = [
        ("", 0, "the expression is empty"),
        ("Type ==", 7, "expected a value after =="),
        ("Type = 'x'", 5, "expected an operator (== != < <= > >= =~ !~) after Type"),
        ("Kind == 'x'", 0, "unknown message variable Kind (expected Uuid, Type, Logger, Payload, EnvVersion, "
            + "Hostname, Severity, Pid, Timestamp or Fields[name])"),
        ("Type == 'x' &&", 14, "expected a message variable, TRUE, FALSE or ("),
        ("Type == 'x' and Logger == 'y'", 12, "expected && or || or the end"),
        ("(Type == 'x'", 12, "expected )"),
        ("Type == 'x", 8, "this ' is never closed"),
        ("Type == 3", 8, "a string is compared with a quoted string"),
        ("Severity == 'high'", 12, "a number is compared with a number, not a string"),
        ("Severity =~ /3/", 9, "=~ applies to strings, not to a number"),
        ("Type =~ /[/", 8, "[ is not a valid regular expression"),
        ("Type == /x/", 5, "a /pattern/ goes with =~ or !~, not =="),
        ("Type == NIL", 8, "only fields can be compared with NIL"),
        ("Fields[a] < NIL", 10, "NIL goes with == or !="),
        ("Fields[a] > TRUE", 10, "TRUE and FALSE go with == or !="),
        ("Fields[] == 1", 7, "the field name is empty"),
        ("Fields[a][x] == 1", 10, "expected an index from 0"),
        ("Fields a == 1", 7, "expected [ after Fields"),
        ("Timestamp > 'yesterday'", 12, "\"yesterday\" is not an RFC 3339 time (2016-05-24T21:51:00Z)"),
        ("Severity == high", 12, "expected a quoted string, a number, TRUE, FALSE or NIL, not high"),
        (String(repeating: "(", count: 65) + "TRUE" + String(repeating: ")", count: 65), 64,
            "parentheses nested deeper than 64"),
    ]

    @Test("a pattern may hold any character, NUL included, as hekad's allow")
    func patternWithNUL() throws {
        let matcher = try MessageMatcher("Payload =~ /^a\0b$/")
        #expect(matcher.matches(Message(payload: "a\0b")))
        #expect(!matcher.matches(Message(payload: "a")))
    }

    @Test("long chains and the deepest nesting allowed parse and evaluate without deep recursion")
    func longExpressions() throws {
        let message = Message(type: "last", severity: .error)
        // 100,000 terms: a tree nested once per term would overflow the stack when
        // evaluated or freed.
        let chain = Array(repeating: "Type == 'x'", count: 100_000) + ["Type == 'last'"]
        #expect(try MessageMatcher(chain.joined(separator: " || ")).matches(message))
        #expect(try !MessageMatcher(chain.joined(separator: " && ")).matches(message))
        let nested = String(repeating: "(", count: 64) + "Severity == 3" + String(repeating: ")", count: 64)
        #expect(try MessageMatcher(nested).matches(message))
    }

    @Test("a mistake names its character and what is wrong", arguments: mistakes)
    func mistake(_ expression: String, _ offset: Int, _ message: String) {
        #expect(throws: MessageMatcher.SyntaxError(expression: expression, offset: offset, message: message)) {
            try MessageMatcher(expression)
        }
    }

    @Test("the error shows a caret under the mistake")
    func caret() {
        let error = MessageMatcher.SyntaxError(expression: "Type ==", offset: 7, message: "expected a value after ==")
        #expect(error.description == "expected a value after == at character 8\n  Type ==\n         ^")
    }

    @Test("RFC 3339 times read back what the JSON form writes")
    func rfc3339() {
        for nanoseconds: Int64 in [0, 1, 1_400_000_000_012_000_000, -1, -86_400_000_000_001, 951_782_400_000_000_000,
                                   4_102_444_799_999_999_999]
        {
            #expect(RFC3339.parse(RFC3339.format(nanoseconds: nanoseconds)) == nanoseconds)
        }
        #expect(RFC3339.parse("2016-05-24T21:51:00Z") == 1_464_126_660_000_000_000)
        #expect(RFC3339.parse("2016-05-24 21:51:00-01:30") == Int64(1_464_126_660_000_000_000 + 5_400_000_000_000))
        for bad in ["2016-02-30T00:00:00Z", "2016-05-24T24:00:00Z", "2016-05-24T21:51:00", "2016-05-24T21:51:00.Z",
                    "2016-05-24T21:51:00.1234567890Z", "2016-5-24T21:51:00Z", "2016-05-24T21:51:00Zjunk"]
        {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }
}
