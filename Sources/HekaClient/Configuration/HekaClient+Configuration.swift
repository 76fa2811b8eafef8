import HekaPlatform
import Streams

extension HekaClient {
    /// A client as `configuration` describes it: opens its stream, builds its encoder
    /// (signed when it has an HMAC key), filters and plugins.
    ///
    /// - Parameters:
    ///   - configuration: what to build: the stream, encoder, filters and plugins.
    ///   - errorHandler: receives send failures, and the stream's own failures after a
    ///     write returned (``SendError/Code/streamFailed``); default a rate-limited line on
    ///     standard error.
    /// - Throws: ``ConfigurationError/Code/streamUnavailable`` when the stream cannot be
    ///   opened (a host that does not resolve, a file that cannot be created), at the key
    ///   that names it (`stream_host`, `stream_filepath`) and its file and line, or
    ///   ``ConfigurationError/Code/nameClash`` for plugins whose names clash.
    public convenience init(configuration: HekaConfiguration, errorHandler: ErrorHandler = .standardError())
        throws(ConfigurationError)
    {
        let stream: any HekaStream
        // The stream's handler needs the stream's name, known once it is made.
        let streamName = LockedValue("")
        let streamErrors = StreamErrorHandler { error in
            errorHandler.forStream(named: streamName.withLock { $0 })(error)
        }
        do {
            stream = try configuration.stream.makeStream(errorHandler: streamErrors)
            streamName.withLock { $0 = stream.description }
        } catch {
            throw configuration.stream.unavailable(error, section: configuration.section)
        }
        var plugins = PluginSet()
        for plugin in configuration.plugins {
            try plugins.bind(plugin.plugin, as: plugin.name, override: plugin.override, section: plugin.arguments)
        }
        self.init(
            stream: stream, encoder: configuration.encoder.makeEncoder(signer: configuration.hmac, for: configuration.stream),
            logger: configuration.logger, severity: configuration.severity,
            severityThreshold: configuration.severityThreshold,
            disabledTimers: Set(configuration.disabledTimers), filters: configuration.filters.map { $0.makeFilter() },
            plugins: plugins, errorHandler: errorHandler)
    }
}
