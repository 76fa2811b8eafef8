import FuzzSupport
import HekaRaven

// The Sentry DSN parser on any text. An accepted DSN's description must parse back to the
// same DSN with its secret (if any) masked: the secret is then nowhere in the key part,
// where it would show.

@_cdecl("FuzzDSN_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { (text: String) in
        guard let dsn = try? SentryDSN(parsing: text) else { return }
        guard let again = try? SentryDSN(parsing: dsn.description) else {
            fatalError("the description does not parse: \(dsn.description)")
        }
        guard again.publicKey == dsn.publicKey, again.host == dsn.host, again.port == dsn.port,
            again.projectID == dsn.projectID, again.path == dsn.path, again.scheme == dsn.scheme,
            again.secretKey == dsn.secretKey.map({ _ in "********" })
        else { fatalError("the description parses to another DSN: \(dsn.description)") }
    }
}
