import Foundation

// The Heka message's protobuf form (Protos/message.proto), written the way heka-py writes
// it: fields in number order, every scalar field present even when empty, each Field with
// its value_type and representation, numeric arrays packed.

extension Message {
    /// The exact size of the protobuf encoding. Each field's size goes into `fieldSizes`
    /// (one slot per field), for ``writeProtobuf(to:fieldSizes:)`` to write as the fields'
    /// length prefixes without computing them again. The sizing pass is also the check
    /// that every field has a name (``checkFieldNames()``).
    func protobufSize(fieldSizes: UnsafeMutableBufferPointer<Int>) throws(CodecError) -> Int {
        var size = 18  // uuid: tag, length, 16 bytes
        size += 1 + ProtobufSize.signedVarint(timestamp)
        size += ProtobufSize.string(type) + ProtobufSize.string(logger)
        size += 1 + ProtobufSize.signedVarint(Int64(severity.rawValue))
        size += ProtobufSize.string(payload) + ProtobufSize.string(envVersion)
        size += 1 + ProtobufSize.signedVarint(Int64(pid))
        size += ProtobufSize.string(hostname)
        // Through the buffer's addressor the fields are read in place; the array's
        // subscript would copy each one (retaining its strings and values) to call a method.
        return try fields.withUnsafeBufferPointer { (fields) throws(CodecError) -> Int in
            for index in fields.indices {
                guard !fields[index].name.isEmpty else { throw emptyFieldName(at: index) }
                let fieldSize = fields[index].protobufSize()
                fieldSizes[index] = fieldSize
                size += ProtobufSize.lengthDelimited(fieldSize)
            }
            return size
        }
    }

    func writeProtobuf(to writer: inout ProtobufWriter, fieldSizes: UnsafeMutableBufferPointer<Int>) {
        writer.tag(1, 2)
        writer.byte(16)
        withUnsafeBytes(of: uuid.uuid) { writer.raw($0) }
        writer.tag(2, 0)
        writer.signedVarint(timestamp)
        writer.string(3, type)
        writer.string(4, logger)
        writer.tag(5, 0)
        writer.signedVarint(Int64(severity.rawValue))
        writer.string(6, payload)
        writer.string(7, envVersion)
        writer.tag(8, 0)
        writer.signedVarint(Int64(pid))
        writer.string(9, hostname)
        // Each part of a field is read from the buffer where it is written: a field taken
        // whole would be copied (its strings retained, its values copied), to outlive the
        // raw byte copies made while it is written.
        fields.withUnsafeBufferPointer { fields in
            for index in fields.indices {
                writer.tag(10, 2)
                writer.varint(UInt64(fieldSizes[index]))
                writer.string(1, fields[index].name)
                writer.tag(2, 0)
                writer.varint(UInt64(fields[index].value.valueType.rawValue))
                writer.string(3, fields[index].representation)
                fields[index].value.writeProtobuf(to: &writer)
            }
        }
    }

    /// Reads a message from its protobuf encoding. `baseOffset` is where the message starts
    /// in the larger input, for error offsets.
    init(protobuf bytes: UnsafeRawBufferPointer, baseOffset: Int = 0) throws(CodecError) {
        var mends: [CodecError] = []
        try self.init(protobuf: bytes, baseOffset: baseOffset, mends: &mends)
    }

    /// Reads a message, appending to `mends` what had to be mended to keep it: strings that
    /// are not valid UTF-8 (kept with U+FFFD) and field values of another type than the
    /// field declares (dropped, as hekad ignores them).
    init(protobuf bytes: UnsafeRawBufferPointer, baseOffset: Int, mends: inout [CodecError]) throws(CodecError) {
        var reader = ProtobufReader(bytes, baseOffset: baseOffset)
        var uuid: UUID?
        var timestamp: Int64?
        self.init(uuid: Message.unsetUUID, severity: .debug, envVersion: "")
        while !reader.isAtEnd {
            let start = reader.offset
            let (field, wireType) = try reader.tag()
            switch field {
            case 1:
                try reader.expect(wireType, is: 2, field: "uuid")
                let raw = try reader.lengthDelimited()
                guard raw.count == 16 else {
                    throw reader.failure("uuid has \(raw.count) bytes, expected 16", at: start)
                }
                uuid = UUID(uuid: raw.loadUnaligned(as: uuid_t.self))
            case 2:
                try reader.expect(wireType, is: 0, field: "timestamp")
                timestamp = Int64(bitPattern: try reader.varint())
            case 5, 8:
                try reader.expect(wireType, is: 0, field: field == 5 ? "severity" : "pid")
                let value = Int32(truncatingIfNeeded: try reader.varint())
                if field == 5 { severity = Severity(rawValue: value) } else { pid = value }
            case 3, 4, 6, 7, 9:
                try reader.expect(wireType, is: 2, field: "\(field)")
                let text = try reader.string(Self.stringFieldNames[field] ?? "\(field)", mends: &mends)
                switch field {
                case 3: type = text
                case 4: logger = text
                case 6: payload = text
                case 7: envVersion = text
                default: hostname = text
                }
            case 10:
                try reader.expect(wireType, is: 2, field: "fields")
                let start = baseOffset + reader.offset
                fields.append(try Field(protobuf: try reader.lengthDelimited(), baseOffset: start, mends: &mends))
            default:
                try reader.skip(wireType: wireType)
            }
        }
        guard let uuid else { throw reader.failure("message has no uuid", at: 0) }
        guard let timestamp else { throw reader.failure("message has no timestamp", at: 0) }
        self.uuid = uuid
        self.timestamp = timestamp
    }

