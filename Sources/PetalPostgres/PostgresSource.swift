import Foundation
import PetalData
import Synchronization

/// `open postgresql://user@host[:port]/database table=T | query="SELECT …"`: reads a table or a query's result
/// from a PostgreSQL server through libpq, in a read-only transaction; with neither, lists the tables.
///
/// Rows stream in single-row mode with progress (rows, against the planner's estimate for a table) and Ctrl-C
/// cancels the query on the server. Passwords come from the address, `PGPASSWORD` or `~/.pgpass` (libpq reads
/// both), or `passwordPrompt` when one is set (the interactive REPL sets it); they never reach messages.
public enum PostgresSource {
    /// Asks the user for a password (given the target's description); nil when nobody can answer.
    public typealias PasswordPrompt = @Sendable (String) -> String?
    private static let prompt = Mutex<PasswordPrompt?>(nil)

    /// Sets (or clears) how a missing password is asked for.
    public static func setPasswordPrompt(_ ask: PasswordPrompt?) { prompt.withLock { $0 = ask } }

    /// Loads a table or query from `address`, or lists its tables.
    /// - Throws: `PetalError` naming host, database and table, saying what to do.
    public static func load(_ address: String, options: LoadOptions) throws -> LoadResult {
        let db = try connect(address)
        let location = SourceLocation(file: db.shown)
        switch (options.table, options.query) {
        case (.some, .some):
            throw PetalError("give either table= or query=, not both", at: location,
                            hint: "table=NAME reads a whole table; query=\"SELECT ...\" runs a query")
        case (.some(let table), nil):
            let tables = try listing(db)
            guard let found = match(table, in: tables) else {
                let names = tables.map(\.displayName)
                throw PetalError("no table \"\(table)\" in \(db.target)", at: location,
                                hint: names.isEmpty ? "the database has no tables (check the database name)"
                                    : "tables are: " + names.prefix(30).joined(separator: ", "))
            }
            let sql = "SELECT * FROM " + PostgresConnection.quoteIdentifier(found.schema) + "." + PostgresConnection.quoteIdentifier(found.name)
            return try read(db, sql: sql, what: "table \"\(found.displayName)\"", estimate: found.estimate, control: options.csv.control,
                            memoryLimit: options.memoryLimit)
        case (nil, .some(let query)):
            return try read(db, sql: query, what: "the query", estimate: nil, control: options.csv.control, memoryLimit: options.memoryLimit)
        case (nil, nil):
            let tables = try listing(db)
            guard !tables.isEmpty else {
                throw PetalError("\(db.target) has no tables", at: location, hint: "check the database name in the address")
            }
            var infos: [TableInfo] = []
            for t in tables {
                let count = try scalar(db, "SELECT count(*) FROM " + PostgresConnection.quoteIdentifier(t.schema) + "."
                                       + PostgresConnection.quoteIdentifier(t.name), what: "counting the rows of \"\(t.displayName)\"")
                infos.append(TableInfo(name: t.displayName, rows: Int(count) ?? 0, columns: t.columns))
            }
            return LoadResult(frame: nil, tables: infos)
        }
    }

    /// Connects, asking for a password through the prompt when the server needs one and none was found.
    static func connect(_ address: String) throws -> PostgresConnection {
        do {
            return try PostgresConnection(address: address)
        } catch let error as PetalError where PostgresConnection.needsPassword(error) {
            guard let ask = prompt.withLock({ $0 }), let password = ask(PostgresTarget(address).description) else { throw error }
            return try PostgresConnection(address: address, password: password)
        }
    }

    /// A table or view, with its columns and the planner's row estimate.
    struct Table {
        var schema: String
        var name: String
        var columns: [String]
        var estimate: Int
        /// `name`, or `schema.name` outside the public schema.
        var displayName: String { schema == "public" ? name : schema + "." + name }
    }

