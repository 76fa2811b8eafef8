import Foundation
import FuzzSupport
import HekaClient

// The message_matcher parser on any text; an expression it accepts is evaluated against a
// message with every kind of field.

/// Made per run, not held in a global: the leak sanitizer does not recognise a pointer
/// that Swift stores with enum tag bits (a field's values), and reports a global holding
/// one as leaked.
private func message() -> Message {
    Message(
    uuid: UUID(), timestamp: 1_464_126_660_000_000_000, type: "fuzz", logger: "fuzzer", severity: .warning,
    payload: "payload text", pid: 7, hostname: "host",
    fields: [
        Field(name: "s", value: ["a", "b"]), Field(name: "i", value: 42), Field(name: "d", value: 2.5),
        Field(name: "b", value: true), Field(name: "x", value: .bytes([[0, 1, 2]])), Field(name: "s", value: "again"),
    ])
}

@_cdecl("FuzzMatcher_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { (text: String) in
        guard let matcher = try? MessageMatcher(text) else { return }
        _ = matcher.matches(message())
    }
}
