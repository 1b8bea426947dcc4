import CSQLite
import Foundation
import PetalData

/// What `runs repair` recovered.
public struct RepairReport: Sendable {
    /// Rows copied per table, in schema order.
    public var rows: [(table: String, rows: Int)]
    /// Where the damaged file was kept.
    public var keptAs: String
    /// The integrity check of the damaged file before the repair ("ok" when it was sound).
    public var checkBefore: String
}

extension TrackingStore {
    /// The tables of the current schema, parents before children.
    static let repairTables: [(name: String, key: RepairKey)] = [
        ("experiments", .rowid), ("runs", .rowid), ("params", .run), ("metrics", .run), ("tags", .run), ("artifacts", .run),
        ("models", .scan), ("model_versions", .model), ("model_aliases", .model), ("remote_runs", .run),
    ]

    enum RepairKey { case rowid, run, model, scan }

    /// Copies every row that can still be read from the store in `folder` into a new file, keeps the old file as
    /// `petal.db.damaged-TIMESTAMP` (with its `-wal`), and puts the new one in its place. Rows are read by key where
    /// a table allows it (runs by id, skipping over unreadable stretches; params, metrics and tags run by run), so
    /// one damaged page loses only the rows on it. Close every store open on the folder first.
    /// - Throws: `PetalError` when the store cannot be opened at all, is from another schema version, or the folder
    ///   cannot be written.
    public static func repair(folder: String, now: Date = Date()) throws -> RepairReport {
        let path = (folder as NSString).appendingPathComponent("petal.db")
        guard FileManager.default.fileExists(atPath: path) else {
            throw PetalError("there is no tracking store in \(folder) to repair")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw PetalError("the tracking folder \(folder) is read-only, so the store cannot be repaired there",
                            hint: "copy the folder somewhere writable and set PETAL_HOME to the copy")
        }
        let old = try SQLiteDatabase(path: path, access: .readOnly)
        let before = (try? old.scalarText("PRAGMA quick_check(1)")) ?? "unreadable"
        let version = Int((try? old.scalarInt("PRAGMA user_version")) ?? 0)
        guard version == Schema.current else {
            throw PetalError("the tracking store has schema version \(version); this Petal repairs version \(Schema.current)",
                            hint: version < Schema.current ? "open it once with this Petal to migrate it, then repair" : "use the newer Petal that wrote it")
        }
        let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
        let partial = path + ".repairing"
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
        var counts: [(String, Int)] = []
        do {
            let new = try SQLiteDatabase(path: partial, access: .readWriteCreate)
            try new.execute("PRAGMA foreign_keys=OFF")
            try new.transaction(doing: "cannot write the repaired store") {
                for migration in Schema.migrations { try new.execute(migration) }
                try new.execute("PRAGMA user_version = \(Schema.current)")
                var runIDs: [Int64] = []
                var models: [String] = []
                for (table, key) in repairTables {
                    var copier = RowCopier(old: old, new: new, table: table)
                    switch key {
                    case .rowid: try copier.copyByRowid()
                    case .scan: try copier.copyScan()
                    case .run: for id in runIDs { try copier.copyWhere("run_id", .int(id)) }
                    case .model: for m in models { try copier.copyWhere("model", .text(m)) }
                    }
                    if table == "runs" { runIDs = copier.firstColumn.compactMap { if case .int(let v) = $0 { v } else { nil } } }
                    if table == "models" { models = copier.firstColumn.compactMap { if case .text(let v) = $0 { v } else { nil } } }
                    counts.append((table, copier.copied))
                }
            }
        } catch {
            for suffix in ["", "-journal"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
            throw error
        }
        // Swap: the damaged file (and its WAL) kept beside, the new one in place.
        let kept = path + ".damaged-" + stamp
        do {
            try FileManager.default.moveItem(atPath: path, toPath: kept)
            for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                try FileManager.default.moveItem(atPath: path + suffix, toPath: kept + suffix)
            }
            try FileManager.default.moveItem(atPath: partial, toPath: path)
        } catch {
            throw PetalError("cannot put the repaired store in place: \(reason(error))",
                            hint: "the repaired copy is \(partial); the damaged store is \(FileManager.default.fileExists(atPath: kept) ? kept : path)")
        }
        return RepairReport(rows: counts, keptAs: kept, checkBefore: before)
    }
}

