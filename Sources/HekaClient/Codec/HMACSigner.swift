import Crypto

/// An HMAC key that signs records, or verifies them when decoding.
///
/// hekad keys its signers by `<signer>_<keyVersion>` (its `[hekad.signer]` sections); the
/// HMAC covers the message bytes only, never the header. INI: the `[heka_hmac]` section with
/// `signer`, `key_version`, `hash_function` (`MD5` or `SHA1`) and `key`.
public struct HMACSigner: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The two digests hekad knows. Any other value crashes hekad 0.10, so there is no way
    /// to send one.
    public enum HashFunction: Int32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// HMAC-MD5, 16 bytes; `hmac_hash_function` 0 (the default).
        case md5 = 0
        /// HMAC-SHA1, 20 bytes; `hmac_hash_function` 1.
        case sha1 = 1

        /// The digest's length in bytes.
        public var digestSize: Int { self == .md5 ? 16 : 20 }

        public var description: String { self == .md5 ? "MD5" : "SHA1" }

        /// Reads `MD5` or `SHA1` in any case.
        public init?(name: some StringProtocol) {
            switch name.uppercased() {
            case "MD5": self = .md5
            case "SHA1": self = .sha1
            default: return nil
            }
        }
    }

    /// The signer's name (`hmac_signer`), at most 200 bytes so that the header fits.
    public let signer: String
    /// The key's version (`hmac_key_version`).
    public let keyVersion: UInt32
    /// The digest used (`hmac_hash_function`). Default: MD5.
    public let hashFunction: HashFunction
    let key: SymmetricKey
    /// The HMAC state with the key's inner and outer pads already hashed: each record
    /// starts from a copy of it, so the pads are hashed once per signer, not per record.
    private let keyed: Keyed

    private enum Keyed: Sendable {
        case md5(HMAC<Insecure.MD5>)
        case sha1(HMAC<Insecure.SHA1>)
    }

    /// Longest accepted signer name: the header's other fields take at most 55 bytes of
    /// its 255.
    public static let maximumSignerLength = 200

    /// - Throws: ``CodecError/Code/headerTooLarge`` for a signer name over 200 bytes.
    public init(signer: String, keyVersion: UInt32, hashFunction: HashFunction = .md5, key: some Sequence<UInt8>)
        throws(CodecError)
    {
        guard signer.utf8.count <= Self.maximumSignerLength else {
            throw CodecError(.headerTooLarge,
                "HMAC signer name has \(signer.utf8.count) bytes; at most \(Self.maximumSignerLength) fit a record header")
        }
        self.signer = signer
        self.keyVersion = keyVersion
        self.hashFunction = hashFunction
        self.key = SymmetricKey(data: Array(key))
        switch hashFunction {
        case .md5: keyed = .md5(HMAC(key: self.key))
        case .sha1: keyed = .sha1(HMAC(key: self.key))
        }
    }

    /// A signer whose key is the UTF-8 bytes of `key`, as heka-py and hekad take it.
    public init(signer: String, keyVersion: UInt32, hashFunction: HashFunction = .md5, key: String)
        throws(CodecError)
    {
        try self.init(signer: signer, keyVersion: keyVersion, hashFunction: hashFunction, key: Array(key.utf8))
    }

    /// hekad's name for this key: `<signer>_<keyVersion>`.
    public var keyName: String { "\(signer)_\(keyVersion)" }

    /// The digest of `message` with this key.
    func authenticationCode(for message: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: hashFunction.digestSize) { buffer, count in
            writeAuthenticationCode(for: message, to: UnsafeMutableRawBufferPointer(buffer))
            count = hashFunction.digestSize
        }
    }

    /// Writes the digest of `message` into `target`, which holds exactly
    /// ``HashFunction/digestSize`` bytes (checked in debug builds, as the copy is).
    func writeAuthenticationCode(for message: UnsafeRawBufferPointer, to target: UnsafeMutableRawBufferPointer) {
        assert(target.count == hashFunction.digestSize,
               "a \(hashFunction) digest takes \(hashFunction.digestSize) bytes, not \(target.count)")
        switch keyed {
        case .md5(var state):
            state.update(data: message)
            state.finalize().withUnsafeBytes { target.copyMemory(from: $0) }
        case .sha1(var state):
            state.update(data: message)
            state.finalize().withUnsafeBytes { target.copyMemory(from: $0) }
        }
    }

    /// Whether `code` is the digest of `message`, compared in constant time.
    func isValid(_ code: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, using function: HashFunction)
        -> Bool
    {
        switch function {
        case .md5: HMAC<Insecure.MD5>.isValidAuthenticationCode(code, authenticating: message, using: key)
        case .sha1: HMAC<Insecure.SHA1>.isValidAuthenticationCode(code, authenticating: message, using: key)
        }
    }

    /// The key never appears: `vic_1 (MD5, key ********)`.
    public var description: String { "\(keyName) (\(hashFunction), key ********)" }

    /// What `dump` and debuggers show: the key masked, the hashing state left out.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "signer": signer, "keyVersion": keyVersion, "hashFunction": hashFunction, "key": RedactionPolicy.mask,
        ])
    }

    public static func == (lhs: HMACSigner, rhs: HMACSigner) -> Bool {
        lhs.signer == rhs.signer && lhs.keyVersion == rhs.keyVersion && lhs.hashFunction == rhs.hashFunction
            && lhs.key == rhs.key
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(signer)
        hasher.combine(keyVersion)
        hasher.combine(hashFunction)
    }
}
