import HekaClient
import Streams

/// The decoders' throughput on well-formed and on hostile input, in MB/s: each reads about
/// a megabyte (more for the long lines) fed in 64 KiB pieces, as `heka cat` reads a file.
/// Hostile input must cost time linear in its size, so its MB/s stays of the same order as
/// well-formed input's whatever its length.
enum DecoderScenarios {
    static let piece = 1 << 16

    static func run(_ timing: Timing) throws -> [ScenarioResult] {
        let message = Workload.message(HekaClient(stream: DebugCaptureStream()))
        let record = try ProtobufEncoder().encode(message)
        let recordBytes = Array([[UInt8]](repeating: record, count: (1 << 20) / record.count).joined())
        let separators = [UInt8](repeating: 0x1E, count: 1 << 20)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        let noise = (0..<(1 << 20)).map { _ -> UInt8 in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: seed >> 56)
        }
        let line = try JSONLinesEncoder().encode(message)
        let lineBytes = Array([[UInt8]](repeating: line, count: (1 << 20) / line.count).joined())
        let longLine = [UInt8](repeating: UInt8(ascii: "a"), count: 16 << 20) + [0x0A]
        let bigText = Array(("[" + (0..<60_000).map { "\"v\($0)\\u00e9\"" }.joined(separator: ",") + "]").utf8)
        let pattern = try MessageMatcher("Payload =~ /^(a+)+$/")
        let hostilePayload = Message(payload: String(repeating: "a", count: 4096) + "!")
        let plainPattern = try MessageMatcher("Payload =~ /error [0-9]+ in [a-z]+/")
        let plainPayload = Message(payload: String(repeating: "all is well ", count: 341) + "error 42 in shop")

        let cases: [(id: String, name: String, bytes: Int, run: () -> Void)] = [
            ("d1", "records, well-formed", recordBytes.count, { keep(records(recordBytes)) }),
            ("d2", "records, a flood of 0x1E", separators.count, { keep(records(separators)) }),
            ("d3", "records, random bytes", noise.count, { keep(records(noise)) }),
            ("d4", "JSON lines, well-formed", lineBytes.count, { keep(jsonLines(lineBytes)) }),
            ("d5", "JSON lines, one 16 MiB line", longLine.count, { keep(jsonLines(longLine)) }),
            ("d6", "JSON parser, 60,000 strings", bigText.count, { keep(try? JSONParser.parse(bigText)) }),
            ("d7", "send --lines, short lines", lineBytes.count, { keep(splitLines(lineBytes)) }),
            ("d8", "send --lines, one 16 MiB line", longLine.count, { keep(splitLines(longLine)) }),
            ("d9", "--match /^(a+)+$/ on 4 KiB of a's and !", 4097, { keep(pattern.matches(hostilePayload)) }),
            ("d10", "--match /error [0-9]+ in [a-z]+/ on 4 KiB", plainPayload.payload.utf8.count,
             { keep(plainPattern.matches(plainPayload)) }),
        ]
        let samples = timing.interleaved(cases.map { item in { count in for _ in 0..<count { item.run() } } })
        return zip(cases, samples).map { item, sample in
            let megabytesPerSecond = Double(item.bytes) / sample.median * 1e3
            return ScenarioResult(
                id: item.id, name: "decode: \(item.name)", medianNanoseconds: sample.median,
                note: "\(Int(megabytesPerSecond.rounded())) MB/s over \(item.bytes) bytes")
        }
    }

    /// Calls `feed` with `bytes` in pieces of 64 KiB.
    static func inPieces(_ bytes: [UInt8], _ feed: (ArraySlice<UInt8>) -> Void) {
        for start in stride(from: 0, to: bytes.count, by: piece) { feed(bytes[start..<min(start + piece, bytes.count)]) }
    }

    /// Events from framed records fed in pieces.
    static func records(_ bytes: [UInt8]) -> Int {
        var decoder = RecordDecoder()
        var events = 0
        inPieces(bytes) { decoder.append($0); while decoder.next() != nil { events += 1 } }
        return events + (decoder.finish() == nil ? 0 : 1)
    }

    /// Results from JSON lines fed in pieces.
    static func jsonLines(_ bytes: [UInt8]) -> Int {
        var decoder = JSONLinesDecoder()
        var results = 0
        inPieces(bytes) { decoder.append($0); while decoder.next() != nil { results += 1 } }
        return results + (decoder.finish() == nil ? 0 : 1)
    }

    /// Lines split as `heka send --lines` splits standard input.
    static func splitLines(_ bytes: [UInt8]) -> Int {
        var splitter = LineSplitter(maxLineLength: JSONLinesDecoder.defaultMaxLineLength)
        var count = 0
        inPieces(bytes) { splitter.append($0); while splitter.next() != nil { count += 1 } }
        return count + (splitter.finish() == nil ? 0 : 1)
    }
}
