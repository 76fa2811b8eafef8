import HekaClient
import Streams

/// Scenarios 1, 2 and 7: the encoders alone, on a message made once.
enum CodecScenarios {
    static func run(_ timing: Timing) throws -> [ScenarioResult] {
        let message = Workload.message(HekaClient(stream: DebugCaptureStream()))
        let plain = ProtobufEncoder()
        let signed = ProtobufEncoder(signer: try HMACSigner(signer: "bench", keyVersion: 1, key: "a-signing-key"))
        let json = JSONLinesEncoder()
        let samples = timing.interleaved([
            { count in for _ in 0..<count { keep(try? plain.encode(message)) } },
            { count in for _ in 0..<count { keep(try? signed.encode(message)) } },
            { count in for _ in 0..<count { keep(try? json.encode(message)) } },
        ])
        let sizes = try [plain.encode(message).count, signed.encode(message).count, json.encode(message).count]
        return [
            ScenarioResult(
                id: "1", name: "encode + frame (protobuf)", medianNanoseconds: samples[0].median,
                target: "≤ 300 ns", met: samples[0].median <= 300, note: "record of \(sizes[0]) bytes"),
            ScenarioResult(
                id: "2", name: "encode + frame, HMAC-MD5", medianNanoseconds: samples[1].median,
                note: "record of \(sizes[1]) bytes"),
            ScenarioResult(
                id: "7", name: "encode (JSON lines)", medianNanoseconds: samples[2].median,
                note: "line of \(sizes[2]) bytes"),
        ]
    }
}
