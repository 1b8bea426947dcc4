import CSQLite

/// SQLite databases: `table=` reads a table or view, `query=` runs a read-only query, and neither lists the
/// tables with their row counts and columns. Column types come from the values actually returned.
public enum SQLiteLoader: Loader {
    public static let formatName = "sqlite"
    public static let fileExtensions = ["db", "sqlite", "sqlite3"]
    public static let mediaTypes = ["application/vnd.sqlite3", "application/x-sqlite3"]

    private static let magic: [UInt8] = Array("SQLite format 3".utf8) + [0]

    /// True when the file starts with SQLite's 16-byte header string.
    public static func sniff(_ head: [UInt8]) -> Bool { head.count >= 16 && Array(head[0..<16]) == magic }

    public static func load(path: String, options: LoadOptions) throws -> LoadResult {
        try load(path: path, options: options, busyTimeoutMilliseconds: 2000)
    }

    /// Loads with a chosen lock timeout (tests use a short one).
    static func load(path: String, options: LoadOptions, busyTimeoutMilliseconds: Int32) throws -> LoadResult {
        let db = try SQLiteDatabase(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        // sqlite's own memory (a recursive UNION keeps every row it saw) is capped too: NOMEM instead of swapping.
        _ = sqlite3_hard_heap_limit64(Int64(SQLiteGuard.defaultMemoryLimit))
        let guardian = SQLiteGuard(control: options.csv.control, memoryLimit: options.memoryLimit)
        do {
            return try guardian.watching(db) { try load(db, path: path, options: options, guardian: guardian) }
        } catch let error as PetalError {
            throw guardian.explain(error, path: path)
        }
    }

    private static func load(_ db: SQLiteDatabase, path: String, options: LoadOptions, guardian: SQLiteGuard) throws -> LoadResult {
        let tables = try db.tables()
        let location = SourceLocation(file: path)
        let names = tables.map(\.name)
        let listing = names.isEmpty ? "the database has no tables" : "tables are: " + names.joined(separator: ", ")
        switch (options.table, options.query) {
        case (.some, .some):
            throw PetalError("give either table= or query=, not both", at: location,
                            hint: "table=NAME reads a whole table; query=\"SELECT ...\" runs a query")
        case (.some(let table), nil):
            guard let name = names.first(where: { $0 == table }) ?? names.first(where: { $0.lowercased() == table.lowercased() }) else {
                throw PetalError("no table \"\(table)\" in the database", at: location, hint: listing)
            }
            let stmt = try db.prepare("SELECT * FROM " + SQLiteDatabase.quoteIdentifier(name), doing: "cannot read table \"\(name)\"")
            return try read(stmt, path: path, emptyNote: "table \"\(name)\" has no rows", guardian: guardian)
        case (nil, .some(let query)):
            let stmt: SQLiteStatement
            do {
                stmt = try db.prepare(query)
            } catch var error as PetalError {
                if error.hint == SQLiteDatabase.defaultHint { error.hint = "check the SQL; \(listing)" }
                throw error
            }
            guard stmt.isReadOnly else {
                throw PetalError("the query would change the database; Petal only reads it", at: location,
                                hint: "use a SELECT query")
            }
            guard stmt.columnCount > 0 else {
                throw PetalError("the query returns no columns", at: location, hint: "use a SELECT query, e.g. SELECT * FROM \(names.first ?? "t")")
            }
            return try read(stmt, path: path, emptyNote: "the query returned no rows", guardian: guardian)
        case (nil, nil):
            guard !tables.isEmpty else {
                throw PetalError("the database has no tables", at: location,
                                hint: "check that this is the right file (an empty file counts as an empty database)")
            }
            var infos: [TableInfo] = []
            var warnings: [DataWarning] = []
            for (name, isView) in tables {
                do {
                    infos.append(try info(db, name))
                } catch let error as PetalError where isView {
                    warnings.append(DataWarning("view \"\(name)\" cannot be read: \(error.message)", at: location))
                }
            }
            return LoadResult(frame: nil, tables: infos, warnings: warnings)
        }
    }

    /// A table's row count and column names.
    private static func info(_ db: SQLiteDatabase, _ name: String) throws -> TableInfo {
        let quoted = SQLiteDatabase.quoteIdentifier(name)
        let columns = try db.prepare("SELECT * FROM \(quoted)", doing: "cannot read table \"\(name)\"")
        let names = (0..<columns.columnCount).map { columns.columnName($0) }
        let count = try db.prepare("SELECT count(*) FROM \(quoted)", doing: "cannot count the rows of \"\(name)\"")
        let rows = try count.step() ? Int(count.int64(0)) : 0
        return TableInfo(name: name, rows: rows, columns: names)
    }

    /// Reads every row of `stmt` into a frame, under a `SQLiteGuard` (cancel, progress, memory limit).
    private static func read(_ stmt: SQLiteStatement, path: String, emptyNote: String, guardian: SQLiteGuard) throws -> LoadResult {
        var warnings: [DataWarning] = []
        let names = uniqueNames((0..<stmt.columnCount).map { stmt.columnName($0) }, path: path, warnings: &warnings)
        var columns = names.map { SQLiteColumnBuilder(name: $0) }
        var rows = 0
        while try stmt.step() {
            // About what the row will take in the frame: 16 bytes a cell, plus the text.
            var bytes = 16 * columns.count
            for i in columns.indices {
                switch stmt.type(i) {
                case SQLITE_INTEGER: columns[i].append(.int(stmt.int64(i)), row: rows)
                case SQLITE_FLOAT: columns[i].append(.real(stmt.double(i)), row: rows)
                case SQLITE_TEXT:
                    bytes += stmt.byteCount(i)
                    columns[i].appendText(stmt.text(i), row: rows)
                case SQLITE_BLOB: columns[i].appendBlob(bytes: stmt.byteCount(i), row: rows)
                default: columns[i].append(.null, row: rows)
                }
            }
            rows += 1
            try guardian.add(bytes, rows: rows, path: path)
        }
        if rows == 0 { warnings.append(DataWarning(emptyNote + "; the columns are read as text", at: SourceLocation(file: path))) }
        let built = columns.map { $0.build(path: path, warnings: &warnings) }
        return LoadResult(frame: try Frame(columns: built), warnings: warnings)
    }

    /// Result column names made unique (`id`, `id_2`), with a warning for each renamed one.
    private static func uniqueNames(_ names: [String], path: String, warnings: inout [DataWarning]) -> [String] {
        var used = Set<String>()
        return names.enumerated().map { i, raw in
            var name = raw.isEmpty ? "column_\(i + 1)" : raw
            if used.contains(name) {
                var k = 2
                while used.contains("\(name)_\(k)") || names.contains("\(name)_\(k)") { k += 1 }
                warnings.append(DataWarning("the result has more than one column named \"\(name)\"; calling column \(i + 1) \(name)_\(k)",
                                            at: SourceLocation(file: path, field: name)))
                name = "\(name)_\(k)"
            }
            used.insert(name)
            return name
        }
    }
}

/// Accumulates one result column and builds the narrowest typed column that holds its values.
struct SQLiteColumnBuilder {
    enum Cell { case null, int(Int64), real(Double), text(Int32) }