    /// The user's tables and views, public schema first.
    static func listing(_ db: PostgresConnection) throws -> [Table] {
        let sql = """
            SELECT n.nspname, c.relname, GREATEST(c.reltuples, 0)::bigint,
                   coalesce((SELECT string_agg(a.attname, E'\\x1f' ORDER BY a.attnum) FROM pg_attribute a
                             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' AND has_table_privilege(c.oid, 'SELECT')
            ORDER BY n.nspname <> 'public', n.nspname, c.relname
            """
        var tables: [Table] = []
        try db.stream(sql, control: nil, what: "listing the tables", columns: { _ in }, row: { values, lengths in
            func text(_ i: Int) -> String {
                guard let p = values[i] else { return "" }
                return String(decoding: UnsafeRawBufferPointer(start: p, count: lengths[i]), as: UTF8.self)
            }
            tables.append(Table(schema: text(0), name: text(1), columns: text(3).split(separator: "\u{1F}").map(String.init),
                                estimate: Int(text(2)) ?? 0))
        })
        return tables
    }

    /// The table the user named: exactly, then ignoring case; `schema.table` names another schema.
    static func match(_ wanted: String, in tables: [Table]) -> Table? {
        tables.first { $0.displayName == wanted || $0.schema + "." + $0.name == wanted }
            ?? tables.first { $0.displayName.lowercased() == wanted.lowercased() || ($0.schema + "." + $0.name).lowercased() == wanted.lowercased() }
    }

    /// The first value of a one-value query.
    static func scalar(_ db: PostgresConnection, _ sql: String, what: String) throws -> String {
        var out = ""
        try db.stream(sql, control: nil, what: what, columns: { _ in }, row: { values, lengths in
            if let p = values.first ?? nil { out = String(decoding: UnsafeRawBufferPointer(start: p, count: lengths[0]), as: UTF8.self) }
        })
        return out
    }

    /// Streams `sql`'s rows into a frame inside a read-only transaction.
    static func read(_ db: PostgresConnection, sql: String, what: String, estimate: Int?, control: LoadControl?,
                     memoryLimit: Int?) throws -> LoadResult {
        let location = SourceLocation(file: db.shown)
        try db.execute("BEGIN TRANSACTION READ ONLY")
        defer { try? db.execute("ROLLBACK") }
        control?.setTotal(max(0, estimate ?? 0))
        let limit = max(1, memoryLimit ?? Int(min(ProcessInfo.processInfo.physicalMemory / 2, UInt64(Int.max))))
        var builders: [PostgresColumnBuilder] = []
        var rows = 0
        var bytes = 0
        var rowBytes = 0
        try db.stream(sql, control: control, what: what, columns: { described in
            guard !described.isEmpty else {
                throw PetalError("\(what) returns no columns", at: location, hint: "use a SELECT query")
            }
            builders = described.map { PostgresColumnBuilder(name: $0.name, oid: $0.type) }
            rowBytes = builders.reduce(0) { $0 + $1.bytesPerCell }
        }, row: { values, lengths in
            for i in builders.indices where i < values.count {
                builders[i].append(values[i], length: lengths[i])
                if builders[i].kind == .text { bytes += lengths[i] }
            }
            rows += 1
            bytes += rowBytes
            control?.advance(by: 1)
            if bytes > limit {
                throw PetalError("\(what) is larger than the memory Petal may use (\(limit / 1_000_000) MB) after \(rows) rows",
                                at: location, hint: "select fewer rows or columns with query=\"SELECT … WHERE … LIMIT …\"")
            }
        })
        var warnings: [DataWarning] = []
        if rows == 0 { warnings.append(DataWarning("\(what) has no rows", at: location)) }
        let names = uniqueNames(builders.map(\.name), location: location, warnings: &warnings)
        var columns: [Column] = []
        for (i, b) in builders.enumerated() {
            var c = b.build(location: SourceLocation(file: db.shown, field: b.name), warnings: &warnings)
            c.name = names[i]
            columns.append(c)
        }
        return LoadResult(frame: try Frame(columns: columns), warnings: warnings)
    }

    /// Result column names made unique (`id`, `id_2`), with a warning for each renamed one.
    static func uniqueNames(_ names: [String], location: SourceLocation, warnings: inout [DataWarning]) -> [String] {
        var used = Set<String>()
        return names.enumerated().map { i, raw in
            var name = raw.isEmpty || raw == "?column?" ? "column_\(i + 1)" : raw
            if used.contains(name) {
                var k = 2
                while used.contains("\(name)_\(k)") || names.contains("\(name)_\(k)") { k += 1 }
                warnings.append(DataWarning("the result has more than one column named \"\(name)\"; calling column \(i + 1) \(name)_\(k)", at: location))
                name = "\(name)_\(k)"
            }
            used.insert(name)
            return name
        }
    }
}
