import Foundation
import SwiftProtobuf
import Testing

@testable import HekaClient

/// Hex text to bytes.
func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        out.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return out
}

func hex(_ bytes: some Sequence<UInt8>) -> String { hexString(bytes) }

/// The records heka-py 0.30.3 produced (Tests/HekaClientTests/Resources).
struct HekaPyVectors: Decodable {
    struct Record: Decodable {
        let label: String
        let record_hex: String
        let header_hex: String
        let message_hex: String
        let decoded: Decoded
    }
    struct Decoded: Decodable {
        let uuid: String
        let timestamp: Int64
        let type: String
        let logger: String
        let severity: Int32
        let payload: String
        let env_version: String
        let pid: Int32
        let hostname: String
        let fields: [DecodedField]?
    }
    struct DecodedField: Decodable {
        let name: String
        let value_type: String
        let representation: String
        let value_string: [String]?
        let value_integer: [Int64]?
        let value_double: [Double]?
        let value_bool: [Bool]?
        let value_bytes: [String]?
    }
    let records: [Record]

    static let shared: HekaPyVectors = {
        let url = Bundle.module.url(forResource: "heka-py-0.30.3-protobuf", withExtension: "json",
                                    subdirectory: "Resources")!
        return try! JSONDecoder().decode(HekaPyVectors.self, from: Data(contentsOf: url))
    }()
}

extension HekaPyVectors.Decoded {
    /// The message the JSON describes, built without our decoder.
    var message: HekaMessage {
        HekaMessage(
            uuid: UUID(uuid: Data(base64Encoded: uuid)!.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) }),
            timestamp: timestamp, type: type, logger: logger, severity: Severity(rawValue: severity),
            payload: payload, envVersion: env_version, pid: pid, hostname: hostname,
            fields: (fields ?? []).map { field in
                let value: FieldValue
                switch field.value_type {
                case "STRING": value = .strings(field.value_string ?? [])
                case "INTEGER": value = .integers(field.value_integer ?? [])
                case "DOUBLE": value = .doubles(field.value_double ?? [])
                case "BOOL": value = .bools(field.value_bool ?? [])
                default: value = .bytes((field.value_bytes ?? []).map { Array(Data(base64Encoded: $0)!) })
                }
                return Field(name: field.name, value: value, representation: field.representation)
            })
    }
}

extension HekaMessage {
    /// The 16 bytes of the uuid.
    var uuidBytes: [UInt8] { withUnsafeBytes(of: uuid.uuid) { Array($0) } }
}

/// Converts our model to swift-protobuf's generated type, field by field.
func referenceMessage(_ message: HekaMessage) -> Message_Message {
    var ref = Message_Message()
    ref.uuid = Data(message.uuidBytes)
    ref.timestamp = message.timestamp
    ref.type = message.type
    ref.logger = message.logger
    ref.severity = message.severity.rawValue
    ref.payload = message.payload
    ref.envVersion = message.envVersion
    ref.pid = message.pid
    ref.hostname = message.hostname
    ref.fields = message.fields.map { field in
        var out = Message_Field()
        out.name = field.name
        out.valueType = Message_Field.ValueType(rawValue: Int(field.value.valueType.rawValue))!
        out.representation = field.representation
        switch field.value.storage {
        case .strings(let v): out.valueString = v.array
        case .bytes(let v): out.valueBytes = v.map { Data($0) }
        case .integers(let v): out.valueInteger = v.array
        case .doubles(let v): out.valueDouble = v.array
        case .bools(let v): out.valueBool = v.array
        }
        return out
    }
    return ref
}

/// Converts swift-protobuf's decoded message back to our model.
func modelMessage(_ ref: Message_Message) -> HekaMessage {
    HekaMessage(
        uuid: UUID(uuid: ref.uuid.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) }),
        timestamp: ref.timestamp, type: ref.type, logger: ref.logger, severity: Severity(rawValue: ref.severity),
        payload: ref.payload, envVersion: ref.envVersion, pid: ref.pid, hostname: ref.hostname,
        fields: ref.fields.map { field in
            let value: FieldValue
            switch field.valueType {
            case .string: value = .strings(field.valueString)
            case .bytes: value = .bytes(field.valueBytes.map { Array($0) })
            case .integer: value = .integers(field.valueInteger)
            case .double: value = .doubles(field.valueDouble)
            case .bool: value = .bools(field.valueBool)
            }
            return Field(name: field.name, value: value, representation: field.representation)
        })
}

