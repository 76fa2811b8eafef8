import DequeModule
import HekaClient
import HekaPlatform
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
/// ``SendError/Code/dropped``. A client's `flush` and `close` wait for that client's
/// captures queued before them (``PendingWork``), and so for the captures of other clients
/// queued ahead of those (the queue is served in order), but not for any queued later.
///
/// When the process exits (`exit`, or `main` returning), the shared worker is given up to
/// 15 seconds (``exitTimeout``) to send what is still queued, such as a first capture that
/// outlasted a `flush`; what is left then is counted and reported as dropped.
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
        var queue = Deque<(job: Job, ticket: Int)>()
        /// Captures accepted, and finished, since the worker was made: a capture's ticket is
        /// the number of captures accepted before it, plus one.
        var accepted = 0
        var finished = 0
        /// The ticket of each client's last capture not finished yet.
        var lastTicket: [ObjectIdentifier: Int] = [:]
        var started = false
        var paused: Bool
        /// The capture being symbolicated.
        var current: Job?
        /// Set when the process exits (``finishAtExit(timeout:)``): nothing more is accepted
        /// or sent.
        var abandoned = false
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
        ForkHandlers.register(self)
    }

    /// Queues a capture, starting the worker thread the first time; `false` (and nothing
    /// queued) when the queue is full.
    func submit(_ job: Job) -> Bool {
        let (accepted, start) = state.withLock { state -> (Bool, Bool) in
            guard state.queue.count < capacity, !state.abandoned else { return (false, false) }
            state.accepted += 1
            state.queue.append((job, state.accepted))
            state.lastTicket[ObjectIdentifier(job.sender.client)] = state.accepted
            let start = !state.started
            state.started = true
            return (true, start)
        }
        guard accepted else { return false }
        job.sender.client.addPendingWork(self)
        if start && self === Self.shared { _ = Self.exitHandlerInstalled }
        if start && !startThread() {
            // Queued still: the next capture tries to start the thread again.
            state.withLock { $0.started = false }
        }
        state.broadcast()
        return true
    }

    /// Starts the worker thread, detached (a pthread of the platform's, not Foundation's
    /// `Thread`, whose locks a forked child may find held); `false` when none can be had.
    private func startThread() -> Bool {
        do {
            try PlatformThread.spawn(name: "heka-raven") { [self] in run() }.detach()
            return true
        } catch {
            return false
        }
    }

    /// Lets a worker made paused start processing.
    func resume() {
        state.withLock { $0.paused = false }
        state.broadcast()
    }

    /// Waits until the captures of `client` accepted before the call are sent, or `timeout`
    /// passes.
    func finish(for client: HekaClient, timeout: Duration) throws(StreamError) {
        let target = state.withLock { $0.lastTicket[ObjectIdentifier(client)] ?? 0 }
        let left = state.withLock(waitingUntil: { $0.finished >= target }, deadline: .after(timeout)) { state, done in
            done ? 0 : target - state.finished
        }
        guard left == 0 else {
            throw StreamError(
                .timedOut,
                "raven: \(left) captures (this client's, and those queued before them) still being symbolicated after \(timeout.millisecondsText)")
        }
    }

    /// The worker thread: one capture at a time, for the life of the process.
    private func run() {
        while true {
            let (job, ticket) = state.withLock(waitingUntil: { !$0.paused && !$0.queue.isEmpty }, deadline: nil) {
                state, _ in
                let next = state.queue.removeFirst()
                state.current = next.job
                return next
            }
            let stack = StackCapture.stack(of: job.backtrace, settings: job.sender.settings)
            // Counted as dropped already when the process began to exit meanwhile.
            let keep = state.withLock { state in
                state.current = nil
                return !state.abandoned
            }
            if keep { job.sender.send(job.capture, stack: stack) }
            state.withLock { state in
                state.finished = ticket
                let client = ObjectIdentifier(job.sender.client)
                if state.lastTicket[client] == ticket { state.lastTicket[client] = nil }
            }
            state.broadcast()
        }
    }

    /// How long the exit handler waits for the captures still queued.
    static let exitTimeout = Duration.seconds(15)

    /// Installs, once, the handler that makes the shared worker finish its captures when
    /// the process exits (``finishAtExit(timeout:)``): a first capture can take longer to
    /// symbolicate than a `flush` waits, and would otherwise be lost without a word.
    private static let exitHandlerInstalled: Bool = {
        ProcessServices.atExit { _ = RavenWorker.shared.finishAtExit(timeout: RavenWorker.exitTimeout) }
    }()

    /// Waits up to `timeout` for every capture queued so far to be sent; then gives up on the
    /// rest, counting each as failed by its client and reporting it as
    /// ``SendError/Code/dropped``. Nothing is accepted or sent afterwards. Returns how many
    /// were dropped.
    ///
    /// Made for the exit handler, which runs on the exiting thread while the worker still
    /// runs: every wait is bounded, and no lock is held while waiting or reporting.
    func finishAtExit(timeout: Duration) -> Int {
        let target = state.withLock { $0.accepted }
        let dropped = state.withLock(waitingUntil: { $0.finished >= target }, deadline: .after(timeout)) {
            state, _ -> [Job] in
            state.abandoned = true
            let left = (state.current.map { [$0] } ?? []) + state.queue.map(\.job)
            state.queue.removeAll()
            state.current = nil
            state.finished = state.accepted
            state.lastTicket.removeAll()
            return left
        }
        state.broadcast()
        for job in dropped {
            job.sender.client.dropped(messageType: job.sender.settings.messageType, because: StreamError(
                .timedOut, "raven: the process exited while the capture was still being symbolicated (waited \(timeout.millisecondsText))"))
        }
        return dropped.count
    }
}

/// A forked child gets a worker that starts its thread at its first capture. The captures
/// queued in the parent stay the parent's: the child neither sends nor waits for them.
extension RavenWorker: ForkAware {
    func prepareForFork() {
        state.lockForFork()
    }

    func resumeInParent() {
        state.unlockAfterFork()
    }

    func resumeInChild() {
        state.reinitializeAfterFork()
        var child = state.unguardedState
        child.queue.removeAll()
        child.current = nil
        child.finished = child.accepted
        child.lastTicket.removeAll()
        child.started = false
        state.unguardedState = child
    }
}
