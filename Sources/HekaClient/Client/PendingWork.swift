import Streams

/// Messages a producer has accepted for a client but sends later, from a thread of its own
/// (the raven plugin's worker, which symbolicates new stacks off the calling thread).
///
/// A producer registers with ``HekaClient/addPendingWork(_:)``; the client's `flush` and
/// `close` then wait for it before they flush the stream, so that what was accepted before
/// them is delivered by them.
package protocol PendingWork: AnyObject, Sendable {
    /// Waits until every message accepted before the call has been handed to the client, or
    /// until `timeout` passes: then throws ``StreamError/Code/timedOut`` saying what is left.
    func finish(timeout: Duration) throws(StreamError)
}
