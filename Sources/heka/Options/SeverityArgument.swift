import ArgumentParser
import HekaClient

/// `--severity`: a severity by number (`3`) or by any name heka.ini takes (`error`, `err`,
/// …), in any case.
enum SeverityArgument {
    /// What the option takes, for its help and its error.
    static let accepted = "0–7 or a level name (\(Severity.acceptedNames))"

    /// The severity `text` names, or a usage error listing what is accepted.
    @Sendable static func parse(_ text: String) throws -> Severity {
        guard let severity = Severity(text) else { throw ValidationError("expected a severity \(accepted)") }
        return severity
    }
}
