import HekaPlatform

/// A forked child gets a stream that works: its own wake-up channel, no connection (the
/// parent's stays the parent's), no writer thread until its first write starts one, and
/// none of the parent's pending records (the parent sends those).
extension TcpWriter: ForkAwareConditionLock {
    func resetInChild(_ state: inout TcpWriterState) {
        // Closing the child's copy leaves the parent's connection open.
        if state.connection >= 0 { closeDescriptor(state.connection) }
        state.connection = -1
        state.thread = nil
        state.stopping = false
        state.queue.removeAll()
        state.inFlight = nil
        state.unacknowledged = 0
        state.statistics = StreamStatistics()
        state.recordsResent = 0
        // A byte written to the inherited pair would wake the parent's writer: the child
        // puts a pair of its own under the same numbers.
        if let (receiver, sender) = try? makeSocketPair() {
            try? duplicateDescriptor(receiver, onto: wakeReceiver)
            try? duplicateDescriptor(sender, onto: wakeSender)
            closeDescriptor(receiver)
            closeDescriptor(sender)
        }
    }
}
