/// The header in front of every framed record (protobuf `message.Header`).
public struct RecordHeader: Sendable, Hashable {
    /// Length of the message that follows the 0x1F separator.
    public var messageLength: UInt32
    /// The digest used, when the record is signed; `nil` when the field is absent.
    public var hmacHashFunction: Int32?
    /// The signer's name, when signed.
    public var hmacSigner: String?
    /// The signer's key version, when signed.
    public var hmacKeyVersion: UInt32?
    /// The digest of the message bytes, when signed.
    public var hmac: [UInt8]?

    public init(messageLength: UInt32, hmacHashFunction: Int32? = nil, hmacSigner: String? = nil,
                hmacKeyVersion: UInt32? = nil, hmac: [UInt8]? = nil) {
        self.messageLength = messageLength
        self.hmacHashFunction = hmacHashFunction
        self.hmacSigner = hmacSigner
        self.hmacKeyVersion = hmacKeyVersion
        self.hmac = hmac
    }

    /// Whether the header names a signer (hekad then checks the record).
    public var isSigned: Bool { hmacSigner != nil }

    /// Size of the header of a `messageLength`-byte message signed by `signer`.
    @inline(__always)
    static func size(messageLength: Int, signer: HMACSigner?) -> Int {
        var size = 1 + ProtobufSize.varint(UInt64(messageLength))
        if let signer {
            size += 2 + ProtobufSize.string(signer.signer) + 1 + ProtobufSize.varint(UInt64(signer.keyVersion))
            size += ProtobufSize.lengthDelimited(signer.hashFunction.digestSize)
        }
        return size
    }

    /// Writes the header; when signed, the digest's bytes are left as zeros and their offset
    /// returned, to be filled once the message is written.
    @inline(__always)
    static func write(messageLength: Int, signer: HMACSigner?, to writer: inout ProtobufWriter) -> Int? {
        writer.tag(1, 0)
        writer.varint(UInt64(messageLength))
        guard let signer else { return nil }
        writer.tag(3, 0)
        writer.varint(UInt64(signer.hashFunction.rawValue))
        writer.string(4, signer.signer)
        writer.tag(5, 0)
        writer.varint(UInt64(signer.keyVersion))
        writer.tag(6, 2)
        writer.varint(UInt64(signer.hashFunction.digestSize))
        let digestOffset = writer.offset
        for _ in 0..<signer.hashFunction.digestSize { writer.byte(0) }
        return digestOffset
    }

    /// Reads a header from its protobuf encoding.
    init(protobuf bytes: UnsafeRawBufferPointer, baseOffset: Int) throws(CodecError) {
        var reader = ProtobufReader(bytes, baseOffset: baseOffset)
        var length: UInt32?
        self.init(messageLength: 0)
        while !reader.isAtEnd {
            let start = reader.offset
            let (field, wireType) = try reader.tag()
            switch (field, wireType) {
            case (1, 0): length = UInt32(truncatingIfNeeded: try reader.varint())
            case (3, 0): hmacHashFunction = Int32(truncatingIfNeeded: try reader.varint())
            case (4, 2): hmacSigner = try reader.lengthDelimited().utf8String
            case (5, 0): hmacKeyVersion = UInt32(truncatingIfNeeded: try reader.varint())
            case (6, 2): hmac = Array(try reader.lengthDelimited())
            case (1...6, _): throw reader.failure("header field \(field) has wire type \(wireType)", at: start)
            default: try reader.skip(wireType: wireType)
            }
        }
        // hekad frames `1E 00 1F` (an empty header) as a record of zero bytes.
        messageLength = length ?? 0
    }
}
