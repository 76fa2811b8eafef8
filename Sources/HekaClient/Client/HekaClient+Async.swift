// `flush` and `close` block while they wait for the stream. Their async forms wait on a
// thread of their own, so an async caller never holds a thread of the cooperative pool for
// the deadline. They have their own label, `within:`, and no default: an existing
// `client.close()` in async code keeps calling the synchronous form.

import HekaPlatform

extension HekaClient {
    /// ``flush(timeout:)`` for async code: waits on a thread of its own, never blocking a
    /// thread of the cooperative pool. Returns whether everything was delivered.
    @discardableResult
    public func flush(within timeout: Duration) async -> Bool {
        await offThread("heka-flush") { $0.flush(timeout: timeout) }
    }

    /// ``close(timeout:)`` for async code: waits on a thread of its own, never blocking a
    /// thread of the cooperative pool. Returns whether everything was delivered.
    @discardableResult
    public func close(within timeout: Duration) async -> Bool {
        await offThread("heka-close") { $0.close(timeout: timeout) }
    }

    /// Runs `body` on a new detached thread and waits for its result.
    private func offThread(_ name: String, _ body: @escaping @Sendable (HekaClient) -> Bool) async -> Bool {
        await withCheckedContinuation { continuation in
            let run: @Sendable () -> Void = { continuation.resume(returning: body(self)) }
            do {
                try PlatformThread.spawn(name: name, run).detach()
            } catch {
                // No thread to be had: waiting here blocks one pooled thread for the deadline,
                // which is still better than not flushing or closing.
                run()
            }
        }
    }
}
