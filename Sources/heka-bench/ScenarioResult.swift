import Foundation

/// One row of the report: what a scenario measured, and what it is held against.
struct ScenarioResult: Sendable, Encodable {
    /// The scenario's number in the issue (`4`, `6b`), or a name for a reference row.
    var id: String
    /// What was measured.
    var name: String
    /// Median nanoseconds per operation.
    var medianNanoseconds: Double?
    /// 99th percentile, where single operations were timed.
    var p99Nanoseconds: Double?
    /// Operations per second at the median.
    var operationsPerSecond: Double? { medianNanoseconds.map { 1e9 / $0 } }
    /// The row measured in the same run that ``ratio`` compares with.
    var reference: String?
    /// This row's rate (or throughput) divided by the reference's.
    var ratio: Double?
    /// The target, in words (`≤ 300 ns`).
    var target: String?
    /// Whether the target is met; `nil` without a target.
    var met: Bool?
    /// heka-py 0.30.3's figure for the same call, in nanoseconds.
    var hekaPyNanoseconds: Double?
    /// Anything else measured (sizes, counts).
    var note: String?

    private enum CodingKeys: String, CodingKey {
        case id, name, medianNanoseconds = "median_ns", p99Nanoseconds = "p99_ns",
             operationsPerSecond = "ops_per_s", reference, ratio, target, met, hekaPyNanoseconds = "heka_py_ns", note
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(medianNanoseconds.map(Self.rounded), forKey: .medianNanoseconds)
        try container.encodeIfPresent(p99Nanoseconds.map(Self.rounded), forKey: .p99Nanoseconds)
        try container.encodeIfPresent(operationsPerSecond.map { $0.rounded() }, forKey: .operationsPerSecond)
        try container.encodeIfPresent(reference, forKey: .reference)
        try container.encodeIfPresent(ratio.map(Self.rounded), forKey: .ratio)
        try container.encodeIfPresent(target, forKey: .target)
        try container.encodeIfPresent(met, forKey: .met)
        try container.encodeIfPresent(hekaPyNanoseconds, forKey: .hekaPyNanoseconds)
        try container.encodeIfPresent(note, forKey: .note)
    }

    /// Three significant digits are all a shared machine can tell.
    private static func rounded(_ value: Double) -> Double {
        guard value.isFinite, value != 0 else { return value }
        let scale = Foundation.pow(10, 2 - Foundation.floor(Foundation.log10(Swift.abs(value))))
        return (value * scale).rounded() / scale
    }
}
