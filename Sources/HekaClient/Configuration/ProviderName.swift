/// A choice named in configuration (a stream class, encoder, filter provider), with the
/// names an INI file or dictionary may use for it: this project's short name, and heka-py's
/// Python dotted names so that heka-py files load unchanged.
struct ProviderName: Sendable {
    /// This project's name, used when printing a configuration.
    let name: String
    /// Other accepted spellings, matched exactly (Python names are case-sensitive).
    let aliases: [String]

    /// Whether `text` names this choice: the short name in any case, or an alias.
    func matches(_ text: String) -> Bool {
        text.lowercased() == name || aliases.contains(text)
    }

    /// The choice in `choices` that `text` names.
    static func find(_ text: String, in choices: [ProviderName]) -> ProviderName? {
        let text = text.trimmingWhitespace
        return choices.first { $0.matches(text) }
    }

    /// "one of: udp (heka.streams.UdpStream), …", for error messages.
    static func list(_ choices: [ProviderName]) -> String {
        choices.map { "\($0.name) (\($0.aliases[0]))" }.joined(separator: ", ")
    }
}
