import Foundation

// The calls that take fields, in the form for literals that hold runtime values:
// `fields: ["status": status, "user": user.name]`. Each is `@_disfavoredOverload`, so a
// literal made only of literals still takes the unboxed ``Fields`` form, and a literal with
// a runtime value (which ``Fields/Entry`` cannot take) takes this one. Each forwards to its
// ``Fields`` twin, which it documents.

extension HekaClient {
    /// ``message(type:logger:severity:payload:fields:timestamp:)`` with runtime values.
    @_disfavoredOverload
    public func message(type: String, logger: String? = nil, severity: Severity? = nil, payload: String = "",
                        fields: RuntimeFields, timestamp: Date? = nil) -> Message {
        message(type: type, logger: logger, severity: severity, payload: payload, fields: fields.fields,
                timestamp: timestamp)
    }

    /// ``heka(type:logger:severity:payload:fields:timestamp:)`` with runtime values.
    @_disfavoredOverload
    public func heka(type: String, logger: String? = nil, severity: Severity? = nil, payload: String = "",
                     fields: RuntimeFields, timestamp: Date? = nil) {
        // The threshold first, as the twin does: below it, the values are not even converted.
        guard isEnabled(severity ?? self.severity) else {
            heka(type: type, logger: logger, severity: severity, payload: payload, timestamp: timestamp)
            return
        }
        heka(type: type, logger: logger, severity: severity, payload: payload, fields: fields.fields,
             timestamp: timestamp)
    }

    /// ``debug(_:fields:)`` with runtime values.
    @_disfavoredOverload
    public func debug(_ line: String, fields: RuntimeFields) {
        debug(line, fields: fields.fields)
    }

    /// ``info(_:fields:)`` with runtime values.
    @_disfavoredOverload
    public func info(_ line: String, fields: RuntimeFields) {
        info(line, fields: fields.fields)
    }

    /// ``warn(_:fields:)`` with runtime values.
    @_disfavoredOverload
    public func warn(_ line: String, fields: RuntimeFields) {
        warn(line, fields: fields.fields)
    }

    /// ``error(_:fields:)`` with runtime values.
    @_disfavoredOverload
    public func error(_ line: String, fields: RuntimeFields) {
        error(line, fields: fields.fields)
    }

    /// ``critical(_:fields:)`` with runtime values.
    @_disfavoredOverload
    public func critical(_ line: String, fields: RuntimeFields) {
        critical(line, fields: fields.fields)
    }

    /// ``exception(_:message:fields:)`` with runtime values.
    @_disfavoredOverload
    public func exception(_ error: any Error, message: String? = nil,
                          fields: RuntimeFields) {
        exception(error, message: message, fields: fields.fields)
    }

    /// ``incr(_:count:rate:logger:severity:fields:)`` with runtime values.
    @_disfavoredOverload
    public func incr(_ name: String, count: Int = 1, rate: Double = 1, logger: String? = nil,
                     severity: Severity? = nil, fields: RuntimeFields) {
        incr(name, count: count, rate: rate, logger: logger, severity: severity, fields: fields.fields)
    }

    /// ``timerSend(_:elapsed:rate:logger:severity:fields:)-(_,Int,_,_,_,_)`` with runtime values.
    @_disfavoredOverload
    public func timerSend(_ name: String, elapsed milliseconds: Int, rate: Double = 1, logger: String? = nil,
                          severity: Severity? = nil, fields: RuntimeFields) {
        timerSend(name, elapsed: milliseconds, rate: rate, logger: logger, severity: severity, fields: fields.fields)
    }

    /// ``timerSend(_:elapsed:rate:logger:severity:fields:)-(_,Duration,_,_,_,_)`` with runtime values.
    @_disfavoredOverload
    public func timerSend(_ name: String, elapsed: Duration, rate: Double = 1, logger: String? = nil,
                          severity: Severity? = nil, fields: RuntimeFields) {
        timerSend(name, elapsed: elapsed, rate: rate, logger: logger, severity: severity, fields: fields.fields)
    }

    /// ``timer(_:rate:logger:severity:fields:_:)`` with runtime values.
    @_disfavoredOverload
    @discardableResult
    public func timer<Result, Failure: Error>(
        _ name: String, rate: Double = 1, logger: String? = nil, severity: Severity? = nil,
        fields: RuntimeFields, _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try timer(name, rate: rate, logger: logger, severity: severity, fields: fields.fields, body)
    }

    /// ``timer(_:rate:logger:severity:fields:isolation:_:)`` with runtime values.
    @_disfavoredOverload
    @discardableResult
    public func timer<Result, Failure: Error>(
        _ name: String, rate: Double = 1, logger: String? = nil, severity: Severity? = nil,
        fields: RuntimeFields, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        try await timer(name, rate: rate, logger: logger, severity: severity, fields: fields.fields,
                        isolation: isolation, body)
    }

    /// ``gauge(_:_:rate:logger:severity:fields:)-(_,Double,_,_,_,_)`` with runtime values.
    @_disfavoredOverload
    public func gauge(_ name: String, _ value: Double, rate: Double = 1, logger: String? = nil,
                      severity: Severity? = nil, fields: RuntimeFields) {
        gauge(name, value, rate: rate, logger: logger, severity: severity, fields: fields.fields)
    }

    /// ``gauge(_:_:rate:logger:severity:fields:)-(_,BinaryInteger,_,_,_,_)`` with runtime values.
    @_disfavoredOverload
    public func gauge(_ name: String, _ value: some BinaryInteger, rate: Double = 1, logger: String? = nil,
                      severity: Severity? = nil, fields: RuntimeFields) {
        gauge(name, value, rate: rate, logger: logger, severity: severity, fields: fields.fields)
    }
}
