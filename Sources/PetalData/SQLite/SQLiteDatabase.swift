import CSQLite
import Foundation

/// A small wrapper over one SQLite connection (read-only by default). Every error names the file and carries
/// sqlite's own message (`sqlite3_errmsg`) with a hint about what to do. Public so that PetalTracking writes its
/// store through the same wrapper (see `SQLiteDatabase+Writing.swift`).
public final class SQLiteDatabase {
    /// How a connection may touch the file.
    public enum Access: Sendable {
        case readOnly, readWrite, readWriteCreate
        /// Read-only without locks or WAL shared memory (`immutable=1`), for a file in a folder that cannot be
        /// written; only safe when nothing else writes the file.
        case immutable
    }

    /// The path as the user gave it, for messages.
    public let path: String
    let handle: OpaquePointer

    /// Opens `path`. Read-only connections never create the file and never write to it.
    /// - Parameter busyTimeoutMilliseconds: how long to wait for another connection's lock before giving up.
    public init(path: String, access: Access = .readOnly, busyTimeoutMilliseconds: Int32 = 2000) throws {
        self.path = path
        var db: OpaquePointer?
        let flags: Int32
        var name = path
        switch access {
        case .readOnly: flags = SQLITE_OPEN_READONLY
        case .readWrite: flags = SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .immutable:
            flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
            let escaped = path.unicodeScalars.map { s -> String in
                s == "%" || s == "?" || s == "#" ? String(format: "%%%02X", s.value) : String(s)
            }.joined()
            name = "file:" + escaped + "?immutable=1"
        }
        // One thread uses a connection at a time, so sqlite's per-call mutex is not needed (multi-thread mode).
        let rc = sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw SQLiteDatabase.error(code: rc, message: message, path: path, doing: "cannot open the database")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Compiles one SQL statement.
    /// - Parameter doing: what the statement is for, for the error message ("the query failed").
    public func prepare(_ sql: String, doing: String = "the query failed") throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            if let stmt { sqlite3_finalize(stmt) }
            throw error(code: rc, doing: doing)
        }
        return SQLiteStatement(database: self, handle: stmt, doing: doing)
    }

    /// Runs SQL that returns no rows (several statements allowed); for writable connections (test fixtures).
    public func execute(_ sql: String, doing: String = "the statement failed") throws {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(code: rc, doing: doing) }
    }

    /// The tables and views, in the order they were created (sqlite's own `sqlite_*` tables left out).
    func tables() throws -> [(name: String, isView: Bool)] {
        let stmt = try prepare("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                               doing: "cannot read the list of tables")
        var out: [(name: String, isView: Bool)] = []
        while try stmt.step() {
            out.append((stmt.text(0), stmt.text(1) == "view"))
        }
        return out
    }

    /// An error for result code `code`, with sqlite's message for this connection.
    public func error(code: Int32, doing: String) -> PetalError {
        SQLiteDatabase.error(code: code, message: String(cString: sqlite3_errmsg(handle)), path: path, doing: doing)
    }

    /// The hint for errors without a more specific one (SQL mistakes, mostly).
    static let defaultHint = "check the SQL and the table and column names"

    /// An error for result code `code` with a hint chosen by the kind of failure.
    static func error(code: Int32, message: String, path: String, doing: String) -> PetalError {
        let location = SourceLocation(file: path)
        switch code & 0xFF {
        case SQLITE_NOTADB:
            return PetalError("this is not a SQLite database (sqlite: \(message))", at: location,
                             hint: "check the file; if it holds CSV or JSON, give it a .csv or .json name or open it with format=csv")
        case SQLITE_CORRUPT:
            return PetalError("the database file is damaged (sqlite: \(message))", at: location,
                             hint: "the file may be truncated or overwritten; use a fresh copy, or try `sqlite3 FILE .recover`")
        case SQLITE_BUSY, SQLITE_LOCKED:
            return PetalError("\(doing): \(message)", at: location,
                             hint: "another program holds a lock on the database; finish or close it and try again")
        case SQLITE_CANTOPEN:
            return PetalError("\(doing): \(message)", at: location, hint: "check that the file exists and can be read")
        case SQLITE_READONLY where code == 264 || code == 776:  // SQLITE_READONLY_RECOVERY, SQLITE_READONLY_ROLLBACK
            return PetalError("\(doing): \(message)", at: location,
                             hint: "the database has an unfinished transaction (a -journal or -wal file beside it); "
                                + "open it once with sqlite3 so it can recover, then try again")
        case SQLITE_READONLY:
            return PetalError("\(doing): \(message)", at: location, hint: "Petal only reads databases; use a SELECT query")
        default:
            return PetalError("\(doing): \(message)", at: location, hint: defaultHint)
        }
    }

    /// `name` as a quoted SQL identifier: `"my ""odd"" table"`.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A compiled statement; finalized when released. Keeps its database open while it lives.
public final class SQLiteStatement {
    public let database: SQLiteDatabase
    let handle: OpaquePointer
    private let doing: String

    init(database: SQLiteDatabase, handle: OpaquePointer, doing: String) {
        self.database = database
        self.handle = handle
        self.doing = doing
    }

    deinit { sqlite3_finalize(handle) }

    /// Advances to the next row; false when there are no more.
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw database.error(code: rc, doing: doing)
    }

    /// True when the statement cannot change the database.
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of result column `i` (as sqlite reports it: the alias, or the expression's text).
    public func columnName(_ i: Int) -> String {
        guard let name = sqlite3_column_name(handle, Int32(i)) else { return "" }
        return String(cString: name)
    }

    /// The storage class of column `i` in the current row: `SQLITE_INTEGER`, `SQLITE_FLOAT`, `SQLITE_TEXT`,
    /// `SQLITE_BLOB` or `SQLITE_NULL`.
    public func type(_ i: Int) -> Int32 { sqlite3_column_type(handle, Int32(i)) }

    public func int64(_ i: Int) -> Int64 { sqlite3_column_int64(handle, Int32(i)) }

    public func double(_ i: Int) -> Double { sqlite3_column_double(handle, Int32(i)) }

    /// Column `i` as text (invalid UTF-8 is replaced, not trusted).
    public func text(_ i: Int) -> String {
        guard let p = sqlite3_column_text(handle, Int32(i)) else { return "" }
        let n = Int(sqlite3_column_bytes(handle, Int32(i)))
        return String(decoding: UnsafeBufferPointer(start: p, count: max(0, n)), as: UTF8.self)
    }

    /// The size of a BLOB in column `i`.
    public func byteCount(_ i: Int) -> Int { Int(sqlite3_column_bytes(handle, Int32(i))) }
}
