import ArgumentParser
import Foundation
import HekaClient
import HekaRaven

/// `heka raven-test`: raven's `raven test` for this client. Sends one stack trace through
/// the configured stream and says whether it left.
struct RavenTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "raven-test",
        abstract: "Send a test stack trace through the configured stream and print its event id.",
        discussion: """
            Prints the configuration it uses (with the HMAC key and the DSN's secret masked), \
            captures a stack trace here and sends it as the raven plugin would: a message of the \
            plugin's type (`stacktrace` by default), severity 3, carrying the packed Sentry event \
            and the DSN that hekad's SentryOutput forwards it with. A DSN given here replaces \
            the configured one. The exit status is 1 when the message could not be sent, or \
            when a UDP destination answers that nothing listens on its port.

            Examples:
              heka raven-test
              heka raven-test --config app.ini https://key:secret@sentry.example.com/2
              heka raven-test --udp 127.0.0.1:5565 https://public@sentry.example.com/2
            """
    )

    @OptionGroup var source: ConfigurationOptions
    @OptionGroup var destination: DestinationOptions

    @Argument(help: "A Sentry DSN to send with, instead of the configured one.")
    var dsn: String?

    func validate() throws {
        if let dsn {
            do {
                _ = try SentryDSN(parsing: dsn)
            } catch {
                throw ValidationError("the DSN is not valid: \(error)")
            }
        }
    }

    func run() throws {
        var configuration = try destination.applied(
            to: try source.load(default: HekaConfiguration(logger: "heka-raven-test")))
        if configuration.logger.isEmpty { configuration.logger = "heka-raven-test" }
        if let dsn { try Self.use(dsn: try SentryDSN(parsing: dsn), in: &configuration) }

        let failures = FailureLog(command: "raven-test")
        let client = try HekaClient(configuration: configuration, errorHandler: failures.handler)
        let plugin = client.plugin(RavenPlugin.self) ?? RavenPlugin()
        print("Client configuration:")
        print(configuration.iniText().split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n"), terminator: "")
        if let dsn = plugin.dsn {
            print("Using DSN \(dsn) (project \(dsn.projectID))")
        } else {
            print("No DSN is configured: hekad's SentryOutput needs one to forward the event.")
        }
        print("Sending a test stack trace to \(client.stream)...")
        // The stdout stream writes past Swift's buffer; keep the lines above in order.
        fflush(nil)
        let eventID = Self.sendTestEvent(through: client)
        let undelivered = UdpDeliveryCheck.problem(client: client, failures: failures, what: "the test event")
        client.close(timeout: .commandClose)
        if let undelivered {
            printError(undelivered)
            throw ExitCode.failure
        }
        guard failures.count == 0 else {
            printError("heka raven-test: the test event was not sent")
            throw ExitCode.failure
        }
        print("Event ID was '\(eventID)'")
    }

    /// Sets the DSN of the configured raven plugin, adding the plugin if there is none.
    static func use(dsn: SentryDSN, in configuration: inout HekaConfiguration) throws {
        if let index = configuration.plugins.firstIndex(where: { $0.plugin is RavenPlugin }),
            var plugin = configuration.plugins[index].plugin as? RavenPlugin
        {
            plugin.dsn = dsn
            configuration.plugins[index].plugin = plugin
            configuration.plugins[index].arguments.set("dsn", .string(dsn.text))
        } else {
            var arguments = ConfigurationSection(name: "raven")
            arguments.set("dsn", .string(dsn.text))
            configuration.plugins.append(PluginConfiguration(RavenPlugin(dsn: dsn), arguments: arguments))
        }
    }

    @inline(never)
    static func sendTestEvent(through client: HekaClient) -> String {
        client.raven("This is a test message generated using heka raven-test",
                     extra: ["test": true])
    }
}
