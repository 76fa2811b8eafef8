import ArgumentParser
import HekaRaven

/// The `heka` command-line tool.
@main
struct Heka: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heka",
        abstract: "Send, inspect and demonstrate Heka messages.",
        discussion: """
            heka speaks hekad's wire format (framed protobuf, optionally HMAC-signed) and a \
            JSON-lines form for people. Start with `heka demo`.
            """,
        version: version,
        subcommands: [
            Demo.self, Send.self, Cat.self, Flood.self, RavenTest.self, ConfigCommand.self, RelayCommand.self, Run.self,
        ]
    )

    /// The version `heka --version` prints: the package's, as CHANGELOG.md names it.
    static let version = "0.1.0"

    /// Registers the plugins a heka.ini may name (the raven plugin), then runs the command
    /// the arguments name.
    static func main() {
        RavenPlugin.register()
        main(nil)
    }
}
