import PetalData

/// The SQL of a group version's rows table, shared by the SQLite and PostgreSQL backends so that they cannot drift:
/// one table per version, `"rows:NAME:vN"`, with the group's columns, three hidden ones (stored order, event time in
/// µs since 1970, and whether the row is its key's current one), unique by (primary key, event time).
struct RowsTable {
    static let eventColumn = "__petal_event_time", sequenceColumn = "__petal_seq", currentColumn = "__petal_current"
    /// The temporary table of an insert's keys.
    static let keysTable = "petal_batch_keys"

    let group: FeatureGroup
    /// The quoted table name (with its schema when the backend has one).
    let name: String
    /// `$1` or `?1`: how the backend writes the n-th parameter (from 1).
    let parameter: (Int) -> String

    init(_ group: FeatureGroup, schema: String? = nil, quote: @escaping (String) -> String, parameter: @escaping (Int) -> String) {
        self.group = group
        name = (schema.map { quote($0) + "." } ?? "") + quote("rows:\(group.name):v\(group.version)")
        self.parameter = parameter
        q = quote
    }

    private let q: (String) -> String

    var keys: [String] { group.primaryKey.map(q) }
    var keyList: String { keys.joined(separator: ", ") }
    /// Event time, then the group's columns: the order rows are written and read in.
    var valueColumns: [String] { [q(Self.eventColumn)] + group.columns.map { q($0.name) } }

    /// `CREATE TABLE`, given the backend's type names.
    func create(sequence: String, type: (ColumnType) -> String) -> String {
        let columns = group.columns.map { "\(q($0.name)) \(type($0.type))" }
        return """
            CREATE TABLE \(name) (\(q(Self.sequenceColumn)) \(sequence), \(q(Self.eventColumn)) BIGINT NOT NULL,
                \(q(Self.currentColumn)) BOOLEAN NOT NULL DEFAULT FALSE, \(columns.joined(separator: ", ")),
                UNIQUE (\(keyList), \(q(Self.eventColumn))))
            """
    }

    /// Rows in stored order, from `filter` on (`WHERE …`).
    func select(_ filter: String) -> String {
        "SELECT \(valueColumns.joined(separator: ", ")) FROM \(name) \(filter) ORDER BY \(q(Self.eventColumn)), \(q(Self.sequenceColumn))"
    }

    /// Every row up to a time (one parameter), or all.
    func selectThrough(_ limited: Bool) -> String {
        select(limited ? "WHERE \(q(Self.eventColumn)) <= \(parameter(1))" : "")
    }

    /// `(k1, k2) IN (SELECT k1, k2 FROM the keys table)`.
    var inKeys: String { "(\(keyList)) IN (SELECT \(keyList) FROM \(Self.keysTable))" }

    /// An empty temporary table with the key columns' types.
    func createKeys(temporary: String) -> String {
        "CREATE TEMPORARY TABLE \(Self.keysTable) \(temporary) AS SELECT \(keyList) FROM \(name) WHERE FALSE"
    }

    /// `INSERT INTO the keys table VALUES (…), (…)` for `rows` rows.
    func insertKeys(rows: Int) -> String {
        "INSERT INTO \(Self.keysTable) (\(keyList)) VALUES " + placeholders(rows: rows, columns: keys.count)
    }

    /// The stored rows of the keys in the keys table.
    var selectWithKeys: String { select("WHERE " + inKeys) }

    /// Marks, for every key in the keys table, its row with the latest event time current and the others not.
    var updateCurrent: String {
        let ev = q(Self.eventColumn)
        let match = keys.map { "\(name).\($0) = latest.\($0)" }.joined(separator: " AND ")
        return """
            UPDATE \(name) SET \(q(Self.currentColumn)) = (\(name).\(ev) = latest.ev)
            FROM (SELECT \(keyList), MAX(\(ev)) AS ev FROM \(name) WHERE \(inKeys) GROUP BY \(keyList)) AS latest
            WHERE \(match)
            """
    }

    /// Marks each key's latest row current over the whole table (when a table is upgraded).
    var updateAllCurrent: String {
        let ev = q(Self.eventColumn)
        let match = keys.map { "\(name).\($0) = latest.\($0)" }.joined(separator: " AND ")
        return """
            UPDATE \(name) SET \(q(Self.currentColumn)) = (\(name).\(ev) = latest.ev)
            FROM (SELECT \(keyList), MAX(\(ev)) AS ev FROM \(name) GROUP BY \(keyList)) AS latest WHERE \(match)
            """
    }

    /// The group's columns of the current rows, in the order they were written (SQLite's table order: no sort).
    var selectCurrent: String {
        "SELECT \(group.columns.map { q($0.name) }.joined(separator: ", ")) FROM \(name) WHERE \(q(Self.currentColumn))"
            + " ORDER BY \(q(Self.sequenceColumn))"
    }

    /// `(p1, p2), (p3, p4)`.
    func placeholders(rows: Int, columns: Int) -> String {
        (0..<rows).map { r in "(" + (1...max(1, columns)).map { parameter(r * columns + $0) }.joined(separator: ", ") + ")" }.joined(separator: ", ")
    }
}
