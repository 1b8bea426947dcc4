import Foundation
import PetalData

/// Feature groups in one SQLite file, `features.db`, in the project's `.petal/` folder beside the tracking store
/// (WAL mode, every write one `BEGIN IMMEDIATE` transaction, so several `petal` processes queue). Definitions,
/// statistics, rules and views are JSON in three small tables; each group version's rows are a table of their own
/// with typed columns, unique by (primary key, event time) (`RowsTable`, shared with `PostgresFeatureStorage`).
public final class SQLiteFeatureStorage: FeatureStorage, JobStorage {
    public let location: String
    let db: SQLiteDatabase
    /// The schema this Petal writes (`PRAGMA user_version`): 2 added each rows table's current-row flag.
    static let schemaVersion = 2

    /// Opens (creating when missing) `features.db` in `folder`.
    /// - Throws: `PetalError` when the folder cannot be written or the file is from a newer Petal.
    public init(folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw PetalError("cannot create the folder \(folder) for the feature store: \(error.localizedDescription)",
                            hint: "work in a folder you can write to, or set PETAL_HOME to one")
        }
        location = (folder as NSString).appendingPathComponent("features.db")
        db = try SQLiteDatabase(path: location, access: .readWriteCreate, busyTimeoutMilliseconds: 10_000)
        _ = try db.scalarText("PRAGMA journal_mode=WAL", doing: "cannot switch the feature store to WAL mode")
        try db.execute("PRAGMA synchronous=NORMAL", doing: "cannot set up the feature store")
        try db.transaction(doing: "cannot create the feature store's tables") {
            let found = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
            if found > Self.schemaVersion {
                throw PetalError("the feature store \(location) was written by a newer Petal (schema version \(found))",
                                hint: "upgrade Petal to use it")
            }
            guard found < Self.schemaVersion else { return }
            if found == 0 {
                try db.execute("""
                    CREATE TABLE feature_groups (name TEXT NOT NULL, version INTEGER NOT NULL, definition TEXT NOT NULL,
                        statistics TEXT, created REAL NOT NULL, PRIMARY KEY (name, version)) WITHOUT ROWID;
                    CREATE TABLE expectations (grp TEXT NOT NULL, col TEXT NOT NULL, kind TEXT NOT NULL, rule TEXT NOT NULL,
                        PRIMARY KEY (grp, col, kind)) WITHOUT ROWID;
                    CREATE TABLE feature_views (name TEXT NOT NULL, version INTEGER NOT NULL, definition TEXT NOT NULL,
                        created REAL NOT NULL, PRIMARY KEY (name, version)) WITHOUT ROWID;
                    CREATE TABLE jobs (name TEXT PRIMARY KEY, definition TEXT NOT NULL, next_due REAL NOT NULL,
                        last_started REAL, last_ended REAL, last_status TEXT, last_run INTEGER, last_message TEXT,
                        claimed_by TEXT, claimed_at REAL) WITHOUT ROWID;
                    """, doing: "cannot create the feature store's tables")
            } else {
                // Version 1 → 2: each rows table gets its current-row flag, set from the rows it holds.
                for group in try groups(named: nil) {
                    let table = rowsTable(group)
                    try db.execute("ALTER TABLE \(table.name) ADD COLUMN \(RowsTable.currentColumn) BOOLEAN NOT NULL DEFAULT FALSE",
                                   doing: "cannot upgrade the feature store \(location)")
                    try db.execute(table.updateAllCurrent, doing: "cannot upgrade the feature store \(location)")
                }
            }
            try db.execute("PRAGMA user_version = \(Self.schemaVersion)", doing: "cannot create the feature store's tables")
        }
    }

    func rowsTable(_ group: FeatureGroup) -> RowsTable {
        RowsTable(group, quote: SQLiteDatabase.quoteIdentifier, parameter: { "?\($0)" })
    }

    // MARK: - Groups

    public func groups(named name: String?) throws -> [FeatureGroup] {
        let stmt = try db.prepare("SELECT definition, statistics FROM feature_groups" + (name == nil ? "" : " WHERE name = ?")
                                  + " ORDER BY name, version", doing: "cannot read the feature groups")
        try stmt.bind(name.map { [.text($0)] } ?? [])
        var out: [FeatureGroup] = []
        while try stmt.step() {
            out.append(try FeatureGroup.stored(definition: stmt.text(0), statistics: stmt.optionalText(1), location: location))
        }
        return out
    }

    public func createGroup(_ group: FeatureGroup) throws {
        var definition = group
        definition.statistics = nil
        try db.transaction(doing: "cannot create feature group \(group.label)") {
            try db.run("INSERT INTO feature_groups (name, version, definition, created) VALUES (?, ?, ?, ?)",
                       [.text(group.name), .int(Int64(group.version)), .text(try JSONCoding.encode(definition)), .double(group.created)])
            try db.execute(rowsTable(group).create(sequence: "INTEGER PRIMARY KEY", type: Self.sqlType))
        }
    }

    // MARK: - Rules and views

    public func expectations(of name: String) throws -> [Expectation] {
        let stmt = try db.prepare("SELECT rule FROM expectations WHERE grp = ? ORDER BY col, kind", doing: "cannot read the expectations")
        try stmt.bind([.text(name)])
        var out: [Expectation] = []
        while try stmt.step() { out.append(try JSONCoding.decode(Expectation.self, stmt.text(0), what: "an expectation in \(location)")) }
        return out
    }

    public func addExpectation(_ e: Expectation) throws {
        try db.transaction(doing: "cannot store the expectation") {
            try db.run("INSERT OR REPLACE INTO expectations (grp, col, kind, rule) VALUES (?, ?, ?, ?)",
                       [.text(e.group), .text(e.column), .text(e.rule.kind), .text(try JSONCoding.encode(e))])
        }
    }

    public func views(named name: String?) throws -> [FeatureView] {
        let stmt = try db.prepare("SELECT definition FROM feature_views" + (name == nil ? "" : " WHERE name = ?") + " ORDER BY name, version",
                                  doing: "cannot read the feature views")
        try stmt.bind(name.map { [.text($0)] } ?? [])
        var out: [FeatureView] = []
        while try stmt.step() { out.append(try JSONCoding.decode(FeatureView.self, stmt.text(0), what: "a feature view in \(location)")) }
        return out
    }

    public func createView(_ view: FeatureView) throws {
        try db.transaction(doing: "cannot store feature view \(view.name)") {
            try db.run("INSERT INTO feature_views (name, version, definition, created) VALUES (?, ?, ?, ?)",
                       [.text(view.name), .int(Int64(view.version)), .text(try JSONCoding.encode(view)), .double(view.created)])
        }
    }

    // MARK: - Values

    static func sqlType(_ type: ColumnType) -> String {
        switch type {
        case .int, .bool, .date, .datetime: return "INTEGER"
        case .float: return "REAL"
        case .text: return "TEXT"
        }
    }

    static func sqlValue(_ column: Column, row i: Int) -> SQLiteValue {
        switch column[i] {
        case .null: return .null
        case .int(let x): return .int(x)
        case .float(let x): return x.isNaN ? .null : .double(x)   // ±inf are values (.number would drop them)
        case .bool(let b): return .int(b ? 1 : 0)
        case .datetime(let x, _): return .int(x)
        case .text(let s): return .text(s)
        }
    }
}
