import HekaClient
import HekaRaven
import Logging
import Streams

extension HekaLogHandler {
    /// A factory that gives each logger a handler on `client`: for
    /// `LoggingSystem.bootstrap(_:metadataProvider:)` or `Logger(label:factory:)`.
    ///
    /// ```swift
    /// LoggingSystem.bootstrap(HekaLogHandler.factory(client: client), metadataProvider: traceIDs)
    /// ```
    public static func factory(client: HekaClient, configuration: Configuration = .default)
        -> @Sendable (String, Logger.MetadataProvider?) -> any LogHandler
    {
        { label, provider in
            HekaLogHandler(label: label, client: client, configuration: configuration, metadataProvider: provider)
        }
    }

    /// Makes every `Logger(label:)` of the program send through `client`. Like
    /// `LoggingSystem.bootstrap`, which it calls, it may be called once per process, at
    /// start-up: a second call stops the program.
    /// - Parameters:
    ///   - client: where the messages go.
    ///   - configuration: the messages' type, call-site fields and stack capture.
    ///   - metadataProvider: metadata read at each call (trace ids); default none.
    public static func bootstrap(client: HekaClient, configuration: Configuration = .default,
                                 metadataProvider: Logger.MetadataProvider? = nil) {
        LoggingSystem.bootstrap(factory(client: client, configuration: configuration),
                                metadataProvider: metadataProvider)
    }

    /// Builds a client from a heka-py INI file and makes every `Logger(label:)` of the
    /// program send through it: one line at start-up.
    ///
    /// ```swift
    /// let heka = try HekaLogHandler.bootstrap(iniFile: "heka.ini")
    /// defer { heka.close() }    // delivers what is still queued (TCP) or being captured
    /// Logger(label: "shop").info("started")
    /// ```
    ///
    /// Registers the raven plugin first (`RavenPlugin.register()`), so the file may have a
    /// `[heka_plugin_raven]` section. The client is also stored in `HekaClients.shared`
    /// under the section's `logger`, or under the section's name when `logger` is blank
    /// (its logger is left as it is), so that code elsewhere can find it. Call it once per
    /// process, as `LoggingSystem.bootstrap`.
    /// - Parameters:
    ///   - path: the INI file.
    ///   - section: the client's section; default `heka`.
    ///   - configuration: the messages' type, call-site fields and stack capture.
    ///   - metadataProvider: metadata read at each call (trace ids); default none.
    ///   - errorHandler: receives the client's send failures; default a rate-limited line
    ///     on standard error.
    /// - Returns: the client, to flush or close at shutdown.
    /// - Throws: the `ConfigurationError` of the file, naming its line, section and key;
    ///   logging is not bootstrapped then.
    @discardableResult
    public static func bootstrap(
        iniFile path: String, section: String = "heka", configuration: Configuration = .default,
        metadataProvider: Logger.MetadataProvider? = nil, errorHandler: ErrorHandler = .standardError()
    ) throws(ConfigurationError) -> HekaClient {
        RavenPlugin.register()
        let heka = try HekaConfiguration(iniFile: path, section: section)
        let client = try HekaClient(configuration: heka, errorHandler: errorHandler)
        HekaClients.shared.set(client, named: heka.logger.isEmpty ? section : heka.logger)
        bootstrap(client: client, configuration: configuration, metadataProvider: metadataProvider)
        return client
    }
}
