import FuzzSupport
import HekaClient

// The record decoder (framing, header, protobuf, HMAC) on any bytes. Besides not crashing:
// the events must not depend on how the input is cut into pieces, and every message decoded
// must encode and decode back to itself.

@_cdecl("FuzzRecordDecoder_main")
func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv) { bytes in
        // Made per run, not held in a global: the leak sanitizer does not recognise a
        // pointer that Swift stores with enum tag bits (the SHA1 signer's digest state), and
        // reported the global holding it as leaked. Per run, a real leak is still caught.
        let keys = [
            try! HMACSigner(signer: "fuzz", keyVersion: 1, hashFunction: .md5, key: "key"),
            try! HMACSigner(signer: "fuzz", keyVersion: 2, hashFunction: .sha1, key: "other key"),
        ]
        for verifying in [nil, keys] {
            let whole = RecordDecoder.decodeAll(bytes, keys: verifying)
            guard decodeInPieces(bytes, keys: verifying) == whole else {
                fatalError("decoding in pieces differs from decoding the whole")
            }
            for case .record(let record) in whole {
                guard let again = try? ProtobufEncoder().encode(record.message) else { continue }
                guard case .record(let back)? = RecordDecoder.decodeAll(again).first, back.message == record.message
                else { fatalError("a decoded message does not survive encoding") }
            }
        }
    }
}

/// The events of `bytes` fed in pieces whose sizes come from the input itself.
private func decodeInPieces(_ bytes: [UInt8], keys: [HMACSigner]?) -> [RecordDecoder.Event] {
    var decoder = RecordDecoder(keys: keys)
    var events: [RecordDecoder.Event] = []
    var offset = 0
    var step = 0
    while offset < bytes.count {
        let length = max(1, Int(bytes[step % bytes.count]) % 97)
        decoder.append(bytes[offset..<min(bytes.count, offset + length)])
        while let event = decoder.next() { events.append(event) }
        offset += length
        step += 1
    }
    if let tail = decoder.finish() { events.append(.error(tail)) }
    return events
}
