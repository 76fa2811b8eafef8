import Foundation
import HekaPlatform
import Streams

/// Builds Heka messages, filters them, encodes them and writes them to a stream.
///
/// ```swift
/// let client = HekaClient(stream: try UdpStream(host: "127.0.0.1", port: 5565), logger: "myapp")
/// client.heka(type: "request", payload: "GET /", fields: ["status": 200, "ms": 12.5])
/// client.incr("requests")
/// client.error("disk \(disk) is \(percent)% full")
/// ```
///
/// A client is safe to use from any number of threads; each thread's messages reach the
/// stream in the order it sent them. Sending never throws and never crashes the caller:
/// a message that cannot be encoded or written is counted (``statistics``) and handed to
/// the ``ErrorHandler`` (by default one line on standard error, rate limited).
///
/// The client never changes its stream: several clients may share one. What the stream finds
/// after a write returned (a TCP writer losing its connection) goes to the
/// `StreamErrorHandler` the stream was made with; a client built from a configuration
/// makes its stream with one that hands those errors to the client's ``ErrorHandler``.
public final class HekaClient: Sendable {
    /// Where records go.
    public let stream: any HekaStream
    /// How messages become records.
    public let encoder: any MessageEncoder
    /// The default `logger` of messages (INI `logger`; default `""`).
    public let logger: String
    /// The default severity of messages (INI `severity`; default 6, informational).
    public let severity: Severity
    /// The least severe messages the client sends (INI `severity_threshold`; default 7,
    /// debug: every message). A message less severe than this (a larger number) is dropped
    /// before it is built and counted in ``ClientStatistics/messagesFiltered``; a swift-log
    /// handler on the client starts from the same threshold.
    public let severityThreshold: Severity
    /// Timer names whose timers send nothing; `*` disables all (INI `disabled_timers`).
    public let disabledTimers: Set<String>
    /// Applied in order before encoding; the first that refuses drops the message.
    public let filters: [MessageFilter]
    /// Receives every failure.
    public let errorHandler: ErrorHandler
    /// The plugins bound to this client (INI `[heka_plugin_*]` sections).
    public let plugins: PluginSet
    let counters = ClientCounters()
    /// Producers that send this client's messages later (see ``PendingWork``), by identity.
    private let pendingWork = ForkSafeValue<[ObjectIdentifier: any PendingWork]>([:])

    /// - Parameters:
    ///   - stream: where records go.
    ///   - encoder: how messages become records; default ``ProtobufEncoder``, Heka's framed
    ///     protobuf. (A configuration chooses ``JSONLinesEncoder`` for standard output.)
    ///   - logger: the default `logger` of messages.
    ///   - severity: the default severity.
    ///   - severityThreshold: the least severe messages sent; default `.debug`, all.
    ///   - disabledTimers: timer names that send nothing; `*` disables every timer.
    ///   - filters: applied in order.
    ///   - plugins: the plugins bound to the client.
    ///   - errorHandler: receives failures; default: a line on standard error, at most one
    ///     per second. The stream's own background failures go to the handler the stream was
    ///     made with.
    public init(
        stream: any HekaStream, encoder: any MessageEncoder = ProtobufEncoder(), logger: String = "",
        severity: Severity = .informational, severityThreshold: Severity = .debug,
        disabledTimers: Set<String> = [], filters: [MessageFilter] = [],
        plugins: PluginSet = PluginSet(), errorHandler: ErrorHandler = .standardError()
    ) {
        self.stream = stream
        self.encoder = encoder
        self.logger = logger
        self.severity = severity
        self.severityThreshold = severityThreshold
        self.disabledTimers = disabledTimers
        self.filters = filters
        self.plugins = plugins
        self.errorHandler = errorHandler
        for name in plugins.names { plugins[name]?.started(with: self) }
    }

    /// What the client and its stream have done so far.
    public var statistics: ClientStatistics { counters.snapshot(stream: stream.statistics, errorHandler: errorHandler) }

    /// A message with this client's defaults and a fresh uuid, the current time, the pid and
    /// the host name filled in; nothing is sent.
    public func message(
        type: String, logger: String? = nil, severity: Severity? = nil, payload: String = "",
        fields: Fields = Fields(), timestamp: Date? = nil
    ) -> Message {
        Message(
            uuid: ProcessIdentity.randomUUID(),
            timestamp: timestamp.map { Int64(($0.timeIntervalSince1970 * 1e9).rounded()) } ?? ProcessIdentity.now(),
            type: type, logger: logger ?? self.logger, severity: severity ?? self.severity, payload: payload,
            envVersion: Message.defaultEnvVersion, pid: ProcessIdentity.pid, hostname: ProcessIdentity.hostname,
            fields: fields.fields)
    }

