import ArgumentParser
import HekaClient

/// A severity by number (`3`) or name (`error`, `warn`, `info`, …).
struct SeverityArgument: ExpressibleByArgument {
    var severity: Severity

    init?(argument: String) {
        guard let severity = Severity(argument) else { return nil }
        self.severity = severity
    }

    static var allValueStrings: [String] { Severity.allNamed.map(\.name) }
}
