import ArgumentParser
import HekaClient

// Both arguments carry secrets, so a malformed one is never refused by the parser (whose
// message would repeat the text, key included); the command's validate() reports it
// without the key.

/// `--sign SIGNER:VERSION:KEY[:md5|sha1]`: the key records are signed with, as a
/// `[heka_hmac]` section would give it. The key may itself contain colons; the hash
/// function is MD5 unless the last part says `sha1`.
struct SigningKeyArgument: ExpressibleByArgument {
    /// The signer, or `nil` when the argument is malformed.
    var signer: HMACSigner?

    init(argument: String) {
        var parts = argument.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, !parts[0].isEmpty, let version = UInt32(parts[1]) else { return }
        var function = HMACSigner.HashFunction.md5
        if let colon = parts[2].lastIndex(of: ":"),
            let named = HMACSigner.HashFunction(name: parts[2][parts[2].index(after: colon)...])
        {
            function = named
            parts[2] = String(parts[2][..<colon])
        }
        guard !parts[2].isEmpty else { return }
        signer = try? HMACSigner(signer: parts[0], keyVersion: version, hashFunction: function, key: parts[2])
    }

    static var defaultCompletionKind: CompletionKind { .default }

    /// The signer, or a usage error that does not repeat the key.
    func validated() throws -> HMACSigner {
        try requireSigner(signer, "--sign takes SIGNER:VERSION:KEY[:md5|sha1], e.g. ops:1:sesame:sha1")
    }
}

/// `--key SIGNER_VERSION=KEY`: a key records are verified with, named as hekad names its
/// `[hekad.signer]` sections (`ops_2=sesame`). The hash function comes from each record.
struct VerificationKeyArgument: ExpressibleByArgument {
    /// The signer, or `nil` when the argument is malformed.
    var signer: HMACSigner?

    init(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else { return }
        let name = argument[..<equals]
        let key = argument[argument.index(after: equals)...]
        guard let underscore = name.lastIndex(of: "_"), underscore > name.startIndex,
            let version = UInt32(name[name.index(after: underscore)...])
        else { return }
        signer = try? HMACSigner(signer: String(name[..<underscore]), keyVersion: version, key: String(key))
    }

    static var defaultCompletionKind: CompletionKind { .default }

    /// The signer, or a usage error that does not repeat the key.
    func validated() throws -> HMACSigner {
        try requireSigner(signer, "--key takes SIGNER_VERSION=KEY, e.g. ops_1=sesame")
    }
}

/// `signer`, or a usage error saying what the option takes, without the value given.
private func requireSigner(_ signer: HMACSigner?, _ usage: String) throws -> HMACSigner {
    guard let signer else { throw ValidationError("\(usage) (the value given is not repeated here)") }
    return signer
}
