import Foundation
import PetalData

/// Feature groups in one SQLite file, `features.db`, in the project's `.petal/` folder beside the tracking store
/// (WAL mode, every write one `BEGIN IMMEDIATE` transaction, so several `petal` processes queue). Definitions,
/// statistics, rules and views are JSON in three small tables; each group version's rows are a table of their own
/// with typed columns, unique by (primary key, event time).
public final class SQLiteFeatureStorage: FeatureStorage, JobStorage {
    public let location: String
    let db: SQLiteDatabase
    /// The schema this Petal writes (`PRAGMA user_version`).
    static let schemaVersion = 1
    /// Names of the hidden columns of a rows table (user columns may not start with `__petal`).
    static let eventColumn = "__petal_event_time", sequenceColumn = "__petal_seq"

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
                PRAGMA user_version = \(Self.schemaVersion);
                """, doing: "cannot create the feature store's tables")
        }
    }

    static func table(_ group: FeatureGroup) -> String { SQLiteDatabase.quoteIdentifier("rows:\(group.name):v\(group.version)") }

    // MARK: - Groups

    public func groups(named name: String?) throws -> [FeatureGroup] {
        let stmt = try db.prepare("SELECT definition, statistics FROM feature_groups" + (name == nil ? "" : " WHERE name = ?")
                                  + " ORDER BY name, version", doing: "cannot read the feature groups")
        try stmt.bind(name.map { [.text($0)] } ?? [])
        var out: [FeatureGroup] = []
        while try stmt.step() {
            var group = try JSONCoding.decode(FeatureGroup.self, stmt.text(0), what: "a feature group's definition in \(location)")
            if let stats = stmt.optionalText(1) {
                group.statistics = try JSONCoding.decode(GroupStatistics.self, stats, what: "a feature group's statistics in \(location)")
            }
            out.append(group)
        }
        return out
    }

    public func createGroup(_ group: FeatureGroup) throws {
        var definition = group
        definition.statistics = nil
        let columns = group.columns.map { "\(SQLiteDatabase.quoteIdentifier($0.name)) \(Self.sqlType($0.type))" }
        let unique = (group.primaryKey + [Self.eventColumn]).map(SQLiteDatabase.quoteIdentifier).joined(separator: ", ")
        let table = Self.table(group)
        try db.transaction(doing: "cannot create feature group \(group.label)") {
            try db.run("INSERT INTO feature_groups (name, version, definition, created) VALUES (?, ?, ?, ?)",
                       [.text(group.name), .int(Int64(group.version)), .text(try JSONCoding.encode(definition)), .double(group.created)])
            try db.execute("""
                CREATE TABLE \(table) (\(Self.sequenceColumn) INTEGER PRIMARY KEY, \(Self.eventColumn) INTEGER NOT NULL,
                    \(columns.joined(separator: ", ")), UNIQUE (\(unique)));
                """)
        }
    }

    public func insert(_ rows: GroupRows, into group: FeatureGroup, statistics: GroupStatistics) throws {
        let names = [Self.eventColumn] + group.columns.map(\.name)
        let sql = "INSERT OR REPLACE INTO \(Self.table(group)) (\(names.map(SQLiteDatabase.quoteIdentifier).joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
        let columns = try group.columns.map { try rows.frame.requireColumn($0.name) }
        try db.transaction(doing: "cannot insert into feature group \(group.label)") {
            let stmt = try db.prepare(sql)
            for i in 0..<rows.frame.rowCount {
                try stmt.execute([.int(rows.eventTimes[i])] + columns.map { Self.sqlValue($0, row: i) })
            }
            try db.run("UPDATE feature_groups SET statistics = ? WHERE name = ? AND version = ?",
                       [.text(try JSONCoding.encode(statistics)), .text(group.name), .int(Int64(group.version))])
        }
    }

    public func rows(of group: FeatureGroup, through: Int64?) throws -> GroupRows {
        let names = group.columns.map { SQLiteDatabase.quoteIdentifier($0.name) }
        let stmt = try db.prepare("SELECT \(Self.eventColumn)\(names.isEmpty ? "" : ", " + names.joined(separator: ", ")) FROM \(Self.table(group))"
                                  + (through == nil ? "" : " WHERE \(Self.eventColumn) <= ?")
                                  + " ORDER BY \(Self.eventColumn), \(Self.sequenceColumn)", doing: "cannot read feature group \(group.label)")
        try stmt.bind(through.map { [.int($0)] } ?? [])
        var times: [Int64] = []
        var builders = group.columns.map { TypedColumnBuilder(type: $0.type) }
        while try stmt.step() {
            times.append(stmt.int64(0))
            for k in builders.indices { builders[k].append(stmt, k + 1) }
        }
        let frame = try Frame(columns: zip(group.columns, builders).map { $1.build(name: $0.name) })
        return GroupRows(frame: frame, eventTimes: times)
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
        case .float(let x): return .number(x)
        case .bool(let b): return .int(b ? 1 : 0)
        case .datetime(let x, _): return .int(x)
        case .text(let s): return .text(s)
        }
    }
}

/// Builds a column of a declared type from query results.
struct TypedColumnBuilder {
    let type: ColumnType
    private var ints: [Int64] = [], floats: [Double] = [], bools: [Bool] = []
    private var text = DictionaryEncoder(), codes: [Int32] = []
    private var validity = Bitmap(count: 0, value: true)

    init(type: ColumnType) { self.type = type }

    mutating func append(_ stmt: SQLiteStatement, _ i: Int) {
        let null = stmt.isNull(i)
        validity.append(!null)
        switch type {
        case .int, .date, .datetime: ints.append(null ? 0 : stmt.int64(i))
        case .float: floats.append(null ? .nan : stmt.double(i))
        case .bool: bools.append(null ? false : stmt.int64(i) != 0)
        case .text: codes.append(null ? 0 : text.code(for: stmt.text(i)))
        }
    }

    func build(name: String) -> Column {
        let storage: ColumnStorage
        switch type {
        case .int: storage = .int(ints)
        case .date, .datetime: storage = .datetime(ints, dateOnly: type == .date)
        case .float: storage = .float(floats)
        case .bool: storage = .bool(bools)
        case .text: storage = .text(codes: codes, dictionary: text.dictionary.isEmpty ? [""] : text.dictionary)
        }
        return Column(name: name, storage: storage, validity: validity)
    }
}

/// JSON for definitions kept in a store (sorted keys, so equal definitions are equal text).
enum JSONCoding {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, what: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(text.utf8)) } catch {
            throw PetalError("cannot read \(what): \(error)", hint: "the file was edited or damaged; move it aside to start again")
        }
    }
}
