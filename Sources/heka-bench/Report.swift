import Foundation

/// Prints results as a Markdown table (ready to paste into docs/performance.md) or as JSON.
struct Report {
    var results: [ScenarioResult]
    /// How the run was made, printed above the table.
    var header: [String: String]

    /// The Markdown table and, under it, each row's note.
    var markdown: String {
        // One line about the run, then the table: both paste into Markdown as they are.
        var lines = [header.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")]
        lines.append("")
        lines.append("| # | scenario | median | p99 | ops/s | same-run comparison | target | met | heka-py 0.30.3 |")
        lines.append("|---|---|---:|---:|---:|---|---|---|---:|")
        for result in results {
            let comparison = zip(result.ratio, result.reference).map { "\(Self.fixed($0, 2)) × \($1)" } ?? ""
            let met = result.met.map { $0 ? "yes" : "**no**" } ?? ""
            let python = result.hekaPyNanoseconds.map { python in
                Self.duration(python) + (result.medianNanoseconds.map { " (\(Self.fixed(python / $0, 0))× ours)" } ?? "")
            } ?? ""
            let cells = [
                result.id, result.name, result.medianNanoseconds.map(Self.duration) ?? "",
                result.p99Nanoseconds.map(Self.duration) ?? "", result.operationsPerSecond.map(Self.rate) ?? "",
                comparison, result.target ?? "", met, python,
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        let notes = results.compactMap { result in result.note.map { "- \(result.id): \($0)" } }
        if !notes.isEmpty {
            lines.append("")
            lines += notes
        }
        return lines.joined(separator: "\n")
    }

    /// `{"run": {…}, "scenarios": [{…}, …]}`, keys sorted.
    func json() throws -> String {
        struct Document: Encodable {
            var run: [String: String]
            var scenarios: [ScenarioResult]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Document(run: header, scenarios: results)), as: UTF8.self)
    }

    /// `412 ns`, `1.32 µs`, `4.10 ms`, `1.20 s`.
    static func duration(_ nanoseconds: Double) -> String {
        switch nanoseconds {
        case ..<1_000: "\(fixed(nanoseconds, 0)) ns"
        case ..<1_000_000: "\(fixed(nanoseconds / 1e3, nanoseconds < 10_000 ? 2 : 1)) µs"
        case ..<1_000_000_000: "\(fixed(nanoseconds / 1e6, nanoseconds < 10_000_000 ? 2 : 1)) ms"
        default: "\(fixed(nanoseconds / 1e9, 2)) s"
        }
    }

    /// `2.41 M`, `812 k`, `950`.
    static func rate(_ perSecond: Double) -> String {
        switch perSecond {
        case 1e6...: "\(fixed(perSecond / 1e6, 2)) M"
        case 1e3...: "\(fixed(perSecond / 1e3, 0)) k"
        default: fixed(perSecond, 0)
        }
    }

    static func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
}

/// Both values, when both are there.
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
