import CLibPQ
import Foundation
import PetalData

/// Statements with parameters, for code that keeps its own tables in PostgreSQL (the feature store's backend).
/// Values travel as text (`$1`, `$2`, …; nil is NULL) and the server converts them to each column's type.
extension PostgresConnection {
    /// Runs one statement and returns how many rows it changed (0 for statements that change none).
    /// - Throws: `PetalError` with the server's message, prefixed by `what`.
    @discardableResult
    public func run(_ sql: String, _ parameters: [String?] = [], doing what: String) throws -> Int {
        let result: OpaquePointer? = parameters.isEmpty ? PQexec(conn, sql)
            : withOptionalCStrings(parameters) { PQexecParams(conn, sql, Int32(parameters.count), nil, $0, nil, nil, 0) }
        guard let result else { throw queryError(nil, doing: what) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw queryError(result, doing: what) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Runs a query and gives each row's values (as text; nil for NULL) to `row`. The whole result is fetched at
    /// once (single-row mode, as `open` streams a table, costs a result per row: ~8× slower on the feature store's
    /// reads), so this is for tables whose size the caller keeps in hand.
    public func query(_ sql: String, _ parameters: [String?] = [], doing what: String, row: ([String?]) throws -> Void) throws {
        let result: OpaquePointer? = parameters.isEmpty ? PQexecParams(conn, sql, 0, nil, nil, nil, nil, 0)
            : withOptionalCStrings(parameters) { PQexecParams(conn, sql, Int32(parameters.count), nil, $0, nil, nil, 0) }
        guard let result else { throw queryError(nil, doing: what) }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK else { throw queryError(result, doing: what) }
        let rows = PQntuples(result), columns = PQnfields(result)
        var values = [String?](repeating: nil, count: Int(columns))
        for r in 0..<rows {
            for c in 0..<columns {
                values[Int(c)] = PQgetisnull(result, r, c) != 0 ? nil
                    : String(decoding: UnsafeRawBufferPointer(start: PQgetvalue(result, r, c), count: Int(PQgetlength(result, r, c))), as: UTF8.self)
            }
            try row(values)
        }
    }

    /// The first column of the first row, or nil when there is no row or it is NULL.
    public func scalar(_ sql: String, _ parameters: [String?] = [], doing what: String) throws -> String? {
        var out: String?
        var first = true
        try query(sql, parameters, doing: what) { values in
            if first { out = values.first ?? nil; first = false }
        }
        return out
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(doing what: String, _ body: () throws -> T) throws -> T {
        try run("BEGIN", doing: what)
        do {
            let value = try body()
            try run("COMMIT", doing: what)
            return value
        } catch {
            _ = try? run("ROLLBACK", doing: what)
            throw error
        }
    }

    /// `'text'` with embedded quotes doubled (for DDL, where parameters are not allowed).
    public static func literal(_ text: String) -> String { quoteLiteral(text) }
}
