import Foundation
import HekaClient
import HekaRaven
import Streams
import Synchronization
import Testing

/// One row of docs/bad-input.md: where the input goes, the input, and its outcome.
struct BadInput: Sendable, CustomTestStringConvertible {
    let line: Int
    let area: String
    let input: String
    let outcome: String

    var testDescription: String {
        let text = input.replacingOccurrences(of: "\n", with: "\\n")
        return "bad-input.md:\(line) \(area): \(text.count > 70 ? text.prefix(70) + "…" : text)"
    }

    static let document = packageRoot.appendingPathComponent("docs/bad-input.md")

    /// The rows of the document's table.
    static let all: [BadInput] = {
        guard let text = try? String(contentsOf: document, encoding: .utf8) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            let cells = Self.cells(of: line)
            guard cells.count == 3, cells[0] != "Where", !cells[0].hasPrefix("---") else { return nil }
            return BadInput(line: index + 1, area: cells[0], input: unescaped(code(cells[1])),
                            outcome: unescaped(code(cells[2])))
        }
    }()

    /// The cells of a table row, split at bars that are not escaped; none for other lines.
    static func cells(of line: Substring) -> [String] {
        guard line.hasPrefix("|"), line.hasSuffix("|") else { return [] }
        var cells: [String] = []
        var cell = ""
        var escaped = false
        for character in line.dropFirst().dropLast() {
            if escaped {
                cell += "\\" + String(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            } else {
                cell.append(character)
            }
        }
        cells.append(cell.trimmingCharacters(in: .whitespaces))
        return cells
    }

    /// The text between a cell's backticks.
    static func code(_ cell: String) -> String {
        guard cell.count >= 2, cell.hasPrefix("`"), cell.hasSuffix("`") else { return cell }
        return String(cell.dropFirst().dropLast())
    }

    /// `\n`, `\|` and `\\` read back.
    static func unescaped(_ text: String) -> String {
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                switch character {
                case "n": result += "\n"
                case "|", "\\": result.append(character)
                default: result += "\\" + String(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return escaped ? result + "\\" : result
    }

    /// What reading `input` where the row says gives.
    func actualOutcome() throws -> String {
        switch area {
        case "ini":
            return Self.configured { () throws(ConfigurationError) in
                try HekaConfiguration(
                    iniText: input, path: "app.ini", environment: ["HOME": "/home/app"],
                    registry: PluginRegistry([RavenPlugin.self]))
            }
        case "dict":
            let object = try JSONSerialization.jsonObject(with: Data(input.utf8))
            let dictionary = try #require(object as? [String: Any])
            return Self.configured { () throws(ConfigurationError) in try HekaConfiguration(dictionary: dictionary, registry: PluginRegistry([RavenPlugin.self])) }
        case "records", "records, key ops_1":
            let keys = area == "records" ? nil : [try HMACSigner(signer: "ops", keyVersion: 1, key: "sesame")]
            return RecordDecoder.decodeAll(try #require(Self.bytes(hex: input)), keys: keys).map { event in
                switch event {
                case .record(let record): "record \(record.message.type)"
                case .error(let error): error.message
                }
            }.joined(separator: " · ")
        case "json-lines":
            return JSONLinesDecoder.decodeAll(Array(input.utf8)).map { result in
                switch result {
                case .success(let message): "message \(message.type)"
                case .failure(let error): error.description
                }
            }.joined(separator: " · ")
        case "matcher":
            do {
                _ = try MessageMatcher(input)
                return "ok"
            } catch {
                return "character \(error.offset + 1): \(error.message)"
            }
        case "dsn":
            do {
                return "ok: \(try SentryDSN(parsing: input))"
            } catch {
                return error.description
            }
        case "heka":
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heka-bad-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let result = try runHeka(input.split(separator: " ").map(String.init), in: directory)
            // Up to the usage text that argument errors end with.
            let lines = result.stderr.split(separator: "\n").prefix { !$0.hasPrefix("Usage: ") && !$0.hasPrefix("Help: ") }
            return "exit \(result.status)" + (lines.isEmpty ? "" : ": " + lines.joined(separator: "\n"))
        case "client":
            let scenario = try #require(ClientScenario.all[input], "no client scenario is called \(input)")
            return scenario.run()
        default:
            Issue.record("bad-input.md:\(line): unknown input kind \(area)")
            return ""
        }
    }

    /// `ok`, or the error of loading a configuration or making its client.
    static func configured(_ load: () throws(ConfigurationError) -> HekaConfiguration) -> String {
        do {
            let client = try HekaClient(configuration: try load(), errorHandler: .ignore)
            _ = client.close(timeout: .zero)
            return "ok"
        } catch {
            return error.description
        }
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        return stride(from: 0, to: digits.count, by: 2).map { index -> UInt8? in
            UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)
        }.reduce(into: [UInt8]?([])) { bytes, byte in
            guard let byte else { bytes = nil; return }
            bytes?.append(byte)
        }
    }
}

/// A call on a client, for the rows that are calls rather than text.
struct ClientScenario: Sendable {
    let call: @Sendable (HekaClient) -> String?

    /// Makes the call on a client writing to a debug capture stream; the outcome is every
    /// error reported, the counters, and what the call itself adds.
    func run() -> String {
        let stream = DebugCaptureStream()
        let errors = Mutex<[String]>([])
        let client = HekaClient(stream: stream, logger: "bad-input",
                                errorHandler: ErrorHandler { error in errors.withLock { $0.append(error.description) } })
        var notes = call(client).map { [$0] } ?? []
        _ = client.flush(timeout: .seconds(120))
        if let record = stream.records.last {
            notes.append(Self.describe(record))
        }
        let statistics = client.statistics
        let counters = "sent \(statistics.messagesSent), failed \(statistics.messagesFailed)"
        return (errors.withLock { $0 } + [counters] + notes).joined(separator: " · ")
    }

    /// The size of a record sent, and for a raven event what was trimmed to fit.
    static func describe(_ record: [UInt8]) -> String {
        var text = record.count <= 65_536 ? "the record fits in 65,536 bytes" : "the record is over 65,536 bytes"
        guard case .record(let decoded)? = RecordDecoder.decodeAll(record).first,
            let json = try? SentryPayload.unpack(decoded.message.payload),
            let event = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
            let extra = event["extra"] as? [String: Any]
        else { return text }
        let trimmed = (extra["heka_trimmed"] as? [String]) ?? []
        text += "; the event's last trimming step: \(trimmed.last ?? "none")"
        return text
    }

    /// A message with a fixed identity, so that its encoded size is the same every run.
    static func message(_ type: String, payload: String = "", fields: [Field] = []) -> Message {
        Message(uuid: UUID(uuid: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)), timestamp: 0, type: type,
                severity: .informational, payload: payload, pid: 1, hostname: "host", fields: fields)
    }

    static let all: [String: ClientScenario] = [
        "send() of a message with a 70,000-byte payload": ClientScenario { client in
            client.send(message("big", payload: String(repeating: "x", count: 70_000)))
            return nil
        },
        "send() of a message with a field whose name is empty": ClientScenario { client in
            client.send(message("unnamed", fields: [Field(name: "", value: 1)]))
            return nil
        },
        "send() of a message with a field of 40,000 strings of 2 bytes": ClientScenario { client in
            client.send(message("wide", fields: [Field(name: "many", value: .strings(Array(repeating: "ab", count: 40_000)))]))
            return nil
        },
        "raven() with 300 extras of 1 KiB each": ClientScenario { client in
            // Pseudo-random hex, which does not compress, the same every run.
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            let digits = Array("0123456789abcdef")
            var extra: [String: EventValue] = [:]
            for index in 0..<300 {
                extra["blob\(index)"] = .string(String((0..<1024).map { _ in
                    state ^= state << 13; state ^= state >> 7; state ^= state << 17
                    return digits[Int(state % 16)]
                }))
            }
            client.raven("too much", extra: extra)
            return nil
        },
        "heka() after close()": ClientScenario { client in
            _ = client.close()
            client.heka(type: "late")
            return nil
        },
    ]
}

@Suite struct BadInputTests {
    @Test("each documented bad input gets exactly the documented outcome", arguments: BadInput.all)
    func documented(_ row: BadInput) throws {
        let outcome = try row.actualOutcome()
        #expect(outcome == row.outcome, "bad-input.md:\(row.line)")
    }

    @Test("the document reads as a table of every kind of input, and names every client scenario")
    func document() {
        let areas = Set(BadInput.all.map(\.area))
        #expect(areas == ["ini", "dict", "records", "records, key ops_1", "json-lines", "matcher", "dsn", "heka", "client"])
        let named = Set(BadInput.all.filter { $0.area == "client" }.map(\.input))
        #expect(named == Set(ClientScenario.all.keys))
    }
}
