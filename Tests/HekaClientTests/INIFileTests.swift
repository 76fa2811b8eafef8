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
                2

                off
            [heka_hmac]
            signer = later wins
            """)
        let hmac = try #require(ini[section: "heka_hmac"])
        #expect(ini.sections.map(\.name) == ["heka_hmac", "other"])
        #expect(hmac["signer"]?.value == .string("later wins") && hmac["signer"]?.line == 15)
        #expect(hmac.entries.map(\.key) == ["signer", "key_version", "hash_function", "key"], "a key keeps its place")
        #expect(hmac["key_version"]?.value == .integer(2), "an integer, not heka-py's string")
        #expect(hmac["key"]?.value == .string("semi;colon"), "a ';' not after whitespace is text")
        #expect(ini[section: "other"]?["list"]?.value == .list([.string("one"), .integer(2), .bool(false)]))
    }

    @Test("an indented line continues the value above, even when it looks like a comment (Python 2.7)")
    func commentLikeContinuation() throws {
        // Python 3's configparser drops the indented comment lines; 2.7, which heka-py used,
        // keeps them as part of the value.
        let ini = try INIFile(text: "[heka]\ndisabled_timers = one\n  ; two\n  # three\n\n  four ; five\n")
        #expect(ini[section: "heka"]?["disabled_timers"]?.value
            == .list([.string("one"), .string("; two"), .string("# three"), .string("four ; five")]))
    }

    @Test("Unicode line and paragraph separators, NEL and form feed stay inside their value")
    func unicodeSeparators() throws {
        let payload = "a\u{2028}b\u{2029}c\u{85}d\u{0C}e = f"
        let ini = try INIFile(text: "[heka]\npayload = \(payload)\nlogger = app\n")
        #expect(ini[section: "heka"]?.entries.map(\.key) == ["payload", "logger"])
        #expect(ini[section: "heka"]?["payload"]?.value == .string(payload))
    }

    @Test("%% is a literal %: an HMAC key ab%%cd signs with the key ab%cd")
    func percentInHMACKey() throws {
        let configuration = try HekaConfiguration(iniText: """
            [heka]
            stream_class = heka.streams.DebugCaptureStream
            [heka_hmac]
            signer = ops
            key_version = 1
            key = ab%%cd
            """, environment: [:])
        #expect(configuration.hmac == (try HMACSigner(signer: "ops", keyVersion: 1, key: "ab%cd")))
    }

    @Test("a printed configuration writes % as %% and loads back to itself")
    func percentRoundTrip() throws {
        var configuration = HekaConfiguration(logger: "50% off", stream: .file(path: "/tmp/100%.log"))
        configuration.disabledTimers = ["a%", "%(b)s"]
        let text = configuration.iniText()
        #expect(text.contains("logger = 50%% off"))
        let loaded = try HekaConfiguration(iniText: text, environment: [:])
        #expect(loaded.logger == "50% off" && loaded.stream == configuration.stream)
        #expect(loaded.disabledTimers == ["a%", "%(b)s"])
    }

    @Test("[DEFAULT]'s keys: every section inherits them, interpolated in that section")
    func defaults() throws {
        let ini = try INIFile(text: """
            [DEFAULT]
            base = /var
            where = %(base)s/%(name)s
            [a]
            name = alpha
            [b]
            name = beta
            base = /srv
            """, environment: [:])
        #expect(ini.sections.map(\.name) == ["a", "b"], "DEFAULT is not a section of its own")
        #expect(ini[section: "a"]?["where"]?.value == .string("/var/alpha"))
        #expect(ini[section: "b"]?["where"]?.value == .string("/srv/beta"))
        #expect(ini[section: "b"]?.entries.map(\.key) == ["name", "base", "where"])
        #expect(ini[section: "b"]?.entries.map(\.inherited) == [false, false, true])
    }

    @Test("a client ignores inherited keys it does not take; a plugin receives them")
    func defaultsInConfiguration() throws {
        let text = """
            [DEFAULT]
            here = /srv/app
            [heka]
            logger = app
            stream_class = file
            stream_filepath = %(here)s/app.heka
            [heka_plugin_dummy]
            provider = heka.tests.plugin:config_plugin
            """
        let configuration = try load(text)
        #expect(configuration.stream == .file(path: "/srv/app/app.heka"))
        let plugin = try #require(configuration.plugins.first?.plugin as? DummyPlugin)
        #expect(plugin.settings["here"] == .string("/srv/app"))
    }

    @Test("${VAR}: a value that is ${NAME} is the environment variable, typed; elsewhere ${ is text (heka-py)")
    func environment() throws {
        let env = ["HEKA_PORT": "5566", "HOST": "collector", "EMPTY": ""]
        let ini = try INIFile(text: """
            [heka]
            port = ${HEKA_PORT}
            url = udp://${HOST}:${HEKA_PORT}/x
            none = ${EMPTY}
            open = ${HOST
            list = ${HOST}
                   literal-${HOST}
            """, environment: env)
        let heka = try #require(ini[section: "heka"])
        #expect(heka["port"]?.value == .integer(5566))
        #expect(heka["url"]?.value == .string("udp://${HOST}:${HEKA_PORT}/x"))
        #expect(heka["none"]?.value == .string(""))
        #expect(heka["open"]?.value == .string("${HOST"))
        #expect(heka["list"]?.value == .list([.string("collector"), .string("literal-${HOST}")]))
    }

    @Test("errors of keys are raised when their section is read, as 2.7's get() raised them")
    func sectionErrors() throws {
        let text = """
            [heka]
            logger = app
            [shop]
            discount = 50%
            home = ${NOT_SET_ANYWHERE}
            tail = ${HOME}/logs
            """
        let ini = try INIFile(text: text, path: "app.ini", environment: ["HOME": "/home/app"])
        #expect(ini[section: "shop"]?.errors.map(\.description) == [
            "app.ini:4: [shop] discount: '%' must be followed by '%' or '(name)s', found \"%\"; write %% for a literal %",
            "app.ini:5: [shop] home: the environment variable NOT_SET_ANYWHERE is not set",
            "app.ini:6: [shop] tail: heka-py reads \"${HOME}/logs\" as the environment variable HOME and drops the "
                + "text after the last \"}\"; write ${NAME} alone",
        ])
        #expect(ini[section: "shop"]?.entries.isEmpty == true)
        #expect(try load(text).logger == "app", "a section heka-py does not read may hold errors")
        #expect {
            try load(text, section: "shop")
        } throws: { ($0 as? ConfigurationError)?.code == .interpolation }
    }

    @Test("references that expand beyond the budget are an error, not minutes of work")
    func interpolationBudget() throws {
        // Ten keys, each naming the one before ten times: 10^9 references in Python, each to
        // an empty value.
        var text = "[heka]\nk0 =\n"
        for level in 1...9 { text += "k\(level) = " + String(repeating: "%(k\(level - 1))s", count: 10) + "\n" }
        #expect {
            try INIFile(text: text, path: "app.ini")
        } throws: { error in
            (error as? ConfigurationError)?.description == "app.ini:7: [heka] k5: the values, with [DEFAULT]'s keys "
                + "in every section and %(name)s references expanded, come to more than eight times the file's size plus 64 KiB"
        }
    }

    @Test("text is dedented, as client_from_text_config does; a file is read as it is")
    func dedent() throws {
        let indented = "  [heka]\n  logger = app\n\t\n    more\n"
        #expect(try INIFile(text: indented)[section: "heka"]?["logger"]?.value == .list([.string("app"), .string("more")]))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("heka-\(UUID().uuidString).ini").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try indented.write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try INIFile(contentsOf: path)
        } throws: { ($0 as? ConfigurationError)?.description == "\(path):1: an indented line continues no value" }
    }

    @Test("bad input names the file, line, section and key", arguments: [
        ("[heka]\nlogger = app\nnot a pair\n", ConfigurationError.Code.syntax,
         "app.ini:3: [heka] expected [section], key = value, or an indented continuation"),
        ("logger = app\n", .syntax, "app.ini:1: logger: a key before any [section]"),
        ("[heka\nx = 1\n", .syntax, "app.ini:1: a section header must be [name]"),
        ("[heka]\n= 1\n", .syntax, "app.ini:2: [heka] a value with no key"),
        ("  indented = 1\n[heka]\n", .syntax, "app.ini:1: an indented line continues no value"),
        ("text\n[heka]\n", .syntax, "app.ini:1: text before any [section]"),
        ("[heka]\n  indented = 1\n", .syntax, "app.ini:2: an indented line continues no value"),
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

    @Test("a configuration section finds its keys by name through sets and removals")
    func sectionPositions() {
        var section = ConfigurationSection(name: "s")
        for key in ["a", "B", "c", "d"] { section.set(key, .string(key)) }
        section.set("b", .integer(2))
        #expect(section.remove("a")?.value == .string("a"))
        #expect(section.remove("a") == nil)
        section.set("a", .bool(true))
        #expect(section.keys == ["b", "c", "d", "a"])
        #expect(["a", "b", "c", "d"].map { section.entry($0)?.value }
            == [.bool(true), .integer(2), .string("c"), .string("d")])
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
