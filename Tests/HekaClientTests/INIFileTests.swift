import Foundation
import Testing

@testable import HekaClient

@Suite struct INIFileTests {
    @Test("heka-py's getting-started configuration reads as heka-py reads it")
    func hekaPyExample() throws {
        // Indented as it is in heka-py's docs/source/getstarted.rst.
        let indented = hekaPyGettingStarted.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        let ini = try INIFile(text: indented)
        let heka = try #require(ini[section: "heka"])
        #expect(heka.entries.map(\.key) == ["logger", "severity", "disabled_timers", "stream_class", "stream_host", "stream_port"])
        #expect(heka["logger"]?.value == .string("myapp"))
        #expect(heka["severity"]?.value == .integer(4))
        #expect(heka["disabled_timers"]?.value == .list([.string("foo"), .string("bar")]))
        #expect(heka["stream_port"]?.value == .integer(5565))
        #expect(heka["STREAM_HOST"]?.line == 7, "keys are case-insensitive")
    }

    @Test("values are typed as heka-py types them", arguments: [
        ("42", ConfigurationValue.integer(42)), ("-7", .integer(-7)), ("0", .integer(0)), ("2", .integer(2)),
        ("1.5", .string("1.5")), ("12abc", .string("12abc")), ("-", .string("-")),
        ("true", .bool(true)), ("T", .bool(true)), ("On", .bool(true)), ("YES", .bool(true)),
        ("false", .bool(false)), ("f", .bool(false)), ("off", .bool(false)), ("No", .bool(false)),
        ("truth", .string("truth")), ("", .string("")), ("a = b", .string("a = b")),
    ])
    func typing(text: String, expected: ConfigurationValue) throws {
        let ini = try INIFile(text: "[s]\nk = \(text)\n")
        #expect(ini[section: "s"]?["k"]?.value == expected)
    }

    @Test("comments, ':' separators, duplicates, repeated sections and continuation lists")
    func structure() throws {
        let ini = try INIFile(text: """
            # a comment
            ; another
            [heka_hmac]
            signer = vic ; the signer
            key_version: 2
            hash_function = sha1
            key = semi;colon
            [other]
            list =
                one
                ; a comment inside the list
                2

                off
            [heka_hmac]
            signer = later wins
            """)
        let hmac = try #require(ini[section: "heka_hmac"])
        #expect(ini.sections.map(\.name) == ["heka_hmac", "other"])
        #expect(hmac["signer"]?.value == .string("later wins") && hmac["signer"]?.line == 16)
        #expect(hmac["key_version"]?.value == .integer(2), "an integer, not heka-py's string")
        #expect(hmac["key"]?.value == .string("semi;colon"), "a ';' not after whitespace is text")
        #expect(ini[section: "other"]?["list"]?.value == .list([.string("one"), .integer(2), .bool(false)]))
        #expect(ini[section: "other"]?["list"]?.value.listItems.count == 3)
    }

    @Test("${VAR} comes from the environment, anywhere in a value, before typing")
    func environment() throws {
        let env = ["HEKA_PORT": "5566", "HOST": "collector", "EMPTY": ""]
        let ini = try INIFile(text: "[heka]\nport = ${HEKA_PORT}\nurl = udp://${HOST}:${HEKA_PORT}/x\nnone = ${EMPTY}\n",
                              environment: env)
        #expect(ini[section: "heka"]?["port"]?.value == .integer(5566))
        #expect(ini[section: "heka"]?["url"]?.value == .string("udp://collector:5566/x"))
        #expect(ini[section: "heka"]?["none"]?.value == .string(""))
    }

    @Test("bad input names the file, line, section and key", arguments: [
        ("[heka]\nlogger = app\nnot a pair\n", ConfigurationError.Code.syntax,
         "app.ini:3: [heka] expected [section], key = value, or an indented continuation"),
        ("logger = app\n", .syntax, "app.ini:1: logger: a key before any [section]"),
        ("[heka\nx = 1\n", .syntax, "app.ini:1: a section header must be [name]"),
        ("[heka]\n= 1\n", .syntax, "app.ini:2: [heka] a value with no key"),
        ("  indented = 1\n[heka]\n", .syntax, "app.ini:1: an indented line continues no value"),
        ("[heka]\nport = ${NOT_SET_ANYWHERE}\n", .missingEnvironmentVariable,
         "app.ini:2: [heka] port: the environment variable NOT_SET_ANYWHERE is not set"),
        ("[heka]\nport = ${OPEN\n", .syntax, "app.ini:2: [heka] port: \"${\" without a closing \"}\""),
        ("[a]\nx = 1\n\n  \n[b]\n\ty = 2\n", .syntax, "app.ini:6: an indented line continues no value"),
    ])
    func errors(text: String, code: ConfigurationError.Code, expected: String) {
        #expect {
            try INIFile(text: text, path: "app.ini", environment: [:])
        } throws: { error in
            let error = error as! ConfigurationError
            return error.code == code && error.description == expected
        }
    }

    @Test("a file is read from disk; a missing one is an error naming it")
    func file() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heka-\(UUID().uuidString).ini").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "[heka]\r\nlogger = fromdisk\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try INIFile(contentsOf: path)[section: "heka"]?["logger"]?.value == .string("fromdisk"))
        #expect {
            try INIFile(contentsOf: path + ".missing")
        } throws: { ($0 as? ConfigurationError)?.description == "\(path).missing: cannot read the file" }
    }
}
