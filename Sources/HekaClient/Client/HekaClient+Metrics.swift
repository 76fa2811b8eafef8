// heka-py's metrics calls. Their messages are what hekad's StatFilter reads: the metric's
// name in the field `name`, the amount in the payload, and the sample `rate` (DOUBLE), in
// the field order heka-py 0.30.3 produced (your fields, then `rate`, then `name`).

import HekaPlatform

extension HekaClient {
    /// Sends a `counter` message: payload `count`, fields `rate` and `name`.
    ///
    /// With `rate` below 1 the call is sampled: it is sent with probability `rate`, which
    /// travels in the `rate` field for receivers that scale by it (hekad's StatFilter
    /// ignores it and sums the payloads it gets). Skipped calls are counted in
    /// ``ClientStatistics/messagesSkipped``.
    public func incr(_ name: String, count: Int = 1, rate: Double = 1, logger: String? = nil,
                     severity: Severity? = nil, fields: Fields = Fields()) {
        guard sampled(rate) else { return }
        metric("counter", name, String(count), rate, logger, severity, fields)
    }

    /// Sends a `timer` message for a time you measured: payload the whole milliseconds,
    /// fields `rate` and `name`. Like heka-py's `timer_send`, it does not sample (`rate` is
    /// passed on as information), but a disabled timer sends nothing.
    public func timerSend(_ name: String, elapsed milliseconds: Int, rate: Double = 1, logger: String? = nil,
                          severity: Severity? = nil, fields: Fields = Fields()) {
        guard !isTimerDisabled(name) else {
            counters.skipped.add(1, ordering: .relaxed)
            return
        }
        metric("timer", name, String(milliseconds), rate, logger, severity, fields)
    }

    /// ``timerSend(_:elapsed:rate:logger:severity:fields:)`` for a `Duration`, rounded to
    /// whole milliseconds.
    public func timerSend(_ name: String, elapsed: Duration, rate: Double = 1, logger: String? = nil,
                          severity: Severity? = nil, fields: Fields = Fields()) {
        timerSend(name, elapsed: Self.wholeMilliseconds(elapsed), rate: rate, logger: logger, severity: severity,
                  fields: fields)
    }

    /// Times `body` and sends a `timer` message when it returns or throws; returns what it
    /// returns and rethrows what it throws. A disabled timer (or one skipped by `rate`) runs
    /// `body` and sends nothing.
    @discardableResult
    public func timer<Result, Failure: Error>(
        _ name: String, rate: Double = 1, logger: String? = nil, severity: Severity? = nil,
        fields: Fields = Fields(), _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        guard timerIsActive(name, rate) else { return try body() }
        let start = ContinuousClock.now
        defer { timerSend(name, elapsed: .now - start, rate: rate, logger: logger, severity: severity, fields: fields) }
        return try body()
    }

    /// Times an async `body`, as the synchronous `timer(_:rate:logger:severity:fields:_:)` does.
    ///
    /// `body` runs in the caller's isolation (`isolation`, given by the compiler), so the
    /// timer can be called from `@MainActor` or actor code with a body that touches its state.
    @discardableResult
    public func timer<Result, Failure: Error>(
        _ name: String, rate: Double = 1, logger: String? = nil, severity: Severity? = nil,
        fields: Fields = Fields(), isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        guard timerIsActive(name, rate) else { return try await body() }
        let start = ContinuousClock.now
        defer { timerSend(name, elapsed: .now - start, rate: rate, logger: logger, severity: severity, fields: fields) }
        return try await body()
    }

    /// Sends a `gauge` message: payload the current value, fields `rate` and `name`.
    /// Sampled like ``incr(_:count:rate:logger:severity:fields:)``.
    public func gauge(_ name: String, _ value: Double, rate: Double = 1, logger: String? = nil,
                      severity: Severity? = nil, fields: Fields = Fields()) {
        guard sampled(rate) else { return }
        metric("gauge", name, value.description, rate, logger, severity, fields)
    }

    /// A gauge of a whole number; the payload has no decimal point.
    public func gauge(_ name: String, _ value: some BinaryInteger, rate: Double = 1, logger: String? = nil,
                      severity: Severity? = nil, fields: Fields = Fields()) {
        guard sampled(rate) else { return }
        metric("gauge", name, String(value), rate, logger, severity, fields)
    }

    /// Whether timers named `name` send nothing (`disabled_timers` lists it, or `*`).
    public func isTimerDisabled(_ name: String) -> Bool {
        !disabledTimers.isEmpty && (disabledTimers.contains(name) || disabledTimers.contains("*"))
    }

    private func timerIsActive(_ name: String, _ rate: Double) -> Bool {
        guard !isTimerDisabled(name) else {
            counters.skipped.add(1, ordering: .relaxed)
            return false
        }
        return sampled(rate)
    }

    private func sampled(_ rate: Double) -> Bool {
        guard rate < 1 else { return true }
        if Double.random(in: 0..<1) < rate { return true }
        counters.skipped.add(1, ordering: .relaxed)
        return false
    }

    private func metric(_ type: String, _ name: String, _ payload: String, _ rate: Double, _ logger: String?,
                        _ severity: Severity?, _ fields: Fields) {
        var all = fields.fields
        all.reserveCapacity(all.count + 2)  // one allocation, not one per append
        all.append(Field(name: "rate", value: FieldValue(rate)))
        all.append(Field(name: "name", value: FieldValue(name)))
        heka(type: type, logger: logger, severity: severity, payload: payload, fields: Fields(all))
    }

    /// heka-py rounds the elapsed time to the nearest millisecond.
    static func wholeMilliseconds(_ duration: Duration) -> Int {
        Int(duration.roundedMilliseconds)
    }
}