    /// The names of the message's string fields, by field number, for mend reports.
    private static let stringFieldNames: [UInt64: String] = [
        3: "type", 4: "logger", 6: "payload", 7: "env_version", 9: "hostname",
    ]
}

extension Field {
    @inline(__always)
    func protobufSize() -> Int {
        let size = ProtobufSize.string(name) + 2 + ProtobufSize.string(representation)
        switch value.storage {
        case .strings(let values):
            return values.reduce(size) { $0 + ProtobufSize.string($1) }
        case .bytes(let values):
            return values.reduce(size) { $0 + ProtobufSize.lengthDelimited($1.count) }
        case .integers(let values): return size + Self.packedSize(Self.varintsSize(values))
        case .doubles(let values): return size + Self.packedSize(8 * values.count)
        case .bools(let values): return size + Self.packedSize(values.count)
        }
    }

    /// A packed repeated field; an empty one is left out altogether.
    @inline(__always)
    private static func packedSize(_ payload: Int) -> Int {
        payload == 0 ? 0 : ProtobufSize.lengthDelimited(payload)
    }

    @inline(__always)
    fileprivate static func varintsSize(_ values: FieldValue.Values<Int64>) -> Int {
        values.reduce(0) { $0 + ProtobufSize.signedVarint($1) }
    }

    /// Reads a field. Values of every type are collected; the declared `value_type` picks
    /// which are kept, as hekad does, and values of other types are reported in `mends`.
    /// Numeric arrays are accepted packed or unpacked.
    init(protobuf bytes: UnsafeRawBufferPointer, baseOffset: Int, mends: inout [CodecError]) throws(CodecError) {
        var reader = ProtobufReader(bytes, baseOffset: baseOffset)
        var name: String?
        var type = FieldValue.ValueType.string
        var representation = ""
        var strings: [String] = [], blobs: [[UInt8]] = [], integers: [Int64] = []
        var doubles: [Double] = [], bools: [Bool] = []
        while !reader.isAtEnd {
            let start = reader.offset
            let (field, wireType) = try reader.tag()
            switch (field, wireType) {
            case (1, 2): name = try reader.string("a field name", mends: &mends)
            case (2, 0):
                let raw = try reader.varint()
                guard let known = FieldValue.ValueType(rawValue: Int32(truncatingIfNeeded: raw)) else {
                    throw reader.failure("unknown value_type \(raw)", at: start)
                }
                type = known
            case (3, 2): representation = try reader.string("a field's representation", mends: &mends)
            case (4, 2): strings.append(try reader.string("a field's string value", mends: &mends))
            case (5, 2): blobs.append(Array(try reader.lengthDelimited()))
            case (6, 0): integers.append(Int64(bitPattern: try reader.varint()))
            case (7, 1): doubles.append(Double(bitPattern: try reader.fixed64()))
            case (8, 0): bools.append(try reader.varint() != 0)
            case (6, 2), (7, 2), (8, 2):
                var packed = ProtobufReader(try reader.lengthDelimited(), baseOffset: baseOffset + reader.offset)
                while !packed.isAtEnd {
                    switch field {
                    case 6: integers.append(Int64(bitPattern: try packed.varint()))
                    case 7: doubles.append(Double(bitPattern: try packed.fixed64()))
                    default: bools.append(try packed.varint() != 0)
                    }
                }
            case (1...8, _): throw reader.failure("field element \(field) has wire type \(wireType)", at: start)
            default: try reader.skip(wireType: wireType)
            }
        }
        guard let name else { throw reader.failure("field has no name", at: 0) }
        let value: FieldValue
        switch type {
        case .string: value = .strings(strings)
        case .bytes: value = .bytes(blobs)
        case .integer: value = .integers(integers)
        case .double: value = .doubles(doubles)
        case .bool: value = .bools(bools)
        }
        let total = strings.count + blobs.count + integers.count + doubles.count + bools.count
        if total != value.count {
            let counts: [(FieldValue.ValueType, Int)] = [
                (.string, strings.count), (.bytes, blobs.count), (.integer, integers.count), (.double, doubles.count),
                (.bool, bools.count),
            ]
            let what = counts.filter { $0.0 != type && $0.1 > 0 }.map { "\($0.1) \($0.0) value\($0.1 == 1 ? "" : "s")" }
            mends.append(CodecError(.valueTypeMismatch,
                "field \(ControlCharacters.escaped(name.debugDescription)) at byte \(baseOffset) declares value_type \(type) but carries "
                    + "\(what.joined(separator: ", ")); they are dropped", offset: baseOffset))
        }
        self.init(name: name, value: value, representation: representation)
    }
}

extension FieldValue {
    /// The values: strings and bytes one element each, numbers packed.
    @inline(__always)
    func writeProtobuf(to writer: inout ProtobufWriter) {
        switch storage {
        case .strings(let values): values.forEach { writer.string(4, $0) }
        case .bytes(let values): values.forEach { writer.lengthDelimited(5, $0) }
        case .integers(let values):
            guard !values.isEmpty else { return }
            writer.tag(6, 2)
            writer.varint(UInt64(Field.varintsSize(values)))
            values.forEach { writer.signedVarint($0) }
        case .doubles(let values):
            guard !values.isEmpty else { return }
            writer.tag(7, 2)
            writer.varint(UInt64(8 * values.count))
            values.forEach { writer.double($0) }
        case .bools(let values):
            guard !values.isEmpty else { return }
            writer.tag(8, 2)
            writer.varint(UInt64(values.count))
            values.forEach { writer.byte($0 ? 1 : 0) }
        }
    }
}