    let name: String
    private var cells: [Cell] = []
    private var encoder = DictionaryEncoder()
    private var sawInt = false, sawReal = false, sawText = false, sawBlob = false
    /// The first number and the first text (or BLOB) value, with their 1-based rows, for mixed-type warnings.
    private var firstNumber: (row: Int, sample: String)?
    private var firstText: (row: Int, sample: String)?

    init(name: String) { self.name = name }

    mutating func append(_ cell: Cell, row: Int) {
        switch cell {
        case .int(let v):
            sawInt = true
            if firstNumber == nil { firstNumber = (row + 1, String(v)) }
        case .real(let v):
            sawReal = true
            if firstNumber == nil { firstNumber = (row + 1, "\(v)") }
        case .null, .text: break
        }
        cells.append(cell)
    }

    mutating func appendText(_ s: String, row: Int) {
        sawText = true
        if firstText == nil { firstText = (row + 1, "\"" + (s.count > 40 ? String(s.prefix(37)) + "..." : s) + "\"") }
        cells.append(.text(encoder.code(for: s)))
    }

    mutating func appendBlob(bytes: Int, row: Int) {
        sawBlob = true
        let text = "<blob \(bytes) bytes>"
        if firstText == nil { firstText = (row + 1, text) }
        cells.append(.text(encoder.code(for: text)))
    }

    /// The column, with warnings for BLOBs and for numbers mixed with text.
    func build(path: String, warnings: inout [DataWarning]) -> Column {
        let location = SourceLocation(file: path, field: name)
        if cells.isEmpty { return Column(name: name, storage: .text(codes: [], dictionary: [])) }
        let validity = Bitmap(cells.lazy.map { if case .null = $0 { return false }; return true })
        let numeric = sawInt || sawReal
        let textual = sawText || sawBlob
        if sawBlob {
            warnings.append(DataWarning("column \"\(name)\" holds binary data (BLOBs); each is shown as <blob N bytes>", at: location))
        }
        if !numeric && !textual {
            return Column(name: name, storage: .float([Double](repeating: .nan, count: cells.count)),
                          validity: Bitmap(count: cells.count, value: false))
        }
        if numeric && !textual {
            if !sawReal {
                return Column(name: name, storage: .int(cells.map { if case .int(let v) = $0 { return v }; return 0 }), validity: validity)
            }
            return Column(name: name, storage: .float(cells.map { cell -> Double in
                switch cell {
                case .int(let v): return Double(v)
                case .real(let v): return v
                default: return .nan
                }
            }), validity: validity)
        }
        if !numeric {
            let codes = cells.map { if case .text(let c) = $0 { return c }; return 0 }
            if !sawBlob, let dates = ISODateColumn.storage(dictionary: encoder.dictionary, codes: codes) {
                return Column(name: name, storage: dates, validity: validity)
            }
            return Column(name: name, storage: .text(codes: codes, dictionary: TextDictionary(encoder.dictionary)), validity: validity)
        }
        // Numbers and text together: everything becomes text.
        if let number = firstNumber, let text = firstText {
            let odd = number.row < text.row ? "the first text value is \(text.sample) (row \(text.row))"
                : "the first number is \(number.sample) (row \(number.row))"
            warnings.append(DataWarning("column \"\(name)\" mixes numbers and text, so it is read as text; \(odd)", at: location))
        }
        var out = DictionaryEncoder()
        let dictionary = encoder.dictionary
        let codes = cells.map { cell -> Int32 in
            switch cell {
            case .null: return 0
            case .int(let v): return out.code(for: String(v))
            case .real(let v): return out.code(for: "\(v)")
            case .text(let c): return out.code(for: Int(c) < dictionary.count ? dictionary[Int(c)] : "")
            }
        }
        return Column(name: name, storage: .text(codes: codes, dictionary: TextDictionary(out.dictionary)), validity: validity)
    }
}
