import HekaPlatform

/// Nanoseconds on the monotonic clock.
func monotonicNanoseconds() -> UInt64 {
    UInt64(MonotonicInstant.now().nanoseconds)
}

/// How long to warm up and how many timed batches to take.
///
/// Each scenario's operation is first run in growing batches until one batch lasts
/// ``batchNanoseconds`` (that is also its warm-up); then ``batches`` batches of that size
/// are timed, each giving one sample: the batch's time divided by its operations. The
/// median of the samples is robust against the odd batch that a busy machine slows down.
struct Timing: Sendable {
    /// Timed batches per scenario.
    var batches: Int
    /// The length one batch is sized to.
    var batchNanoseconds: UInt64
    /// The least time spent running the operation before timing starts.
    var warmUpNanoseconds: UInt64

    static let full = Timing(batches: 41, batchNanoseconds: 10_000_000, warmUpNanoseconds: 200_000_000)
    static let quick = Timing(batches: 11, batchNanoseconds: 2_000_000, warmUpNanoseconds: 20_000_000)

    /// Samples (ns per operation) of each of `operations`, timed in alternating batches so
    /// that a change in the machine's load affects them all alike. `operation(n)` runs the
    /// operation `n` times.
    func interleaved(_ operations: [(Int) -> Void]) -> [Samples] {
        let sizes = operations.map(batchSize)
        var samples = Array(repeating: Samples(), count: operations.count)
        for _ in 0..<batches {
            for (index, operation) in operations.enumerated() {
                let start = monotonicNanoseconds()
                operation(sizes[index])
                let elapsed = monotonicNanoseconds() - start
                samples[index].append(Double(elapsed) / Double(sizes[index]))
            }
        }
        return samples
    }

    /// Samples (ns per operation) of one operation; see ``interleaved(_:)``.
    func perOperation(_ operation: (Int) -> Void) -> Samples {
        withoutActuallyEscaping(operation) { interleaved([$0])[0] }
    }

    /// Runs the operation in doubling batches until a batch lasts a batch's length and the
    /// warm-up time has passed; returns the batch size found.
    private func batchSize(_ operation: (Int) -> Void) -> Int {
        let warmUpEnd = monotonicNanoseconds() + warmUpNanoseconds
        var size = 1
        while true {
            let start = monotonicNanoseconds()
            operation(size)
            let now = monotonicNanoseconds()
            if now - start >= batchNanoseconds {
                if now >= warmUpEnd { return size }
            } else {
                size *= 2
            }
        }
    }
}

/// Measured values, in the order taken.
struct Samples: Sendable {
    private(set) var values: [Double] = []

    init(_ values: [Double] = []) { self.values = values }

    mutating func append(_ value: Double) { values.append(value) }

    var median: Double { percentile(50) }

    /// The value below which `percent` of the samples lie (nearest rank).
    func percentile(_ percent: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((percent / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// Keeps a value alive so that the optimiser cannot drop the work that made it.
@inline(never) @_optimize(none)
func keep<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
