import Streams

/// Messages a producer has accepted for a client but sends later, from a thread of its own
/// (the raven plugin's worker, which symbolicates new stacks off the calling thread).
///
/// A producer registers with ``HekaClient/addPendingWork(_:)``; the client's `flush` and
/// `close` then wait for it before they flush the stream, so that what was accepted before
/// them is delivered by them.
package protocol PendingWork: AnyObject, Sendable {
    /// Waits until every message accepted for `client` before the call has been handed to
    /// it, or until `timeout` passes: then throws `StreamError/Code/timedOut` saying what
    /// is left. Messages of other clients accepted later are not waited for.
    func finish(for client: HekaClient, timeout: Duration) throws(StreamError)
}
