import CSQLite
import Foundation

/// A value bound to a `?` parameter of a statement.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    /// An optional integer, null when absent.
    public static func int(_ v: Int?) -> SQLiteValue { v.map { .int(Int64($0)) } ?? .null }
    /// A number, null when absent or not finite (SQLite stores NaN as null anyway).
    public static func number(_ v: Double?) -> SQLiteValue {
        guard let v, v.isFinite else { return .null }
        return .double(v)
    }
    /// Optional text, null when absent.
    public static func text(_ v: String?) -> SQLiteValue { v.map { .text($0) } ?? .null }
}

/// Writing: bound parameters, transactions, row ids. Used by the tracking store (PetalTracking).
extension SQLiteDatabase {
    /// The rowid of the last inserted row on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Prepares `sql`, binds `values` to its `?` parameters and runs it to the end (for statements returning no rows).
    public func run(_ sql: String, _ values: [SQLiteValue] = [], doing: String = "the statement failed") throws {
        let stmt = try prepare(sql, doing: doing)
        try stmt.bind(values)
        while try stmt.step() {}
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT` (the write lock is taken up front, so two writers wait on the busy
    /// timeout instead of failing with a deadlock); rolls back when `body` throws.
    public func transaction<T>(doing: String = "the transaction failed", _ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE", doing: doing)
        do {
            let result = try body()
            try execute("COMMIT", doing: doing)
            return result
        } catch {
            _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            throw error
        }
    }

    /// The value of a one-row, one-column query (`PRAGMA user_version`), or nil when it returns no row.
    public func scalarInt(_ sql: String, _ values: [SQLiteValue] = [], doing: String = "the query failed") throws -> Int64? {
        let stmt = try prepare(sql, doing: doing)
        try stmt.bind(values)
        guard try stmt.step(), stmt.type(0) != SQLITE_NULL else { return nil }
        return stmt.int64(0)
    }

    /// The first column of a one-row query as text, or nil.
    public func scalarText(_ sql: String, _ values: [SQLiteValue] = [], doing: String = "the query failed") throws -> String? {
        let stmt = try prepare(sql, doing: doing)
        try stmt.bind(values)
        guard try stmt.step(), stmt.type(0) != SQLITE_NULL else { return nil }
        return stmt.text(0)
    }
}

extension SQLiteStatement {
    /// Binds `values` to the statement's parameters, in order (after clearing earlier bindings).
    public func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, v) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .int(let x): rc = sqlite3_bind_int64(handle, index, x)
            case .double(let x): rc = sqlite3_bind_double(handle, index, x)
            case .text(let s): rc = sqlite3_bind_text(handle, index, s, -1, SQLITE_TRANSIENT_VALUE)
            }
            guard rc == SQLITE_OK else { throw database.error(code: rc, doing: "cannot bind parameter \(i + 1)") }
        }
    }

    /// Binds `values` and runs the statement to the end (for reuse in loops: one prepare, many executions).
    public func execute(_ values: [SQLiteValue]) throws {
        try bind(values)
        while try step() {}
    }

    /// True when column `i` of the current row is NULL.
    public func isNull(_ i: Int) -> Bool { sqlite3_column_type(handle, Int32(i)) == SQLITE_NULL }

    /// True when column `i` holds exactly the UTF-8 bytes of `text` (no String is made: for grouping rows by key).
    public func textEquals(_ i: Int, _ text: String) -> Bool {
        let n = Int(sqlite3_column_bytes(handle, Int32(i)))
        guard let p = sqlite3_column_text(handle, Int32(i)) else { return text.isEmpty }
        var copy = text
        return copy.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return n == 0 }
            return bytes.count == n && memcmp(base, p, n) == 0
        }
    }

    /// Column `i` as an optional number.
    public func optionalDouble(_ i: Int) -> Double? { isNull(i) ? nil : double(i) }

    /// Column `i` as optional text.
    public func optionalText(_ i: Int) -> String? { isNull(i) ? nil : text(i) }
}

/// sqlite's `SQLITE_TRANSIENT` (copy the bytes now), which the C macro spells as a cast Swift cannot import.
let SQLITE_TRANSIENT_VALUE = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