/// Copies the readable rows of one table from a damaged store to a new one.
struct RowCopier {
    let old: SQLiteDatabase
    let new: SQLiteDatabase
    let table: String
    var copied = 0
    /// The first column of every row copied (run ids, model names), for the tables that hang off them.
    var firstColumn: [SQLiteValue] = []
    private var insert: SQLiteStatement?

    init(old: SQLiteDatabase, new: SQLiteDatabase, table: String) {
        self.old = old; self.new = new; self.table = table
    }

    /// Reads in rowid order; after an unreadable stretch, tries again further on (1, 2, 4, … rowids later).
    mutating func copyByRowid() throws {
        var last: Int64 = Int64.min
        var gap: Int64 = 1
        while gap < (1 << 40) {
            // A damaged page can hand back a rowid at or below the bound (or going backwards): the pass stops there,
            // as at a read error, so the bound only rises and every pass ends.
            let bound = last
            let progressed = try copyRows("SELECT rowid, * FROM \(table) WHERE rowid > ? ORDER BY rowid", [.int(bound)], skipFirst: true) { rowid in
                guard rowid > last, rowid > bound else { return false }
                last = rowid
                return true
            }
            if progressed.finished { return }
            if progressed.rows > 0 { gap = 1 } else { gap *= 2 }
            last = last == Int64.min ? 0 : last &+ gap
        }
    }

    /// Reads the whole table in one pass, keeping what comes before a damaged page.
    mutating func copyScan() throws {
        _ = try copyRows("SELECT * FROM \(table)", [], skipFirst: false) { _ in true }
    }

    /// Reads the rows whose `column` is `value` (skipped when unreadable).
    mutating func copyWhere(_ column: String, _ value: SQLiteValue) throws {
        _ = try copyRows("SELECT * FROM \(table) WHERE \(column) = ?", [value], skipFirst: false) { _ in true }
    }

    /// Steps `sql` and inserts each row; stops quietly at the first read error. `skipFirst`: column 0 is the rowid,
    /// handed to `seen` and not copied.
    private mutating func copyRows(_ sql: String, _ values: [SQLiteValue], skipFirst: Bool, seen: (Int64) -> Bool)
        throws -> (rows: Int, finished: Bool) {
        guard let stmt = try? old.prepare(sql) else { return (0, false) }
        try stmt.bind(values)
        var rows = 0
        while true {
            let more: Bool
            do { more = try stmt.step() } catch { return (rows, false) }
            guard more else { return (rows, true) }
            let first = skipFirst ? 1 : 0
            var row: [SQLiteValue] = []
            for i in first..<stmt.columnCount {
                switch stmt.type(i) {
                case SQLITE_INTEGER: row.append(.int(stmt.int64(i)))
                case SQLITE_FLOAT: row.append(.double(stmt.double(i)))
                case SQLITE_NULL: row.append(.null)
                default: row.append(.text(stmt.text(i)))
                }
            }
            if skipFirst, !seen(stmt.int64(0)) { return (rows, false) }
            if insert == nil {
                insert = try new.prepare("INSERT OR IGNORE INTO \(table) VALUES (" + row.map { _ in "?" }.joined(separator: ", ") + ")",
                                         doing: "cannot write the repaired \(table)")
            }
            // A row that breaks a constraint of the new table (damaged values) is left out.
            if (try? insert?.execute(row)) != nil {
                copied += 1
                if let v = row.first { firstColumn.append(v) }
            }
            rows += 1
        }
    }
}
