import Foundation
import HekaClient
import Testing

@testable import HekaRaven

/// Every form of DSN raven (the Python client) reads, read the same way here, and its
/// secrets masked in the description and `dump`.
@Suite struct SentryDSNFormsTests {
    static let secret = "S3CRET"

    /// A DSN and what raven's `RemoteConfig.from_string` makes of it (scheme without the
    /// transport, host, port, path prefix, project, options) and the masked description.
    static let forms: [(text: String, parts: [String], description: String)] = [
        ("https://pub@sentry.example.com/2?sentry_secret=\(secret)",
         ["https", "-", "pub", "-", "sentry.example.com", "-", "", "2", "sentry_secret=\(secret)"],
         "https://pub@sentry.example.com/2?sentry_secret=********"),
        ("threaded+https://pub:\(secret)@sentry.example.com/2",
         ["https", "threaded", "pub", secret, "sentry.example.com", "-", "", "2", ""],
         "threaded+https://pub:********@sentry.example.com/2"),
        ("https://pub:\(secret)@Sentry.Example.com:9000/prefix/deeper/2?timeout=3&verify_ssl=0",
         ["https", "-", "pub", secret, "sentry.example.com", "9000", "prefix/deeper", "2", "timeout=3,verify_ssl=0"],
         "https://pub:********@sentry.example.com:9000/prefix/deeper/2?timeout=3&verify_ssl=0"),
        ("udp://pub:\(secret)@127.0.0.1:9001/1",
         ["udp", "-", "pub", secret, "127.0.0.1", "9001", "", "1", ""], "udp://pub:********@127.0.0.1:9001/1"),
        ("https://pub:\(secret)@[::1]:9000/2", ["https", "-", "pub", secret, "::1", "9000", "", "2", ""],
         "https://pub:********@[::1]:9000/2"),
        ("https://pub:\(secret):more@sentry.example.com/2",
         ["https", "-", "pub", "\(secret):more", "sentry.example.com", "-", "", "2", ""],
         "https://pub:********@sentry.example.com/2"),
        ("https://pub:\(secret)@sentry.example.com:/2#part", ["https", "-", "pub", secret, "sentry.example.com", "-", "", "2", ""],
         "https://pub:********@sentry.example.com/2"),
        ("https://pub:\(secret)@sentry.example.com/2;params", ["https", "-", "pub", secret, "sentry.example.com", "-", "", "2", ""],
         "https://pub:********@sentry.example.com/2"),
        ("sync+http://pub@sentry.example.com/2?api_key=\(secret)&sentry_key=\(secret)&timeout=",
         ["http", "sync", "pub", "-", "sentry.example.com", "-", "", "2", "api_key=\(secret),sentry_key=\(secret)"],
         "sync+http://pub@sentry.example.com/2?api_key=********&sentry_key=********&timeout="),
    ]

    static func parts(_ dsn: SentryDSN) -> [String] {
        [dsn.scheme, dsn.transport ?? "-", dsn.publicKey, dsn.secretKey ?? "-", dsn.host, dsn.port.map(String.init) ?? "-",
         dsn.path, dsn.projectID, dsn.options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")]
    }

    @Test("each form is read as raven reads it and printed without its secrets", arguments: forms)
    func form(_ text: String, _ parts: [String], _ description: String) throws {
        let dsn = try SentryDSN(parsing: text)
        #expect(Self.parts(dsn) == parts)
        #expect(dsn.description == description)
        #expect(dsn.text == text, "the message's dsn field keeps it as written")
        var dumped = ""
        dump(dsn, to: &dumped)
        for shown in [dsn.description, String(reflecting: dsn), dumped, RedactionPolicy.redacted(text, key: "dsn")] {
            #expect(!shown.contains(Self.secret), "\(shown)")
        }
    }

    @Test("what raven refuses is refused", arguments: [
        ("https://pub@sentry.example.com/2/", "a DSN ends with the project id, as in https://key@sentry.example.com/42"),
        ("https://pub@sentry.example.com?x=1", "a DSN ends with the project id, as in https://key@sentry.example.com/42"),
        ("gopher+ftp://pub@sentry.example.com/2", "the scheme \"gopher+ftp\" is not https, http or udp"),
        ("https://:\(secret)@sentry.example.com/2", "the public key before \"@\" is empty"),
        ("https://pub:\(secret)@sentry.example.com:x/2", "the port is not an integer in 1–65535"),
    ])
    func refused(_ text: String, _ reason: String) {
        #expect(throws: SentryDSN.DSNError.self) { try SentryDSN(parsing: text) }
        do {
            _ = try SentryDSN(parsing: text)
        } catch {
            #expect(error.description == reason)
            #expect(!error.description.contains(Self.secret))
        }
    }

    @Test("a configuration's printout masks a secret in the DSN's query")
    func configurationPrintout() throws {
        let configuration = try HekaConfiguration(
            iniText: "[heka]\n[heka_plugin_raven]\nprovider = raven\ndsn = https://pub@sentry.example.com/2?sentry_secret=\(Self.secret)\n",
            environment: [:], registry: ravenRegistry)
        var dumped = ""
        dump(configuration, to: &dumped)
        for shown in [configuration.iniText(), configuration.description, dumped] {
            #expect(!shown.contains(Self.secret), "\(shown)")
        }
        #expect(configuration.iniText().contains("dsn = https://pub@sentry.example.com/2?sentry_secret=********"))
        let raven = try #require(configuration.plugins.first?.plugin as? RavenPlugin)
        #expect(raven.dsn?.projectID == "2")
    }
}
