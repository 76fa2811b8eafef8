import HekaPlatform

/// A forked child gets a stream that works: the same descriptor, no writer thread until its
/// first write starts one, and none of the parent's queued records (the parent writes those).
extension DescriptorWriter: ForkAwareConditionLock {
    func resetInChild(_ state: inout DescriptorWriterState) {
        state.thread = nil
        state.threadRunning = false
        state.stopping = false
        state.queue.removeAll()
        state.inFlight = 0
        state.flushWaiters = 0
        state.failedSinceFlush = 0
        state.lastFailure = nil
        state.statistics = StreamStatistics()
    }
}
