import PetalBundle
import PetalData

/// Request rows gathered column by column in the model's input order, checked cell by cell against the
/// model's input schema as they are read (so an error names the JSON path, the field and the expected type).
/// Every field gets exactly one value per row: a missing or repeated field is caught by comparing counts.
struct RequestColumns {
    let fields: [RequestField]
    /// The field names as bytes, for matching keys.
    let names: FieldNames
    /// Per field: the numbers read (NaN for a missing value); empty for text fields.
    var numbers: [[Double]]
    /// Per field: the strings read (nil for null); empty for number fields.
    var texts: [[String?]]

    init(fields: [RequestField], names: FieldNames) {
        self.fields = fields
        self.names = names
        numbers = Array(repeating: [], count: fields.count)
        texts = Array(repeating: [], count: fields.count)
    }

    /// How many values field `i` has so far.
    @inline(__always) func count(_ i: Int) -> Int {
        if case .number = fields[i].kind { return numbers[i].count }
        return texts[i].count
    }

    /// Reads the next JSON value from `cursor` as field `i`'s value for row `row` (which must be its next row).
    /// `path` describes where the value is, for errors (`dataframe_records[3].sepal_length`).
    mutating func read(_ i: Int, row: Int, from cursor: inout JSONCursor, path: () -> String) throws {
        let field = fields[i]
        guard count(i) == row else {
            throw ServeError("\(path()) is given twice", field: field.name, expected: field.expected)
        }
        let token = try cursor.scalar()
        switch field.kind {
        case .number:
            let v: Double
            switch token {
            case .number(let x):
                // 1e999 or a 5,000-digit integer parse to infinity: as much not a number as the literal Infinity.
                guard x.isFinite else { throw ServeError.field(field.name, at: path(), is: "too large to be a finite number", expected: "a finite number", row: row) }
                v = x
            case .bool(let b):
                guard field.acceptsBoolean else {
                    throw ServeError.field(field.name, at: path(), is: "a boolean (\(b))", expected: "a number", row: row)
                }
                v = b ? 1 : 0
            case .null, .nan:
                guard field.nullable else {
                    throw ServeError("\(path()) is \(token.isNull ? "null" : "NaN"), but the model has no imputer for missing values; expected a number",
                                     field: field.name, expected: field.expected, row: row)
                }
                v = .nan
            case .infinity: throw ServeError.field(field.name, at: path(), is: "infinite", expected: "a finite number", row: row)
            case .string(let s): throw ServeError.field(field.name, at: path(), is: "a string (\(quoted(s)))", expected: field.expected, row: row)
            case .array, .object: throw ServeError.field(field.name, at: path(), is: token.kindText, expected: field.expected, row: row)
            }
            numbers[i].append(v)
        case .text, .category:
            switch token {
            case .string(let s):
                if let known = names.categories[i], !known.contains(s) {
                    throw ServeError("\(path()) is \(quoted(s)), a category the model was not trained on; expected \(field.expected)",
                                     field: field.name, expected: field.expected, row: row)
                }
                texts[i].append(s)
            case .null:
                guard field.nullable else {
                    throw ServeError("\(path()) is null, but the model has no imputer for it; expected \(field.expected)",
                                     field: field.name, expected: field.expected, row: row)
                }
                texts[i].append(nil)
            default: throw ServeError.field(field.name, at: path(), is: token.kindText, expected: field.expected, row: row)
            }
        }
    }

    /// Text from a CSV cell for field `i` (empty means missing).
    /// `row` is the 0-based data row (for the error's `row`).
    mutating func append(csv cell: String, _ i: Int, row: Int, path: () -> String) throws {
        let field = fields[i]
        switch field.kind {
        case .number:
            var text = cell
            var v: Double? = text.withUTF8 { u in u.baseAddress.flatMap { NumberParsing.double($0, 0, u.count) } }
            if v == nil, field.acceptsBoolean {
                switch cell.lowercased() { case "true": v = 1; case "false": v = 0; default: break }
            }
            // An empty cell or NaN is a missing value, as pandas reads it.
            if cell.isEmpty || v?.isNaN == true {
                guard field.nullable else {
                    throw ServeError("\(path()) is \(cell.isEmpty ? "empty" : quoted(cell)), but the model has no imputer for missing values; expected a number",
                                     field: field.name, expected: field.expected, row: row)
                }
                numbers[i].append(.nan); return
            }
            guard let v else { throw ServeError.field(field.name, at: path(), is: quoted(cell), expected: field.expected, row: row) }
            guard v.isFinite else {
                throw ServeError.field(field.name, at: path(), is: "\(quoted(cell)), not a finite number", expected: "a finite number", row: row)
            }
            numbers[i].append(v)
        case .text, .category:
            if cell.isEmpty {
                guard field.nullable else {
                    throw ServeError("\(path()) is empty, but the model has no imputer for it; expected \(field.expected)", field: field.name, expected: field.expected, row: row)
                }
                texts[i].append(nil); return
            }
            if let known = names.categories[i], !known.contains(cell) {
                throw ServeError("\(path()) is \(quoted(cell)), a category the model was not trained on; expected \(field.expected)",
                                 field: field.name, expected: field.expected, row: row)
            }
            texts[i].append(cell)
        }
    }

    /// Throws unless every field has `rows` values; `where` names the row or object for the message.
    func requireComplete(rows: Int, where place: () -> String) throws {
        for i in fields.indices where count(i) != rows {
            let field = fields[i]
            throw ServeError("\(place()) has no \(field.name); expected \(field.expected)", field: field.name, expected: field.expected)
        }
    }

    /// The rows as a frame: float columns for numbers, dictionary-encoded text columns with nulls.
    func frame() throws -> Frame {
        var columns: [Column] = []
        columns.reserveCapacity(fields.count)
        for (i, field) in fields.enumerated() {
            if case .number = field.kind {
                columns.append(Column(name: field.name, storage: .float(numbers[i])))
                continue
            }
            var dictionary: [String] = []
            var index: [String: Int32] = [:]
            var codes = [Int32](repeating: 0, count: texts[i].count)
            var validity: Bitmap?
            for (r, s) in texts[i].enumerated() {
                guard let s else {
                    if validity == nil { validity = Bitmap(count: texts[i].count, value: true) }
                    validity?[r] = false
                    continue
                }
                if let k = index[s] { codes[r] = k } else {
                    let k = Int32(dictionary.count)
                    index[s] = k; dictionary.append(s); codes[r] = k
                }
            }
            columns.append(Column(name: field.name, storage: .text(codes: codes, dictionary: TextDictionary(dictionary)), validity: validity))
        }
        return try Frame(columns: columns)
    }

    private func quoted(_ s: String) -> String {
        "\"" + (s.count > 40 ? String(s.prefix(40)) + "…" : s) + "\""
    }
}

extension JSONCursor.Scalar {
    var isNull: Bool { if case .null = self { return true } else { return false } }

    /// What the token is, in words ("a string", "an array", …).
    var kindText: String {
        switch self {
        case .number: return "a number"
        case .string: return "a string"
        case .bool: return "a boolean"
        case .null: return "null"
        case .nan: return "NaN"
        case .infinity: return "infinite"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
