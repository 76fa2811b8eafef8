import Foundation
import HekaClient
import Runtime
import Streams

/// The thread that finishes captures of stacks not seen before.
///
/// Symbolicating a new stack takes tens of milliseconds, and the first one in a process
/// about half a second (the debug information is loaded then). The calling thread only
/// walks its stack and queues the capture here; one serial worker symbolicates it (the
/// frames are then cached, so the next capture from that call path is sent at once on the
/// calling thread), builds the event and sends it through the capture's client.
///
/// The queue is bounded (``capacity`` captures). A capture that finds it full is dropped:
/// counted as failed by its client and reported to the client's error handler as
/// ``SendError/Code/dropped``. The client's `flush` and `close` wait for the captures
/// queued before them (``PendingWork``).
final class RavenWorker: PendingWork {
    /// The worker of every client in the process.
    static let shared = RavenWorker(capacity: 256)

    /// One capture waiting for its frames.
    struct Job: Sendable {
        var sender: RavenSender
        var capture: RavenSender.Capture
        var backtrace: Backtrace
    }

    private struct State: Sendable {
        var queue: [Job] = []
        /// Captures accepted, and finished, since the worker was made.
        var accepted = 0
        var finished = 0
        var started = false
        var paused: Bool
    }

    /// The most captures waiting at once.
    let capacity: Int
    private let state: ConditionLock<State>

    /// - Parameters:
    ///   - capacity: the most captures waiting at once.
    ///   - paused: when true, nothing is processed until ``resume()`` (tests fill the queue
    ///     this way).
    init(capacity: Int, paused: Bool = false) {
        self.capacity = capacity
        state = ConditionLock(State(paused: paused))
    }

    /// Queues a capture, starting the worker thread the first time; `false` (and nothing
    /// queued) when the queue is full.
    func submit(_ job: Job) -> Bool {
        let (accepted, start) = state.withLock { state -> (Bool, Bool) in
            guard state.queue.count < capacity else { return (false, false) }
            state.queue.append(job)
            state.accepted += 1
            let start = !state.started
            state.started = true
            return (true, start)
        }
        guard accepted else { return false }
        job.sender.client.addPendingWork(self)
        if start {
            let thread = Thread { [self] in run() }
            thread.name = "heka-raven"
            thread.start()
        }
        state.broadcast()
        return true
    }

    /// Lets a worker made paused start processing.
    func resume() {
        state.withLock { $0.paused = false }
        state.broadcast()
    }

    /// Waits until the captures accepted before the call are sent, or `timeout` passes.
    func finish(timeout: Duration) throws(StreamError) {
        let target = state.withLock { $0.accepted }
        let left = state.withLock(waitingUntil: { $0.finished >= target }, deadline: .after(timeout)) { state, done in
            done ? 0 : target - state.finished
        }
        guard left == 0 else {
            throw StreamError(.timedOut, "raven: \(left) captures still being symbolicated after \(timeout)")
        }
    }

    /// The worker thread: one capture at a time, for the life of the process.
    private func run() {
        while true {
            let job = state.withLock(waitingUntil: { !$0.paused && !$0.queue.isEmpty }, deadline: nil) { state, _ in
                state.queue.removeFirst()
            }
            let stack = StackCapture.stack(of: job.backtrace, settings: job.sender.settings)
            job.sender.send(job.capture, stack: stack)
            state.withLock { $0.finished += 1 }
            state.broadcast()
        }
    }
}
