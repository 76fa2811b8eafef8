import Testing

@testable import HekaClient

/// The one redaction policy, and the configuration printouts that follow it (the raven
/// plugin's sanitiser has its own tests in HekaRavenTests).
@Suite struct ConfigurationRedactionTests {
    @Test("a key is secret when it contains a fragment or is, or ends with _, a key word; in any case and script",
          arguments: [
              "password", "DB_PASSWORD", "X-ApiKey", "Authorization", "my_Secret_thing", "ÜBER_SECRET", "passwd_file",
              "sentry_dsn", "ACCESS_TOKEN", "key", "hmac_key", "Token", "auth_token",
          ])
    func secretKeys(key: String) {
        #expect(RedactionPolicy.isSecret(key: key))
    }

    @Test("other keys are not secret", arguments: ["user", "pass", "api-key", "sécret", "", "monkey", "keyboard",
                                                   "tokens", "dsn", "key_version"])
    func plainKeys(key: String) {
        #expect(!RedactionPolicy.isSecret(key: key))
    }

    @Test("values: a card number is masked whole, a URL's password alone, other text kept", arguments: [
        ("4111 1111 1111 1111", "********"), ("4111-1111-1111-1111", "********"), ("5555555555554444", "********"),
        ("411111111111", "411111111111"), ("call 4111-1111-1111-1111", "call 4111-1111-1111-1111"),
        ("https://public:secret@sentry.example.com/2", "https://public:********@sentry.example.com/2"),
        ("udp://public@127.0.0.1:9001/2", "udp://public@127.0.0.1:9001/2"), ("plain", "plain"),
    ])
    func values(text: String, shown: String) {
        #expect(RedactionPolicy.redacted(text) == shown)
        #expect(RedactionPolicy.redacted(text, key: "api_key") == RedactionPolicy.mask)
    }

    @Test("the INI text and a dump of a plugin section mask by the policy, and keep the rest", arguments: [
        ("api_key", "k-1", "********"), ("hmac_key", "k-1", "********"), ("authorization", "Basic x", "********"),
        ("db_password_file", "/etc/pw", "********"), ("card", "4111 1111 1111 1111", "********"),
        ("dsn", "https://pub:sec@sentry.example.com/2", "https://pub:********@sentry.example.com/2"),
        ("monkey", "k-1", "k-1"), ("key_version", "2", "2"),
    ])
    func printouts(key: String, value: String, shown: String) throws {
        let configuration = try load("[heka]\n[heka_plugin_dummy]\nprovider = dummy\n\(key) = \(value)\n")
        #expect(configuration.iniText().hasSuffix("\n\(key) = \(shown)\n"))
        var dumped = ""
        dump(try #require(configuration.plugins.first?.arguments.entries.first), to: &dumped)
        #expect(dumped.contains(shown))
        #expect(shown == value || !dumped.contains(value))
    }
}
