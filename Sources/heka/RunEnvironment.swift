/// The `SWIFT_BACKTRACE` value `heka run` gives its program: the user's own options, with
/// the four that make the backtracer write a JSON report into the directory set over them.
enum RunEnvironment {
    /// The options `heka run` needs, in the order they are written.
    static func required(directory: String) -> [(key: String, value: String)] {
        [("enable", "yes"), ("format", "json"), ("interactive", "no"), ("output-to", directory)]
    }

    /// `existing` (a comma-separated list of `key=value`, as the runtime reads it) with the
    /// required options set: each replaces the user's value for its key, every other option
    /// (`limit`, `threads`, `swift-backtrace`, …) is kept as it was.
    static func backtraceOptions(existing: String?, directory: String) -> String {
        let required = required(directory: directory)
        let kept = (existing ?? "").split(separator: ",").map(String.init).filter { option in
            let key = option.split(separator: "=", maxSplits: 1).first.map(String.init) ?? option
            return !option.isEmpty && !required.contains { $0.key == key }
        }
        return (kept + required.map { "\($0.key)=\($0.value)" }).joined(separator: ",")
    }

    /// `environment` with `SWIFT_BACKTRACE` set for `directory`, as `NAME=value` entries.
    static func entries(_ environment: [String: String], directory: String) -> [String] {
        var environment = environment
        environment["SWIFT_BACKTRACE"] = backtraceOptions(existing: environment["SWIFT_BACKTRACE"], directory: directory)
        return environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
