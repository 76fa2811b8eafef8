import Foundation
import HekaClient
import LoopbackSupport
import Testing

@testable import heka

/// `--sign SIGNER:VERSION:KEY[:HASH]`: where the key ends and the hash function begins.
@Suite struct SignArgumentTests {
    @Test("the last part is the hash function only when it names md5 or sha1", arguments: [
        ("ops:1:sesame", "sesame", HMACSigner.HashFunction.md5),
        ("ops:1:sesame:sha1", "sesame", .sha1),
        ("ops:1:sesame:SHA1", "sesame", .sha1),
        ("ops:1:sesame:md5", "sesame", .md5),
        ("ops:1:pass:word", "pass:word", .md5),
        ("ops:1:a:b:c", "a:b:c", .md5),
        ("ops:1:pass:word1:md5", "pass:word1", .md5),
        ("ops:1:key:sha256:sha1", "key:sha256", .sha1),
        ("ops:1:sha256", "sha256", .md5),
        ("ops:1:url:https://x:443", "url:https://x:443", .md5),
        ("ops:1:k:1234", "k:1234", .md5),
    ])
    func split(argument: String, key: String, function: HMACSigner.HashFunction) throws {
        let parsed = SigningKeyArgument(argument: argument)
        #expect(parsed.problem == nil)
        #expect(parsed.signer == (try HMACSigner(signer: "ops", keyVersion: 1, hashFunction: function, key: key)))
    }

    @Test("a last part that looks like another hash's name is refused", arguments: [
        "ops:1:sesame:sha256", "ops:1:sesame:SHA-256", "ops:1:sesame:sha3_512", "ops:1:sesame:crc32",
        "ops:1:sesame:blake2b", "ops:1:sesame:md4", "ops:1:pass:word1",
    ])
    func unknownHash(argument: String) {
        let parsed = SigningKeyArgument(argument: argument)
        #expect(parsed.signer == nil)
        #expect(parsed.problem?.contains("hekad knows only md5 and sha1") == true)
    }

    @Test("heka send --sign …:sha256 is a usage error that does not repeat the key")
    func sendRefusesSHA256() throws {
        let result = try runHeka(["send", "--udp", "127.0.0.1:9", "--sign", "ops:1:s3cr3t:sha256", "hello"])
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: --sign: the part after the last ':' looks like the name of a hash function, "
            + "and hekad knows only md5 and sha1; for a key that contains ':', end the argument with :md5 or :sha1, "
            + "as in ops:1:pass:word1:md5 (the value given is not repeated here)\n"))
        #expect(!result.stderr.contains("s3cr3t"))
    }

    @Test("heka send --sign with a key that contains ':' signs with that whole key")
    func sendKeyWithColons() throws {
        let receiver = try LoopbackUDPReceiver()
        let result = try runHeka(["send", "--udp", "127.0.0.1:\(receiver.port)", "--sign", "ops:1:a:sha256:md5", "hi"])
        #expect(result.status == 0 && result.stderr.isEmpty)
        let signer = try HMACSigner(signer: "ops", keyVersion: 1, hashFunction: .md5, key: "a:sha256")
        let events = RecordDecoder.decodeAll(try #require(receiver.receive()), keys: [signer])
        let verified = events.map { if case .record(let record) = $0 { record.verified } else { false } }
        #expect(verified == [true], "one record, verified with the key a:sha256 and MD5")
    }
}
