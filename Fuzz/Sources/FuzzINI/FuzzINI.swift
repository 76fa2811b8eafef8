import FuzzSupport
import HekaClient

// The INI reader and the configuration built from it, on any text. A configuration it
// accepts must print as INI that loads back to the same printout, and the printout must
// never contain the HMAC key.

private let environment = ["HOME": "/home/fuzz", "PORT": "5565"]

@_cdecl("FuzzINI_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { (text: String) in
        guard let configuration = try? HekaConfiguration(iniText: text, environment: environment) else { return }
        let printed = configuration.iniText()
        guard let again = try? HekaConfiguration(
            iniText: printed, section: configuration.section, environment: environment)
        else { fatalError("the printed configuration does not load:\n\(printed)") }
        guard again.iniText() == printed else { fatalError("the printed configuration changes when loaded") }
        let keyLines = printed.split(separator: "\n").filter { $0.hasPrefix("key = ") }
        guard keyLines.allSatisfy({ $0 == "key = ********" }) else { fatalError("the HMAC key is printed") }
    }
}
