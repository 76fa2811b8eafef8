import HekaClient

// The raven calls that take `extra`, in the form for literals that hold runtime values:
// `extra: ["order": order.id, "coupon": coupon]`. Each is `@_disfavoredOverload`, so a
// literal made only of literals (and `.string(…)`-style values) still takes the
// ``EventValue`` form; a literal with a runtime value takes this one.

extension HekaClient {
    /// ``raven(_:error:extra:tags:)`` with runtime values in `extra`.
    @_disfavoredOverload
    @discardableResult
    @inline(never)
    public func raven(_ message: String = "", error: (any Error)? = nil,
                      extra: [String: any EventValueConvertible], tags: [String: String] = [:]) -> String {
        capture(message, error: error, extra: extra.mapValues(\.eventValue), tags: tags, worker: .shared)
    }

    /// ``captureStack(_:extra:tags:_:)-(_,_,_,()->Result)`` with runtime values in `extra`.
    @_disfavoredOverload
    @inline(never)
    public func captureStack<Result, Failure: Error>(
        _ message: String = "", extra: [String: any EventValueConvertible], tags: [String: String] = [:],
        _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        do {
            return try body()
        } catch {
            raven(message, error: error, extra: extra.mapValues(\.eventValue), tags: tags)
            throw error
        }
    }

    /// The `async` form of ``captureStack(_:extra:tags:_:)-(_,[String:any EventValueConvertible],_,_)``.
    @_disfavoredOverload
    @inline(never)
    public func captureStack<Result, Failure: Error>(
        _ message: String = "", extra: [String: any EventValueConvertible], tags: [String: String] = [:],
        isolation: isolated (any Actor)? = #isolation, _ body: () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        do {
            return try await body()
        } catch {
            raven(message, error: error, extra: extra.mapValues(\.eventValue), tags: tags)
            throw error
        }
    }
}