/// Splits framed records with swift-protobuf's header and message types only: the
/// independent decoder. Fails the test on any byte it cannot account for; signed records'
/// digests are recomputed by Python's hmac module (one run for all of them).
func independentlyDecode(_ stream: [UInt8], keys: [String: (HMACSigner.HashFunction, [UInt8])] = [:],
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> [(Message_Header, HekaMessage)] {
    var records: [(Message_Header, HekaMessage)] = []
    var signed: [(record: Int, function: HMACSigner.HashFunction, key: [UInt8], body: [UInt8])] = []
    var index = 0
    while index < stream.count {
        try #require(stream[index] == 0x1E, "byte \(index) is not a record separator", sourceLocation: sourceLocation)
        let headerLength = Int(stream[index + 1])
        let headerBytes = Data(stream[(index + 2)..<(index + 2 + headerLength)])
        try #require(stream[index + 2 + headerLength] == 0x1F, sourceLocation: sourceLocation)
        let header = try Message_Header(serializedBytes: headerBytes)
        let start = index + 3 + headerLength
        let body = Array(stream[start..<(start + Int(header.messageLength))])
        if header.hasHmacSigner {
            let key = try #require(keys["\(header.hmacSigner)_\(header.hmacKeyVersion)"], sourceLocation: sourceLocation)
            #expect(header.hmacHashFunction.rawValue == Int(key.0.rawValue), sourceLocation: sourceLocation)
            signed.append((records.count, key.0, key.1, body))
        }
        records.append((header, modelMessage(try Message_Message(serializedBytes: Data(body)))))
        index = start + body.count
    }
    let digests = independentHMACs(signed.map { ($0.function, $0.key, $0.body) })
    for (entry, digest) in zip(signed, digests) where Array(records[entry.record].0.hmac) != digest {
        Issue.record("HMAC of record \(entry.record) does not match Python's", sourceLocation: sourceLocation)
    }
    return records
}

/// HMAC computed by Python's hmac module: a second opinion on swift-crypto's.
func independentHMAC(_ function: HMACSigner.HashFunction, key: [UInt8], message: [UInt8]) -> [UInt8] {
    independentHMACs([(function, key, message)])[0]
}

/// Many HMACs from one Python run: one `function key message` line in, one digest line out.
func independentHMACs(_ inputs: [(HMACSigner.HashFunction, [UInt8], [UInt8])]) -> [[UInt8]] {
    guard !inputs.isEmpty else { return [] }
    let script = """
        import hmac, hashlib, sys
        for line in sys.stdin.read().split('\\n'):
            if line:
                function, key, data = line.split(' ')
                print(hmac.new(bytes.fromhex(key), bytes.fromhex(data), getattr(hashlib, function)).hexdigest())
        """
    let input = inputs.map { "\($0.0 == .md5 ? "md5" : "sha1") \(hex($0.1)) \(hex($0.2))" }.joined(separator: "\n")
    return runPython(script, input: Array(input.utf8)).split(separator: "\n").map { bytes(hex: String($0)) }
}

/// Runs a Python 3 script and returns its standard output. Input and output go through
/// temporary files, which no signal can interrupt half-way.
func runPython(_ script: String, arguments: [String] = [], input: [UInt8] = []) -> String {
    let directory = FileManager.default.temporaryDirectory
    let inputURL = directory.appendingPathComponent("heka-py-in-\(UUID().uuidString)")
    let outputURL = directory.appendingPathComponent("heka-py-out-\(UUID().uuidString)")
    defer {
        try? FileManager.default.removeItem(at: inputURL)
        try? FileManager.default.removeItem(at: outputURL)
    }
    try! Data(input).write(to: inputURL)
    _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    process.standardInput = try! FileHandle(forReadingFrom: inputURL)
    process.standardOutput = try! FileHandle(forWritingTo: outputURL)
    try! process.run()
    process.waitUntilExit()
    return String(decoding: try! Data(contentsOf: outputURL), as: UTF8.self)
}

/// A deterministic generator for randomised tests (SplitMix64), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random message exercising every field type, sizes and edge values.
func randomMessage(_ rng: inout SeededGenerator) -> HekaMessage {
    func text(_ rng: inout SeededGenerator) -> String {
        let alphabet = Array("abcxyz 019_.-\"\\\n\té€😀\u{2028}\u{0001}")
        return String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }
    let edgeIntegers: [Int64] = [0, 1, -1, 127, 128, 300, Int64.max, Int64.min, Int64(Int32.min)]
    let edgeDoubles: [Double] = [0, -0.0, 1.5, -2.25e-300, 1e300, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 3]
    var fields: [Field] = []
    for index in 0..<Int.random(in: 0...6, using: &rng) {
        let count = Int.random(in: 0...3, using: &rng)
        let value: FieldValue
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: value = .strings((0..<count).map { _ in text(&rng) })
        case 1: value = .bytes((0..<count).map { _ in (0..<Int.random(in: 0...5, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) } })
        case 2: value = .integers((0..<count).map { _ in Bool.random(using: &rng) ? edgeIntegers.randomElement(using: &rng)! : Int64.random(in: .min ... .max, using: &rng) })
        case 3: value = .doubles((0..<count).map { _ in edgeDoubles.randomElement(using: &rng)! })
        default: value = .bools((0..<count).map { _ in Bool.random(using: &rng) })
        }
        fields.append(Field(name: "f\(index)" + text(&rng), value: value, representation: Bool.random(using: &rng) ? "" : "ms"))
    }
    var uuid = (rng.next(), rng.next())
    return HekaMessage(
        uuid: withUnsafeBytes(of: &uuid) { UUID(uuid: $0.loadUnaligned(as: uuid_t.self)) },
        timestamp: [Int64(1_400_000_000_000_000_000), 0, -5, Int64.max - 1000].randomElement(using: &rng)!
            + Int64.random(in: 0...1000, using: &rng),
        type: text(&rng), logger: text(&rng),
        severity: Severity(rawValue: [0, 3, 7, -1, 99].randomElement(using: &rng)!),
        payload: String(repeating: text(&rng), count: Int.random(in: 0...40, using: &rng)),
        envVersion: "0.8", pid: [0, 55, -1, Int32.max].randomElement(using: &rng)!, hostname: text(&rng),
        fields: fields)
}
