import FuzzSupport
import HekaClient

// The JSON-lines decoder on any bytes. Every message it accepts must encode to a line that
// decodes to the same message.

@_cdecl("FuzzJSONLines_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { bytes in
        for case .success(let message) in JSONLinesDecoder.decodeAll(bytes) {
            guard let line = try? JSONLinesEncoder().encode(message) else { continue }
            guard case .success(let back)? = JSONLinesDecoder.decodeAll(line).first, back == message else {
                fatalError("a decoded message does not survive encoding")
            }
        }
    }
}
