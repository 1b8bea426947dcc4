import PetalData

/// Rows of a group version in `features.db`: upserts, the current-row flags, reads (SQL from `RowsTable`).
extension SQLiteFeatureStorage {
    /// `BEGIN IMMEDIATE`: the one writer lock of the file, so it also serialises inserts into `group`.
    public func writing<T>(_ group: FeatureGroup, doing what: String, _ body: () throws -> T) throws -> T {
        try db.transaction(doing: what, body)
    }

    public func rows(of group: FeatureGroup, withKeysOf keys: Frame) throws -> GroupRows {
        let table = rowsTable(group)
        try fillKeys(table, keys)
        return try read(group, table.selectWithKeys, [], doing: "cannot read feature group \(group.label)")
    }

    public func upsert(_ rows: GroupRows, into group: FeatureGroup) throws {
        let table = rowsTable(group)
        let sql = "INSERT OR REPLACE INTO \(table.name) (\(table.valueColumns.joined(separator: ", "))) VALUES "
            + table.placeholders(rows: 1, columns: table.valueColumns.count)
        let columns = try group.columns.map { try rows.frame.requireColumn($0.name) }
        let doing = "cannot insert into feature group \(group.label)"
        let stmt = try db.prepare(sql, doing: doing)
        for i in 0..<rows.frame.rowCount {
            try stmt.execute([.int(rows.eventTimes[i])] + columns.map { Self.sqlValue($0, row: i) })
        }
        try fillKeys(table, try Frame(columns: group.primaryKey.map { try rows.frame.requireColumn($0) }))
        try db.execute(table.updateCurrent, doing: doing)
    }

    public func currentRows(of group: FeatureGroup) throws -> Frame {
        let stmt = try db.prepare(rowsTable(group).selectCurrent, doing: "cannot read feature group \(group.label)")
        var builders = group.columns.map { TypedColumnBuilder(type: $0.type) }
        while try stmt.step() {
            for k in builders.indices { builders[k].append(stmt, k) }
        }
        return try Frame(columns: zip(group.columns, builders).map { $1.build(name: $0.name) })
    }

    public func setStatistics(_ statistics: GroupStatistics, of group: FeatureGroup) throws {
        try db.run("UPDATE feature_groups SET statistics = ? WHERE name = ? AND version = ?",
                   [.text(try JSONCoding.encode(statistics)), .text(group.name), .int(Int64(group.version))],
                   doing: "cannot store the statistics of feature group \(group.label)")
    }

    public func rows(of group: FeatureGroup, through: Int64?) throws -> GroupRows {
        try read(group, rowsTable(group).selectThrough(through != nil), through.map { [.int($0)] } ?? [],
                 doing: "cannot read feature group \(group.label)")
    }

    /// Rows as `RowsTable.select` lists them: the event time, then the group's columns.
    private func read(_ group: FeatureGroup, _ sql: String, _ values: [SQLiteValue], doing: String) throws -> GroupRows {
        let stmt = try db.prepare(sql, doing: doing)
        try stmt.bind(values)
        var times: [Int64] = []
        var builders = group.columns.map { TypedColumnBuilder(type: $0.type) }
        while try stmt.step() {
            times.append(stmt.int64(0))
            for k in builders.indices { builders[k].append(stmt, k + 1) }
        }
        return GroupRows(frame: try Frame(columns: zip(group.columns, builders).map { $1.build(name: $0.name) }), eventTimes: times)
    }

    /// The temporary table of keys, holding the rows of `keys`.
    private func fillKeys(_ table: RowsTable, _ keys: Frame) throws {
        try db.execute("DROP TABLE IF EXISTS temp.\(RowsTable.keysTable)")
        try db.execute(table.createKeys(temporary: ""))
        let stmt = try db.prepare(table.insertKeys(rows: 1))
        for i in 0..<keys.rowCount { try stmt.execute(keys.columns.map { Self.sqlValue($0, row: i) }) }
    }
}
