/// A choice that configuration names (a stream class, an encoder, a filter provider): a
/// typed kind whose raw value is this project's short name, with heka-py's Python names
/// from ``HekaPyNames``.
///
/// The readers turn the name written into the kind with ``init(configured:)``, once, at the
/// edge; everything after switches over the kind.
protocol ConfigurationChoice: RawRepresentable<String>, Hashable, Sendable {
    /// The choices a configuration may name, in the order errors list them, each with its
    /// heka-py names (the first is the one errors show).
    static var hekaPyNames: [(choice: Self, names: [String])] { get }
}

extension ConfigurationChoice {
    /// The choice `text` names: the short name in any case, or one of heka-py's names as
    /// Python spells it; surrounding space is ignored.
    init?(configured text: String) {
        let text = text.trimmingWhitespace
        let short = text.lowercased()
        guard let found = Self.hekaPyNames.first(where: { $0.choice.rawValue == short || $0.names.contains(text) })
        else { return nil }
        self = found.choice
    }

    /// "stdout (heka.streams.StdOutStream), file (…), …", for error messages.
    static var known: String {
        hekaPyNames.map { "\($0.choice.rawValue) (\($0.names[0]))" }.joined(separator: ", ")
    }
}
