import ArgumentParser
import HekaClient

// Both arguments carry secrets, so a malformed one is never refused by the parser (whose
// message would repeat the text, key included); the command's validate() reports it
// without the key.

/// `--sign SIGNER:VERSION:KEY[:HASH]`: the key records are signed with, as a `[heka_hmac]`
/// section would give it. How the argument is split:
///
/// - SIGNER is the text before the first `:`, VERSION the text before the second.
/// - The rest is KEY, unless it contains a `:` and the part after the last one names a hash:
///   `md5` or `sha1` (any case) is the hash function and the text before it the key;
///   a part that looks like another hash's name — 2 to 12 ASCII letters, digits, `-` or `_`,
///   starting with a letter and holding a digit, as `sha256`, `SHA-256` or `crc32` do — is
///   refused, since hekad knows no other; any other part belongs to the key.
/// - Without a hash the function is MD5, hekad's default. A key that contains `:` is always
///   read whole when the argument ends with `:md5` or `:sha1`: `ops:1:pass:word1:md5` signs
///   with `pass:word1`.
struct SigningKeyArgument: ExpressibleByArgument {
    /// The signer, or `nil` when the argument is malformed.
    var signer: HMACSigner?
    /// Why a malformed argument is refused, when there is more to say than the usage.
    var problem: String?

    init(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let version = UInt32(parts[1]) else { return }
        var key = parts[2]
        var function = HMACSigner.HashFunction.md5
        if let colon = key.lastIndex(of: ":") {
            let last = key[key.index(after: colon)...]
            if let named = HMACSigner.HashFunction(name: last) {
                function = named
                key = key[..<colon]
            } else if Self.looksLikeHashName(last) {
                problem = "--sign: the part after the last ':' looks like the name of a hash function, and hekad "
                    + "knows only md5 and sha1; for a key that contains ':', end the argument with :md5 or :sha1, "
                    + "as in ops:1:pass:word1:md5"
                return
            }
        }
        guard !key.isEmpty else { return }
        signer = try? HMACSigner(signer: String(parts[0]), keyVersion: version, hashFunction: function,
                                 key: String(key))
    }

    /// 2 to 12 ASCII letters, digits, `-` or `_`, starting with a letter and holding a digit.
    static func looksLikeHashName(_ text: Substring) -> Bool {
        guard (2...12).contains(text.count), let first = text.first, first.isASCII, first.isLetter,
            text.contains(where: { $0.isASCII && $0.isNumber })
        else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    static var defaultCompletionKind: CompletionKind { .default }

    /// The signer, or a usage error that does not repeat the key.
    func validated() throws -> HMACSigner {
        try requireSigner(signer, problem ?? "--sign takes SIGNER:VERSION:KEY[:md5|sha1], e.g. ops:1:sesame:sha1")
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
