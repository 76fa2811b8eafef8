import HekaClient
import Runtime
import Streams

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
    /// The calling thread only walks its stack. A call path captured before is sent before
    /// `raven` returns (tens of microseconds). A new one must first be symbolicated, which
    /// takes milliseconds (about half a second for the first in a process): it is queued
    /// and finished on a background thread, so its message may reach the stream after
    /// messages sent later; ``HekaClient/flush(timeout:)`` and ``HekaClient/close(timeout:)``
    /// wait for it. When 256 captures are already waiting, the capture is dropped, counted
    /// in ``ClientStatistics/messagesFailed`` and reported as ``SendError/Code/dropped``.
    /// When the process exits (`exit`, or `main` returning) with captures still waiting,
    /// they get up to 15 seconds more to be sent; any left then are dropped the same way.
    ///
    /// - Parameters:
    ///   - message: what happened, in words; the event's message when there is no error.
    ///   - error: the error to report: its type, module and description fill the event's
    ///     exception. When it carries the stack where it was made (a ``StackTracingError``,
    ///     such as a ``StackTracedError``, whose wrapped error is then the one reported), the
    ///     event has that stack instead of this call's.
    ///   - extra: more context, sanitised and limited (event `extra`).
    ///   - tags: added to the plugin's tags (event `tags`).
    /// - Returns: the event's id (32 hex digits), which is also the message's uuid.
    @discardableResult
    @inline(never)
    public func raven(_ message: String = "", error: (any Error)? = nil, extra: [String: EventValue] = [:],
                      tags: [String: String] = [:]) -> String {
        capture(message, error: error, extra: extra, tags: tags, worker: .shared)
    }

    /// ``raven(_:error:extra:tags:)`` with the worker that finishes new stacks.
    @inline(never)
    func capture(_ message: String, error: (any Error)?, extra: [String: EventValue], tags: [String: String],
                 worker: RavenWorker) -> String {
        let sender = RavenSender(client: self, settings: plugin(RavenPlugin.self) ?? RavenPlugin())
        // An error that carries the stack where it was made gives the event that stack.
        var reported = error
        var walked: Backtrace?
        if let error {
            let unwrapped = ThrowSite.unwrap(error)
            reported = unwrapped.reported
            walked = unwrapped.backtrace
        }
        let capture = sender.prepare(text: message, error: reported, extra: extra, tags: tags)
        if walked == nil { walked = StackCapture.backtrace() }
        guard let backtrace = walked else {
            sender.send(capture, stack: .empty)
            return capture.event.eventID
        }
        if let stack = StackCapture.cachedStack(of: backtrace, settings: sender.settings) {
            sender.send(capture, stack: stack)
        } else if !worker.submit(RavenWorker.Job(sender: sender, capture: capture, backtrace: backtrace)) {
            dropped(messageType: sender.settings.messageType, because: StreamError(
                .queueFull, "raven: \(worker.capacity) captures are waiting to be symbolicated"))
        }
        return capture.event.eventID
    }

    /// Runs `body`; when it throws, sends the error with the stack of this call (as
    /// ``raven(_:error:extra:tags:)``; the stack where the error was made when it carries
    /// one, see ``StackTracedError``) and rethrows the very same error. heka-py-raven's
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
