import CSQLite
import HekaPlatform

/// The relay's durable queue: every accepted event is written here before it is sent, and
/// deleted only after Sentry answered it (2xx, or a final refusal). A SQLite database in
/// WAL mode: a relay killed at any point finds on restart every event not yet answered.
/// Its size is bounded; what would exceed the bound is refused (and counted by the relay).
/// Events are kept compressed (``PackedEvent``), and the bound counts compressed bytes.
public final class Spool: Sendable {
    /// An event read back from the spool, with its row id.
    public struct Entry: Sendable, Equatable {
        /// The row id: deletes this entry.
        public var id: Int64
        /// The event, compressed.
        public var event: PackedEvent
    }

    private struct State: @unchecked Sendable {
        // @unchecked: the connection and its statements are used only with the lock held.
        var db: OpaquePointer?
        var bytes = 0
        var count = 0
        /// The statements every event goes through, prepared once.
        var insert: Statement?
        var delete: Statement?
        var scanAfter: Statement?
        var byID: Statement?
        /// Rows looked at by ``next(limit:after:excluding:scanLimit:skipping:)``, all told.
        var looked = 0
    }

    private let state: LockedValue<State>
    /// The most bytes of events the spool holds.
    public let maximumBytes: Int
    /// The database file.
    public let path: String

