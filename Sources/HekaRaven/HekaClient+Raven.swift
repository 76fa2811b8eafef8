import Foundation
import HekaClient

extension HekaClient {
    /// Captures the stack here and sends it as a Sentry event: heka-py-raven's
    /// `client.raven(msg)`.
    ///
    /// The message has the raven plugin's type (`stacktrace`), severity (3) and logger
    /// (default the client's), the event packed as base64(zlib(JSON)) in its payload, and the
    /// fields `msg`, `dsn` (when one is configured) and `epoch_timestamp`. The plugin's
    /// settings come from the client's `[heka_plugin_raven]` section, or are the defaults
    /// when it has none. The record is fitted under the stream's largest record (see
    /// ``RavenPlugin``). Like every send, it never throws; failures go to the error handler.
    ///
    /// - Parameters:
    ///   - message: what happened, in words; the event's message when there is no error.
    ///   - error: the error to report: its type, module and description fill the event's
    ///     exception.
    ///   - extra: more context, sanitised and limited (event `extra`).
    ///   - tags: added to the plugin's tags (event `tags`).
    /// - Returns: the event's id (32 hex digits), which is also the message's uuid.
    @discardableResult
    @inline(never)
    public func raven(_ message: String = "", error: (any Error)? = nil, extra: [String: EventValue] = [:],
                      tags: [String: String] = [:]) -> String {
        let settings = plugin(RavenPlugin.self) ?? RavenPlugin()
        let (frames, omitted) = StackCapture.capture(settings: settings)
        return RavenSender(client: self, settings: settings)
            .send(text: message, error: error, extra: extra, tags: tags, frames: frames, omitted: omitted)
    }

    /// Runs `body`; when it throws, sends the error with the stack of this call (as
    /// ``raven(_:error:extra:tags:)``) and rethrows the very same error. heka-py-raven's
    /// `capture_stack` decorator.
    @inline(never)
    public func captureStack<Result, Failure: Error>(
        _ message: String = "", extra: [String: EventValue] = [:], tags: [String: String] = [:],
        _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        do {
            return try body()
        } catch {
            raven(message, error: error, extra: extra, tags: tags)
            throw error
        }
    }

    /// The `async` form of ``captureStack(_:extra:tags:_:)-(_,_,_,()->Result)``.
    @inline(never)
    public func captureStack<Result, Failure: Error>(
        _ message: String = "", extra: [String: EventValue] = [:], tags: [String: String] = [:],
        isolation: isolated (any Actor)? = #isolation, _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        do {
            return try await body()
        } catch {
            raven(message, error: error, extra: extra, tags: tags)
            throw error
        }
    }

    /// `function`, wrapped so that an error it throws is sent (with the stack of the call)
    /// and rethrown: the decorator form of ``captureStack(_:extra:tags:_:)-(_,_,_,()->Result)``.
    ///
    /// ```swift
    /// let checkout = client.capturingStack("checkout failed", Shop.checkout)
    /// try checkout(basket)
    /// ```
    public func capturingStack<each Argument, Result, Failure: Error>(
        _ message: String = "", _ function: @escaping (repeat each Argument) throws(Failure) -> Result
    ) -> (repeat each Argument) throws(Failure) -> Result {
        { (argument: repeat each Argument) throws(Failure) -> Result in
            try self.captureStack(message) { () throws(Failure) -> Result in try function(repeat each argument) }
        }
    }
}

extension RavenPlugin {
    /// The `sdk.version` events carry.
    static let sdkVersion = "0.1.0"
}

/// Builds the event and the message, fits the record under the stream's limit and sends it.
struct RavenSender {
    let client: HekaClient
    let settings: RavenPlugin

    func send(text: String, error: (any Error)?, extra: [String: EventValue], tags: [String: String],
              frames: [StackFrame], omitted: Int) -> String {
        var message = client.message(
            type: settings.messageType, logger: settings.logger, severity: settings.severity,
            fields: fields(text: text))
        message.fields.append(Field(name: "epoch_timestamp", value: .doubles([Double(message.timestamp) / 1e9])))
        var event = SentryEvent(
            eventID: hexString(withUnsafeBytes(of: message.uuid.uuid) { Array($0) }), text: text,
            level: SentryEvent.level(for: settings.severity), timestamp: Self.timestamp(message.timestamp),
            serverName: settings.serverName ?? message.hostname, logger: message.logger, frames: frames,
            omitted: omitted > 0 && frames.count > 16 ? (after: 16, count: omitted) : nil,
            extra: extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            tags: settings.tags.merging(tags) { $1 }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        if let error {
            let name = String(reflecting: type(of: error))
            if let dot = name.firstIndex(of: "."), !name.hasPrefix("(") {
                event.errorModule = String(name[..<dot])
                event.errorType = String(name[name.index(after: dot)...])
            } else {
                event.errorType = name
            }
            event.errorValue = String(describing: error)
        }
        var budget = EventBudget(settings: settings)
        var record: [UInt8]?
        repeat {
            message.payload = SentryPayload.pack(bytes(budget.settings, event))
            record = try? client.encoder.encode(message)
            if let size = record?.count, size <= client.stream.maxRecordSize ?? Int.max { break }
        } while budget.trim(&event)
        if let record {
            client.send(message, encodedAs: record)  // over the stream's limit: refused and reported there
        } else {
            client.send(message)  // encodes again to report why it cannot be encoded
        }
        return event.eventID
    }

    /// `msg` (within the string limit), and `dsn` when one is configured.
    private func fields(text: String) -> Fields {
        var fields = [Field(name: "msg", value: .strings([Limiter(settings: settings).cut(text)]))]
        if let dsn = settings.dsn { fields.append(Field(name: "dsn", value: .strings([dsn.text]))) }
        return Fields(fields)
    }

    private func bytes(_ settings: RavenPlugin, _ event: SentryEvent) -> [UInt8] {
        var out: [UInt8] = []
        event.json(settings: settings, dsn: self.settings.dsn).write(to: &out)
        return out
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` in UTC.
    static func timestamp(_ nanoseconds: Int64) -> String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
