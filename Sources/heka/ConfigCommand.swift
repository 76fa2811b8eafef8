import ArgumentParser
import HekaClient

/// `heka config`: the effective configuration, secrets masked.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the effective configuration of a heka.ini file, with secrets masked.",
        discussion: """
            Reads the file as a client would (its client section, filters, plugins and HMAC \
            key), reports the first error with its file, line, section and key, and prints \
            the result as INI text that loads back. The HMAC key and any password in a URL \
            (a Sentry DSN's secret) are shown as ********. Exits with status 1 when standard \
            output cannot be written.

            Examples:
              heka config
              heka config --config /etc/heka.ini --section myapp
            """
    )

    @OptionGroup var source: ConfigurationOptions

    func run() throws {
        try writeResult(try source.load(default: .default).iniText(), command: "config")
    }
}
