/// The kinds of JSON value a column can hold. A column holding more than one kind (nulls aside) becomes text.
enum JSONKind: Int, Sendable {
    case number, bool, text, array

    /// The kind in a sentence about many values: "numbers", "text".
    var plural: String {
        switch self {
        case .number: return "numbers"
        case .bool: return "booleans"
        case .text: return "text"
        case .array: return "arrays"
        }
    }

    /// The kind in a sentence about one value: "number", "text value".
    var singular: String {
        switch self {
        case .number: return "number"
        case .bool: return "boolean"
        case .text: return "text value"
        case .array: return "array"
        }
    }
}

/// One cell of a column being built. Strings and arrays are stored as codes into the column's dictionary.
enum JSONCell: Sendable {
    case null
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case text(Int32)
}

/// Accumulates one column's cells across records and builds the narrowest typed column that holds them.
struct JSONColumnBuilder: Sendable {
    /// The value of the first kind that differs from the column's first kind, and where it was.
    struct OddValue: Sendable { var kind: JSONKind; var sample: String; var location: SourceLocation }

    let name: String
    private(set) var cells: [JSONCell] = []
    private var encoder = DictionaryEncoder()
    /// The kind of the first non-null value.
    private(set) var firstKind: JSONKind?
    private var kindMask: UInt8 = 0
    private var sawFloat = false
    private(set) var odd: OddValue?
    private(set) var firstArray: SourceLocation?
    /// Whether a record repeating this key has been reported.
    var duplicateReported = false

    init(name: String) { self.name = name }

    /// True when no value but null has been seen.
    var isAllNull: Bool { kindMask == 0 }

    /// Whether adding a value of `kind` would need its location (to report a type mix or an array column).
    func needsLocation(for kind: JSONKind?) -> Bool {
        guard let kind else { return false }
        if kind == .array && firstArray == nil { return true }
        if let firstKind, kind != firstKind, odd == nil { return true }
        return false
    }

    /// The dictionary code for a string or an array's JSON text.
    mutating func code(for text: String) -> Int32 { encoder.code(for: text) }

    /// Sets row `row` to `cell`, padding skipped rows with nulls. Returns false when the row already had a
    /// value for this column (a key repeated within one record); the later value wins.
    mutating func set(_ cell: JSONCell, kind: JSONKind?, row: Int, sample: @autoclosure () -> String,
                      location: SourceLocation?) -> Bool {
        if let kind {
            if case .float = cell { sawFloat = true }
            kindMask |= 1 << UInt8(kind.rawValue)
            if let firstKind {
                if kind != firstKind, odd == nil, let location {
                    odd = OddValue(kind: kind, sample: sample(), location: location)
                }
            } else {
                firstKind = kind
            }
            if kind == .array, firstArray == nil { firstArray = location }
        }
        if cells.count == row + 1 {
            cells[row] = cell
            return false
        }
        if cells.count < row { cells.append(contentsOf: repeatElement(JSONCell.null, count: row - cells.count)) }
        cells.append(cell)
        return true
    }

    private func has(_ kind: JSONKind) -> Bool { kindMask & (1 << UInt8(kind.rawValue)) != 0 }

    /// Builds the column with `rowCount` rows (missing trailing rows are null) under `columnName`, adding
    /// warnings for array and mixed-type columns.
    func build(columnName: String, rowCount: Int, warnings: inout [DataWarning]) -> Column {
        var cells = self.cells
        if cells.count < rowCount { cells.append(contentsOf: repeatElement(JSONCell.null, count: rowCount - cells.count)) }
        let validity = Bitmap(cells.lazy.map { if case .null = $0 { return false }; return true })
        let single = kindMask.nonzeroBitCount == 1
        if kindMask == 0 {
            return Column(name: columnName, storage: .float([Double](repeating: .nan, count: rowCount)),
                          validity: Bitmap(count: rowCount, value: false))
        }
        if single && has(.number) {
            if sawFloat {
                return Column(name: columnName, storage: .float(cells.map { cell -> Double in
                    switch cell {
                    case .int(let v): return Double(v)
                    case .float(let v): return v
                    default: return .nan
                    }
                }), validity: validity)
            }
            return Column(name: columnName, storage: .int(cells.map { if case .int(let v) = $0 { return v }; return 0 }),
                          validity: validity)
        }
        if single && has(.bool) {
            return Column(name: columnName, storage: .bool(cells.map { if case .bool(let v) = $0 { return v }; return false }),
                          validity: validity)
        }
        let codes = cells.map { if case .text(let c) = $0 { return c }; return 0 }
        if single && has(.text) {
            if let dates = ISODateColumn.storage(dictionary: encoder.dictionary, codes: codes) { return Column(name: columnName, storage: dates, validity: validity) }
            return Column(name: columnName, storage: .text(codes: codes, dictionary: TextDictionary(encoder.dictionary)), validity: validity)
        }
        if single && has(.array) {
            warnings.append(DataWarning("column \"\(columnName)\" holds JSON arrays; they are kept as JSON text",
                                        at: firstArray))
            return Column(name: columnName, storage: .text(codes: codes, dictionary: TextDictionary(encoder.dictionary)), validity: validity)
        }
        return mixedTextColumn(columnName: columnName, cells: cells, validity: validity, warnings: &warnings)
    }

    /// A text column for values of several kinds: numbers and booleans are written as JSON writes them.
    private func mixedTextColumn(columnName: String, cells: [JSONCell], validity: Bitmap,
                                 warnings: inout [DataWarning]) -> Column {
        var text = DictionaryEncoder()
        let dictionary = encoder.dictionary
        let codes = cells.map { cell -> Int32 in
            switch cell {
            case .null: return 0
            case .int(let v): return text.code(for: String(v))
            case .float(let v): return text.code(for: JSONText.number(v))
            case .bool(let v): return text.code(for: v ? "true" : "false")
            case .text(let c): return text.code(for: Int(c) < dictionary.count ? dictionary[Int(c)] : "")
            }
        }
        if let odd, let firstKind {
            warnings.append(DataWarning(
                "column \"\(columnName)\" mixes \(firstKind.plural) and \(odd.kind.plural), so it is read as text; "
                    + "the first \(odd.kind.singular) is \(odd.sample)",
                at: odd.location))
        }
        return Column(name: columnName, storage: .text(codes: codes, dictionary: TextDictionary(text.dictionary)), validity: validity)
    }
}

/// Recognises text columns that hold only ISO dates or date-times (shared by the JSON and SQLite loaders).
enum ISODateColumn {
    /// Datetime storage when every distinct string is an ISO date or date-time; nil otherwise.
    static func storage(dictionary: [String], codes: [Int32]) -> ColumnStorage? {
        guard !dictionary.isEmpty else { return nil }
        var micros: [Int64] = []
        micros.reserveCapacity(dictionary.count)
        var hasTime = false
        for entry in dictionary {
            var s = entry
            let parsed = s.withUTF8 { buf -> FieldParsers.ParsedDateTime? in
                guard let base = buf.baseAddress else { return nil }
                return FieldParsers.parseDateTime(base, 0, buf.count)
            }
            guard let parsed else { return nil }
            if parsed.hasTime { hasTime = true }
            micros.append(parsed.micros)
        }
        let values = codes.map { c -> Int64 in Int(c) < micros.count ? micros[Int(c)] : 0 }
        return .datetime(values, dateOnly: !hasTime)
    }
}
