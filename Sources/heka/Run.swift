import ArgumentParser
import Foundation
import HekaClient
import HekaPlatform
import HekaRaven

/// `heka run`: runs a program as its supervisor, and sends its crash report the moment it
/// crashes.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a program and send its crash reports as Sentry events the moment it crashes.",
        discussion: """
            Starts PROGRAM with SWIFT_BACKTRACE set so that Swift's backtracer writes a JSON \
            crash report into the crash-reports directory when it crashes (enable=yes, \
            format=json, interactive=no, output-to=DIR; any other option already in \
            SWIFT_BACKTRACE is kept). SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 \
            sent to heka are passed on to the program. When the program ends, the reports \
            waiting in the directory are sent through the configured client as fatal raven \
            events, and each is removed once delivered; then heka exits with the program's \
            status (128 + the signal's number when a signal killed it, as a shell says it).

            The directory is --crash-reports, else the raven plugin's crash_reports. A program \
            restarted by its service manager after each crash is reported once per crash.

            Examples:
              heka run --config /etc/app/heka.ini -- /usr/local/bin/app --port 8080
              heka run --udp 127.0.0.1:5565 --crash-reports /var/lib/app/crashes -- ./app
            """
    )

    @OptionGroup var source: ConfigurationOptions
    @OptionGroup var destination: DestinationOptions

    @Option(name: .customLong("crash-reports"), help: ArgumentHelp(
        "The directory for crash reports (created if missing); default: the raven plugin's crash_reports.",
        valueName: "directory"))
    var crashReports: String?

    @Argument(parsing: .postTerminator, help: ArgumentHelp(
        "The program to run and its arguments, after --.", valueName: "program"))
    var program: [String] = []

    func validate() throws {
        if program.isEmpty { throw ValidationError("give the program to run after --") }
    }

    func run() throws {
        // Before any thread starts, so that every thread leaves them to `wait()`.
        ChildProcess.blockSignals()
        var configuration = try destination.applied(to: try source.load(default: HekaConfiguration(logger: "heka-run")))
        let directory = try Self.directory(option: crashReports, configuration: &configuration)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("cannot create the crash-reports directory \(directory): \(error.localizedDescription)")
        }
        let failures = FailureLog(command: "run")
        let client = try HekaClient(configuration: configuration, errorHandler: failures.handler)
        let child: ChildProcess
        do {
            child = try ChildProcess(program: program[0], arguments: Array(program.dropFirst()),
                                     environment: RunEnvironment.entries(ProcessInfo.processInfo.environment,
                                                                         directory: directory))
        } catch {
            printError("heka run: cannot run \(program[0]): \(error)")
            client.close()
            throw ExitCode(error == .noSuchFileOrDirectory ? 127 : 126)
        }
        let termination = child.wait()
        let summary = client.sendCrashReports(in: directory)
        client.close()
        if summary != CrashReportSummary() {
            printError("heka run: \(program[0]) \(termination); crash reports: \(summary)")
        }
        throw ExitCode(termination.shellStatus)
    }

    /// The crash-reports directory: the option, else the raven plugin's setting. The option
    /// is set in the configuration's raven plugin (added when there is none), so that the
    /// client sends the reports already waiting there when it starts.
    static func directory(option: String?, configuration: inout HekaConfiguration) throws -> String {
        let index = configuration.plugins.firstIndex { $0.plugin is RavenPlugin }
        let configured = index.flatMap { (configuration.plugins[$0].plugin as? RavenPlugin)?.crashReports }
        guard let directory = option ?? configured else {
            throw ValidationError("no crash-reports directory: give --crash-reports or set crash_reports in the raven plugin's section")
        }
        guard option != nil else { return directory }
        if let index, var plugin = configuration.plugins[index].plugin as? RavenPlugin {
            plugin.crashReports = directory
            configuration.plugins[index].plugin = plugin
            configuration.plugins[index].arguments.set("crash_reports", .string(directory))
        } else {
            var arguments = ConfigurationSection(name: "raven")
            arguments.set("crash_reports", .string(directory))
            configuration.plugins.append(PluginConfiguration(RavenPlugin(crashReports: directory), arguments: arguments))
        }
        return directory
    }
}
