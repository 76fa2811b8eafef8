import CSQLite
import CZlib
import Foundation
import HekaRelay
import Testing

/// Events compressed once, into the spool, and spliced into gzip bodies as they are.
@Suite struct PackedEventTests {
    /// `body` inflated by zlib's own gzip decoder, which checks the trailer's CRC-32 and
    /// length: `nil` unless the member is complete and its trailer right.
    private func strictGunzip(_ body: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, MAX_WBITS + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: body.count * 40 + 1024)
        var input = body
        let (status, produced, left) = input.withUnsafeMutableBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                let status = inflate(&stream, Z_FINISH)
                return (status, target.count - Int(stream.avail_out), Int(stream.avail_in))
            }
        }
        guard status == Z_STREAM_END, left == 0 else { return nil }
        return Array(out.prefix(produced))
    }

    private func event(_ json: [UInt8]) -> RelayEvent {
        RelayEvent(dsn: "https://pub@sentry.example.com/1", eventID: String(repeating: "ab", count: 16), json: json)
    }

    @Test("a gzip body made around the packed event inflates, trailer checked, to the prefix, the event and a newline",
          arguments: [0, 1, 180, 65_535, 65_536, 140_000])
    func splicedGzip(prefixLength: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let prefix = (0..<prefixLength).map { UInt8(truncatingIfNeeded: $0 * 7 + $0 / 300) }
        let texts: [[UInt8]] = [
            Array("{}".utf8),
            Array(#"{"message":"card declined","extra":{"padding":"\#(String(repeating: "x", count: 3000))"}}"#.utf8),
            (0..<200_000).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) },
        ]
        for text in texts {
            let packed = PackedEvent(event(text))
            #expect(packed.length == text.count + 1)
            let body = packed.gzip(after: prefix)
            #expect(body.starts(with: [0x1F, 0x8B, 8]))
            #expect(strictGunzip(body) == prefix + text + [0x0A])
            #expect(try packed.event() == event(text))
            // A damaged trailer is refused by the strict decoder: the check above can fail.
            var damaged = body
            damaged[damaged.count - 5] ^= 0x01
            #expect(strictGunzip(damaged) == nil)
        }
    }

    @Test("a spooled form that does not inflate to its length and CRC-32 is refused, not sent")
    func damagedForm() throws {
        let packed = PackedEvent(event(Array(#"{"message":"x"}"#.utf8)))
        var wrongCRC = packed
        wrongCRC.crc ^= 1
        #expect(throws: RelayError.self) { try wrongCRC.text() }
        var truncated = packed
        truncated.deflated.removeLast(8)
        #expect(throws: RelayError.self) { try truncated.text() }
        var longer = packed
        longer.length += 1
        #expect(throws: RelayError.self) { try longer.text() }
    }

    @Test("a spool written before events were compressed is converted on opening: ids, order and events kept")
    func uncompressedSpoolIsConverted() throws {
        let path = try temporarySpoolPath()
        var db: OpaquePointer?
        #expect(sqlite3_open(path, &db) == SQLITE_OK)
        let jsons = (0..<3).map { #"{"event_id":"\#(String(format: "%032x", $0))","message":"old \#($0)"}"# }
        let sql = """
            CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, dsn TEXT NOT NULL, event_id TEXT NOT NULL,
                                 body BLOB NOT NULL);
            INSERT INTO events (id, dsn, event_id, body) VALUES
            """ + jsons.enumerated().map { index, json in
                "(\(index * 10 + 5), 'https://pub@sentry.example.com/1', '\(String(format: "%032x", index))', CAST('\(json)' AS BLOB))"
            }.joined(separator: ", ") + ";"
        #expect(sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK)
        sqlite3_close(db)

        let spool = try Spool(path: path, maximumBytes: 1 << 20)
        let entries = try spool.next(limit: 10, excluding: []).entries
        #expect(entries.map(\.id) == [5, 15, 25])
        #expect(try entries.map { String(decoding: try $0.event.event().json, as: UTF8.self) } == jsons)
        #expect(spool.totals.count == 3)
        #expect(try spool.add([PackedEvent(event(Array("{}".utf8)))]) == 1)
        #expect(try spool.next(limit: 10, excluding: []).entries.last?.id == 26)
    }
}