    /// Opens (or creates) the spool at `path`, holding at most `maximumBytes` of events.
    public init(path: String, maximumBytes: Int) throws(RelayError) {
        self.path = path
        self.maximumBytes = maximumBytes
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw RelayError("spool \(path): cannot open: \(message)")
        }
        var initial = State(db: db)
        do throws(RelayError) {
            try Self.execute(db, """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=NORMAL;
                PRAGMA busy_timeout=5000;
                CREATE TABLE IF NOT EXISTS packed_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dsn TEXT NOT NULL, event_id TEXT NOT NULL, body BLOB NOT NULL,
                    crc INTEGER NOT NULL, length INTEGER NOT NULL);
                """, path: path)
            try Self.packUncompressedEvents(db, path: path)
            let totals = try Self.query(db, "SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0) FROM packed_events", path: path) {
                ($0.int(0), $0.int(1))
            }
            initial.count = Int(totals.first?.0 ?? 0)
            initial.bytes = Int(totals.first?.1 ?? 0)
            initial.insert = try Statement(
                db, "INSERT INTO packed_events (dsn, event_id, body, crc, length) VALUES (?, ?, ?, ?, ?)", path: path)
            initial.delete = try Statement(db, "DELETE FROM packed_events WHERE id = ? RETURNING LENGTH(body)", path: path)
            initial.scanAfter = try Statement(db, "SELECT id, dsn FROM packed_events WHERE id > ? ORDER BY id LIMIT ?",
                                              path: path)
            initial.byID = try Statement(db, "SELECT \(Self.columns) FROM packed_events WHERE id = ?", path: path)
        } catch {
            sqlite3_close(db)
            throw error
        }
        state = LockedValue(initial)
    }

    deinit {
        state.withLock { state in
            // Statements are finalized before the connection closes.
            state.insert = nil
            state.delete = nil
            state.scanAfter = nil
            state.byID = nil
            sqlite3_close(state.db)
        }
    }

    /// The rows ``next(limit:after:excluding:scanLimit:skipping:)`` has looked at, all told:
    /// what reading the queue has cost (each row once per pass, not once per event sent).
    public var rowsLookedAt: Int { state.withLock { $0.looked } }

    /// Events and bytes held.
    public var totals: (count: Int, bytes: Int) { state.withLock { ($0.count, $0.bytes) } }

    /// Writes `events` in one transaction, in order, up to the first that the size bound
    /// refuses; returns how many were written (the rest were refused for lack of room).
    public func add(_ events: [PackedEvent]) throws(RelayError) -> Int {
        guard !events.isEmpty else { return 0 }
        return try state.withLock { state throws(RelayError) -> Int in
            let db = state.db
            try Self.execute(db, "BEGIN IMMEDIATE", path: path)
            var written = 0
            var bytes = state.bytes
            do throws(RelayError) {
                guard let statement = state.insert else { throw Self.error(db, "insert", path: path) }
                // In order: the first event that does not fit ends the batch.
                for event in events {
                    guard bytes + event.deflated.count <= maximumBytes else { break }
                    statement.reset()
                    Self.bind(event, to: statement)
                    guard statement.step() == SQLITE_DONE else { throw Self.error(db, "insert", path: path) }
                    written += 1
                    bytes += event.deflated.count
                }
                statement.reset()
                try Self.execute(db, "COMMIT", path: path)
            } catch {
                state.insert?.reset()
                _ = sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
                throw error
            }
            state.bytes = bytes
            state.count += written
            return written
        }
    }

    /// What ``next(limit:after:excluding:scanLimit:skipping:)`` found.
    public struct Batch: Sendable {
        /// Up to the limit of events, oldest first.
        public var entries: [Entry]
        /// Every row up to this id (after the one asked for) was looked at: returned,
        /// excluded or skipped.
        public var through: Int64
        /// Whether the look reached the last row.
        public var exhausted: Bool
    }

    /// Up to `limit` events with row ids above `after`, oldest first, passing over the ids
    /// in `excluding` (being sent) and the events `skipping` says are held back (it is
    /// given each row's DSN and id, with the spool's lock held). Rows are looked at by id and DSN, and the
    /// bodies read only of the events returned; at most `scanLimit` rows are looked at in
    /// one call, so that a long backlog held back does not hold the lock for long.
    public func next(limit: Int, after: Int64 = 0, excluding: Set<Int64>, scanLimit: Int = 4096,
                     skipping: (String, Int64) -> Bool = { _, _ in false }) throws(RelayError) -> Batch {
        guard limit > 0 else { return Batch(entries: [], through: after, exhausted: false) }
        return try state.withLock { state throws(RelayError) -> Batch in
            guard let scan = state.scanAfter, let read = state.byID else { throw Self.error(state.db, "query", path: path) }
            var chosen: [Int64] = []
            var through = after
            var scanned = 0
            var exhausted = false
            // Small pages while events are sent as they come; larger ones through a backlog.
            var page = min(256, limit + excluding.count + 1)
            scanning: while chosen.count < limit && scanned < scanLimit {
                page = min(page, scanLimit - scanned)
                let rows = try Self.rows(of: scan, db: state.db, path: path, bind: { statement in
                    statement.bind(1, through)
                    statement.bind(2, Int64(page))
                }) { row in (row.int(0), row.text(1)) }
                for (id, dsn) in rows {
                    through = id
                    scanned += 1
                    state.looked += 1
                    if excluding.contains(id) || skipping(dsn, id) { continue }
                    chosen.append(id)
                    if chosen.count == limit { break scanning }
                }
                if rows.count < page {
                    exhausted = true
                    break
                }
                page = min(256, page * 4)
            }
            var entries: [Entry] = []
            entries.reserveCapacity(chosen.count)
            for id in chosen {
                let found = try Self.rows(of: read, db: state.db, path: path, bind: { $0.bind(1, id) }, Self.entry)
                entries += found
            }
            return Batch(entries: entries, through: through, exhausted: exhausted)
        }
    }

    /// Deletes the events with these row ids (answered by Sentry), in one transaction.
    public func remove(_ ids: some Collection<Int64>) throws(RelayError) {
        guard !ids.isEmpty else { return }
        try state.withLock { state throws(RelayError) in
            let db = state.db
            guard let statement = state.delete else { throw Self.error(db, "delete", path: path) }
            try Self.execute(db, "BEGIN IMMEDIATE", path: path)
            var bytes = 0, count = 0
            do throws(RelayError) {
                for id in ids {
                    statement.reset()
                    statement.bind(1, id)
                    switch statement.step() {
                    case SQLITE_ROW:
                        bytes += Int(statement.int(0))
                        count += 1
                        guard statement.step() == SQLITE_DONE else { throw Self.error(db, "delete", path: path) }
                    case SQLITE_DONE: break
                    default: throw Self.error(db, "delete", path: path)
                    }
                }
                statement.reset()
                try Self.execute(db, "COMMIT", path: path)
            } catch {
                statement.reset()
                _ = sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
                throw error
            }
            state.bytes -= bytes
            state.count -= count
        }
    }

    /// The columns ``entry(_:)`` reads, in its order.
    private static let columns = "id, dsn, event_id, body, crc, length"

    private static func entry(_ row: Statement) -> Entry {
        Entry(id: row.int(0), event: PackedEvent(dsn: row.text(1), eventID: row.text(2), deflated: row.blob(3),
                                                 crc: UInt32(truncatingIfNeeded: row.int(4)), length: Int(row.int(5))))
    }

    /// Binds `event` to an insert's parameters: dsn, event id, body, crc, length.
    private static func bind(_ event: PackedEvent, to statement: Statement) {
        statement.bind(1, event.dsn)
        statement.bind(2, event.eventID)
        statement.bind(3, event.deflated)
        statement.bind(4, Int64(event.crc))
        statement.bind(5, Int64(event.length))
    }

    /// Moves the events of a spool written before events were kept compressed (a table
    /// `events` of plain JSON) into `packed_events`, compressed, keeping their ids and
    /// order, in one transaction.
    private static func packUncompressedEvents(_ db: OpaquePointer, path: String) throws(RelayError) {
        let old = try query(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'", path: path) {
            $0.int(0)
        }
        guard old.first == 1 else { return }
        try execute(db, "BEGIN IMMEDIATE", path: path)
        do throws(RelayError) {
            let rows = try query(db, "SELECT id, dsn, event_id, body FROM events ORDER BY id", path: path) { row in
                (row.int(0), PackedEvent(RelayEvent(dsn: row.text(1), eventID: row.text(2), json: row.blob(3))))
            }
            let insert = try Statement(
                db, "INSERT INTO packed_events (dsn, event_id, body, crc, length, id) VALUES (?, ?, ?, ?, ?, ?)", path: path)
            for (id, event) in rows {
                insert.reset()
                bind(event, to: insert)
                insert.bind(6, id)
                guard insert.step() == SQLITE_DONE else { throw error(db, "insert", path: path) }
            }
            insert.reset()
            try execute(db, "DROP TABLE events; COMMIT", path: path)
        } catch {
            _ = sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    static func error(_ db: OpaquePointer?, _ action: String, path: String) -> RelayError {
        RelayError("spool \(path): \(action) failed: \(db.map { String(cString: sqlite3_errmsg($0)) } ?? "no database")")
    }

    private static func execute(_ db: OpaquePointer?, _ sql: String, path: String) throws(RelayError) {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw error(db, String(sql.prefix(24)) + "…", path: path) }
    }

    private static func query<Row>(_ db: OpaquePointer?, _ sql: String, path: String,
                                   bind: (Statement) -> Void = { _ in },
                                   _ read: (Statement) -> Row) throws(RelayError) -> [Row] {
        try rows(of: Statement(db, sql, path: path), db: db, path: path, bind: bind, read)
    }

    /// The rows of a prepared (and reset) statement.
    private static func rows<Row>(of statement: Statement, db: OpaquePointer?, path: String,
                                  bind: (Statement) -> Void, _ read: (Statement) -> Row) throws(RelayError) -> [Row] {
        bind(statement)
        defer { statement.reset() }
        var rows: [Row] = []
        while true {
            switch statement.step() {
            case SQLITE_ROW: rows.append(read(statement))
            case SQLITE_DONE: return rows
            default: throw error(db, "query", path: path)
            }
        }
    }
}