    /// Sends one message: heka-py's `heka()`.
    /// - Parameters:
    ///   - type: what kind of message (`request`, `audit`, …).
    ///   - logger: overrides the client's logger.
    ///   - severity: overrides the client's severity.
    ///   - payload: free text.
    ///   - fields: typed fields; nested dictionaries flatten to dotted names.
    ///   - timestamp: the message's time; default now.
    public func heka(
        type: String, logger: String? = nil, severity: Severity? = nil, payload: String = "",
        fields: Fields = Fields(), timestamp: Date? = nil
    ) {
        // The threshold is checked before the message is built; `deliver` runs the filters.
        guard isEnabled(severity ?? self.severity) else {
            counters.filtered.add(1, ordering: .relaxed)
            return
        }
        deliver(message(type: type, logger: logger, severity: severity, payload: payload, fields: fields,
                        timestamp: timestamp))
    }

    /// Checks the threshold, then filters, encodes and writes a complete message as it is:
    /// heka-py's `send_message()`.
    public func send(_ message: Message) {
        guard passesThreshold(message) else { return }
        deliver(message)
    }

    /// Filters, encodes and writes a message that passed the threshold.
    private func deliver(_ message: Message) {
        guard passesFilters(message) else { return }
        let record: [UInt8]
        do {
            record = try encoder.encode(message)
        } catch {
            fail(.encodingFailed, message.type, error)
            return
        }
        write(record, of: message)
    }

    /// Filters `message` and writes `record`, its encoding by ``encoder``, for a producer
    /// that has already encoded it (to measure it) and should not encode it twice.
    package func send(_ message: Message, encodedAs record: [UInt8]) {
        guard passesThreshold(message), passesFilters(message) else { return }
        write(record, of: message)
    }

    /// Whether a message of `severity` passes ``severityThreshold``: check it before building
    /// an expensive message.
    @inline(__always)
    public func isEnabled(_ severity: Severity) -> Bool {
        severity.rawValue <= severityThreshold.rawValue
    }

    /// Whether `message` passes ``severityThreshold``; counts it as filtered when not.
    private func passesThreshold(_ message: Message) -> Bool {
        guard isEnabled(message.severity) else {
            counters.filtered.add(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Whether every filter accepts `message`; counts it when one refuses.
    private func passesFilters(_ message: Message) -> Bool {
        for filter in filters where !filter.accepts(message) {
            counters.filtered.add(1, ordering: .relaxed)
            return false
        }
        return true
    }

    private func write(_ record: [UInt8], of message: Message) {
        do {
            try stream.write(record)
            counters.sent.add(1, ordering: .relaxed)
        } catch {
            fail(.writeFailed, message.type, error)
        }
    }

    /// Waits until every message sent so far has been handed on by the stream, or `timeout`
    /// passes (a failure is reported, not thrown). Messages still being finished in the
    /// background (a `raven()` capture of a stack not seen before) are waited for first.
    /// Returns whether everything was delivered.
    @discardableResult
    public func flush(timeout: Duration = .seconds(5)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        let finished = finishPendingWork(timeout: timeout)
        return reporting { () throws(StreamError) in try stream.flush(timeout: deadline - .now) } && finished
    }

    /// Finishes the messages still being made in the background and flushes within
    /// `timeout`, then closes the stream; what could not be delivered by then is counted and
    /// reported. Returns whether everything was delivered.
    @discardableResult
    public func close(timeout: Duration = .seconds(5)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        let finished = finishPendingWork(timeout: timeout)
        return reporting { () throws(StreamError) in try stream.close(timeout: deadline - .now) } && finished
    }

    /// Registers a producer that sends this client's messages from a thread of its own, so
    /// that ``flush(timeout:)`` and ``close(timeout:)`` wait for it. Registering twice is
    /// harmless.
    package func addPendingWork(_ work: any PendingWork) {
        pendingWork.withLock { $0[ObjectIdentifier(work)] = work }
    }

    /// Counts and reports a message a background producer had to drop.
    package func dropped(messageType: String, because reason: StreamError) {
        fail(.dropped, messageType, reason)
    }

    private func finishPendingWork(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        let producers = pendingWork.withLock { Array($0.values) }
        var finished = true
        for work in producers {
            finished = reporting { () throws(StreamError) in try work.finish(for: self, timeout: deadline - .now) } && finished
        }
        return finished
    }

    /// Runs a stream operation; a failure goes to the error handler, not to the caller.
    private func reporting(_ operation: () throws(StreamError) -> Void) -> Bool {
        do {
            try operation()
            return true
        } catch {
            errorHandler(SendError(code: .flushFailed, messageType: nil, stream: stream.description, underlying: error))
            return false
        }
    }

    private func fail(_ code: SendError.Code, _ type: String, _ error: any Error & Sendable) {
        counters.failed.add(1, ordering: .relaxed)
        errorHandler(SendError(code: code, messageType: type, stream: stream.description, underlying: error))
    }
}
