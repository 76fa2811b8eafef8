import CSQLite
import HekaPlatform

/// The relay's durable queue: every accepted event is written here before it is sent, and
/// deleted only after Sentry answered it (2xx, or a final refusal). A SQLite database in
/// WAL mode: a relay killed at any point finds on restart every event not yet answered.
/// Its size is bounded; what would exceed the bound is refused (and counted by the relay).
public final class Spool: Sendable {
    /// An event read back from the spool, with its row id.
    public struct Entry: Sendable, Equatable {
        /// The row id: deletes this entry.
        public var id: Int64
        /// The event.
        public var event: RelayEvent
    }

    private struct State: @unchecked Sendable {
        // @unchecked: the connection is used only with the lock held.
        var db: OpaquePointer?
        var bytes = 0
        var count = 0
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
                CREATE TABLE IF NOT EXISTS events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    dsn TEXT NOT NULL, event_id TEXT NOT NULL, body BLOB NOT NULL);
                """, path: path)
            let totals = try Self.query(db, "SELECT COUNT(*), COALESCE(SUM(LENGTH(body)), 0) FROM events", path: path) {
                ($0.int(0), $0.int(1))
            }
            initial.count = Int(totals.first?.0 ?? 0)
            initial.bytes = Int(totals.first?.1 ?? 0)
        } catch {
            sqlite3_close(db)
            throw error
        }
        state = LockedValue(initial)
    }

    deinit {
        _ = state.withLock { sqlite3_close($0.db) }
    }

    /// Events and bytes held.
    public var totals: (count: Int, bytes: Int) { state.withLock { ($0.count, $0.bytes) } }

    /// Writes `events` in one transaction, in order, as far as the size bound allows;
    /// returns how many were written (the rest were refused for lack of room).
    public func add(_ events: [RelayEvent]) throws(RelayError) -> Int {
        guard !events.isEmpty else { return 0 }
        return try state.withLock { state throws(RelayError) -> Int in
            let db = state.db
            try Self.execute(db, "BEGIN IMMEDIATE", path: path)
            var written = 0
            var bytes = state.bytes
            do throws(RelayError) {
                let statement = try Statement(db, "INSERT INTO events (dsn, event_id, body) VALUES (?, ?, ?)", path: path)
                for event in events where bytes + event.json.count <= maximumBytes {
                    statement.reset()
                    statement.bind(1, event.dsn)
                    statement.bind(2, event.eventID)
                    statement.bind(3, event.json)
                    guard statement.step() == SQLITE_DONE else { throw Self.error(db, "insert", path: path) }
                    written += 1
                    bytes += event.json.count
                }
                try Self.execute(db, "COMMIT", path: path)
            } catch {
                _ = sqlite3_exec(db, "ROLLBACK", nil, nil, nil)
                throw error
            }
            state.bytes = bytes
            state.count += written
            return written
        }
    }

    /// Up to `limit` events, oldest first, leaving out the ids in `excluding` (being sent)
    /// and the events for the DSNs in `skipping` (held back by a rate limit or a backoff).
    public func next(limit: Int, excluding: Set<Int64>, skipping: Set<String> = []) throws(RelayError) -> [Entry] {
        guard limit > 0 else { return [] }
        let skipped = Array(skipping)
        let filter = skipped.isEmpty ? "" : "WHERE dsn NOT IN (\(skipped.map { _ in "?" }.joined(separator: ",")))"
        return try state.withLock { state throws(RelayError) -> [Entry] in
            let rows = try Self.query(
                state.db, "SELECT id, dsn, event_id, body FROM events \(filter) ORDER BY id LIMIT \(limit + excluding.count)",
                path: path,
                bind: { statement in for (index, dsn) in skipped.enumerated() { statement.bind(Int32(index + 1), dsn) } }
            ) { row in
                Entry(id: row.int(0), event: RelayEvent(dsn: row.text(1), eventID: row.text(2), json: row.blob(3)))
            }
            return Array(rows.lazy.filter { !excluding.contains($0.id) }.prefix(limit))
        }
    }

    /// Deletes the event with row id `id` (answered by Sentry).
    public func remove(_ id: Int64) throws(RelayError) {
        try state.withLock { state throws(RelayError) in
            let statement = try Statement(state.db, "DELETE FROM events WHERE id = ? RETURNING LENGTH(body)", path: path)
            statement.bind(1, id)
            if statement.step() == SQLITE_ROW {
                state.bytes -= Int(statement.int(0))
                state.count -= 1
                _ = statement.step()
            }
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
        let statement = try Statement(db, sql, path: path)
        bind(statement)
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
