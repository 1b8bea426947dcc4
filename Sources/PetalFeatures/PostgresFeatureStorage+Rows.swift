import PetalData
import PetalPostgres

/// Rows of a group version in PostgreSQL: multi-row upserts, the current-row flags, reads (SQL from `RowsTable`).
extension PostgresFeatureStorage {
    /// A transaction holding a row lock on the group's definition: inserts into one group from any machine queue here.
    public func writing<T>(_ group: FeatureGroup, doing what: String, _ body: () throws -> T) throws -> T {
        try db.transaction(doing: what) {
            try db.run("SELECT 1 FROM petal.feature_groups WHERE name = $1 AND version = $2 FOR UPDATE",
                       [group.name, String(group.version)], doing: what)
            return try body()
        }
    }

    public func rows(of group: FeatureGroup, withKeysOf keys: Frame) throws -> GroupRows {
        let table = rowsTable(group)
        try fillKeys(table, keys)
        return try read(group, table.selectWithKeys, [], doing: "reading feature group \(group.label)")
    }

    public func upsert(_ rows: GroupRows, into group: FeatureGroup) throws {
        let table = rowsTable(group)
        let names = table.valueColumns
        let updates = (group.columns.map { PostgresConnection.quoteIdentifier($0.name) } + [PostgresConnection.quoteIdentifier(RowsTable.currentColumn)])
            .map { "\($0) = EXCLUDED.\($0)" } + ["\(PostgresConnection.quoteIdentifier(RowsTable.sequenceColumn)) = DEFAULT"]
        let conflict = "ON CONFLICT (\(table.keyList), \(PostgresConnection.quoteIdentifier(RowsTable.eventColumn))) DO UPDATE SET "
            + updates.joined(separator: ", ")
        let columns = try group.columns.map { try rows.frame.requireColumn($0.name) }
        let doing = "inserting into feature group \(group.label)"
        try chunks(rows.frame.rowCount, columns: names.count) { range in
            var values: [String?] = []
            values.reserveCapacity(range.count * names.count)
            for i in range {
                values.append(String(rows.eventTimes[i]))
                for c in columns { values.append(try StoredText.text(c, row: i)) }
            }
            try db.run("INSERT INTO \(table.name) (\(names.joined(separator: ", "))) VALUES "
                       + table.placeholders(rows: range.count, columns: names.count) + " " + conflict, values, doing: doing)
        }
        try fillKeys(table, try Frame(columns: group.primaryKey.map { try rows.frame.requireColumn($0) }))
        try db.run(table.updateCurrent, doing: doing)
    }

    public func currentRows(of group: FeatureGroup) throws -> Frame {
        var builders = group.columns.map { TypedColumnBuilder(type: $0.type) }
        try db.query(rowsTable(group).selectCurrent, doing: "reading feature group \(group.label)") { row in
            for k in builders.indices { try builders[k].append(text: row[k], column: group.columns[k].name, location: location) }
        }
        return try Frame(columns: zip(group.columns, builders).map { $1.build(name: $0.name) })
    }

    public func setStatistics(_ statistics: GroupStatistics, of group: FeatureGroup) throws {
        try db.run("UPDATE petal.feature_groups SET statistics = $1 WHERE name = $2 AND version = $3",
                   [try JSONCoding.encode(statistics), group.name, String(group.version)], doing: "storing the statistics of \(group.label)")
    }

    public func rows(of group: FeatureGroup, through: Int64?) throws -> GroupRows {
        try read(group, rowsTable(group).selectThrough(through != nil), through.map { [String($0)] } ?? [], doing: "reading feature group \(group.label)")
    }

    /// Rows as `RowsTable.select` lists them: the event time, then the group's columns.
    private func read(_ group: FeatureGroup, _ sql: String, _ parameters: [String?], doing: String) throws -> GroupRows {
        var times: [Int64] = []
        var builders = group.columns.map { TypedColumnBuilder(type: $0.type) }
        try db.query(sql, parameters, doing: doing) { row in
            guard let t = row[0].flatMap({ Int64($0) }) else {
                throw PetalError("a row of \(group.label) in \(location) has no event time", hint: "the table was changed outside Petal")
            }
            times.append(t)
            for k in builders.indices { try builders[k].append(text: row[k + 1], column: group.columns[k].name, location: location) }
        }
        return GroupRows(frame: try Frame(columns: zip(group.columns, builders).map { $1.build(name: $0.name) }), eventTimes: times)
    }

    /// The temporary table of keys (dropped at commit), holding the rows of `keys`.
    private func fillKeys(_ table: RowsTable, _ keys: Frame) throws {
        let doing = "reading the keys of an insert"
        try db.run("DROP TABLE IF EXISTS pg_temp.\(RowsTable.keysTable)", doing: doing)
        try db.run(table.createKeys(temporary: "ON COMMIT DROP"), doing: doing)
        try chunks(keys.rowCount, columns: keys.columns.count) { range in
            var values: [String?] = []
            for i in range { for c in keys.columns { values.append(try StoredText.text(c, row: i)) } }
            try db.run(table.insertKeys(rows: range.count), values, doing: doing)
        }
        try db.run("ANALYZE pg_temp.\(RowsTable.keysTable)", doing: doing)
    }

    /// Calls `body` with consecutive row ranges small enough for one statement's parameters.
    private func chunks(_ rows: Int, columns: Int, _ body: (Range<Int>) throws -> Void) throws {
        let size = max(1, min(1_000, Self.maxParameters / max(1, columns)))
        var start = 0
        while start < rows {
            let end = min(rows, start + size)
            try body(start..<end)
            start = end
        }
    }
}
