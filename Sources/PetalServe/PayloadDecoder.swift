import PetalBundle
import PetalData

/// How an answer is laid out, following what MLflow's pyfunc returns for the input style: data frames (and
/// CSV) get one record per row, tensor inputs (`instances`, `inputs`) get one array per output.
public enum AnswerStyle: Sendable { case records, columns }

/// A decoded `/invocations` body: the rows as a frame in the model's input order, and the answer style.
public struct DecodedRequest: Sendable {
    public var frame: Frame
    public var style: AnswerStyle
}

/// Input field names as bytes, for matching JSON keys without making Strings, and each category field's
/// categories as a set, for checking values in constant time.
struct FieldNames: Sendable {
    let names: [[UInt8]]
    let categories: [Set<String>?]
    init(_ fields: [RequestField]) {
        names = fields.map { Array($0.name.utf8) }
        categories = fields.map { if case .category(let c) = $0.kind { return Set(c) } else { return nil } }
    }

    /// The field whose name is the string in `span`, trying `hint` first (records usually keep one key order).
    func lookup(_ span: (start: Int, end: Int, escaped: Bool), in cursor: JSONCursor, hint: Int) throws -> Int? {
        if span.escaped {
            let key = cursor.text(span)
            return names.firstIndex { $0.elementsEqual(key.utf8) }
        }
        let n = names.count
        guard n > 0 else { return nil }
        for k in 0..<n {
            let i = (hint + k) % n
            if cursor.spanEquals(span, names[i]) { return i }
        }
        return nil
    }
}

/// Decodes MLflow's JSON payloads (`dataframe_split`, `dataframe_records`, `instances`, `inputs`) into columns.
enum PayloadDecoder {
    static let inputKeys = ["dataframe_split", "dataframe_records", "instances", "inputs"]
    private static let keyBytes = inputKeys.map { Array($0.utf8) }
    private static let paramsKey = Array("params".utf8)
    static let keysText = "dataframe_split, dataframe_records, instances or inputs"

    static func decode(_ p: UnsafePointer<UInt8>, count: Int, model: ModelDescription, names: FieldNames) throws -> DecodedRequest {
        var cursor = JSONCursor(p, count: count)
        var columns = RequestColumns(fields: model.inputs, names: names)
        cursor.skipWhitespace()
        guard cursor.peek == UInt8(ascii: "{") else {
            if cursor.atEnd { throw ServeError("the body is empty; send a JSON object with one of \(keysText)") }
            throw ServeError("the body must be a JSON object with one of \(keysText), e.g. {\"dataframe_records\": [{…}]}")
        }
        cursor.pos += 1
        var style: AnswerStyle?
        var seen: String?
        if !cursor.consume(UInt8(ascii: "}")) {
            repeat {
                let span = try cursor.stringSpan()
                try cursor.expect(UInt8(ascii: ":"), "':' after a member name")
                if let k = keyBytes.firstIndex(where: { cursor.spanEquals(span, $0) }) {
                    let key = inputKeys[k]
                    if let seen {
                        throw ServeError("the body has both \(seen) and \(key); send exactly one of \(keysText)")
                    }
                    seen = key
                    switch k {
                    case 0: try split(&cursor, &columns); style = .records
                    case 1: try records(&cursor, &columns, key: key); style = .records
                    default: try tensor(&cursor, &columns, key: key); style = .columns
                    }
                } else if cursor.spanEquals(span, paramsKey) {
                    try cursor.skipValue()  // MLflow's inference params: Petal models take none.
                } else {
                    let key = cursor.text(span)
                    throw ServeError("unknown key \"\(key)\" in the body; send exactly one of \(keysText)")
                }
            } while try cursor.nextMember()
        }
        try cursor.expectEnd()
        guard let style else { throw ServeError("the body has none of \(keysText)") }
        return DecodedRequest(frame: try columns.frame(), style: style)
    }

    // MARK: - Shapes

    /// `[{"a": 1, "b": 2}, …]`
    static func records(_ c: inout JSONCursor, _ columns: inout RequestColumns, key: String) throws {
        try c.expect(UInt8(ascii: "["), "a list of records after \(key)")
        guard !c.consume(UInt8(ascii: "]")) else { throw emptyBatch(key) }
        var row = 0
        repeat {
            try record(&c, &columns, row: row, place: { "\(key)[\(row)]" })
            row += 1
        } while try c.nextElement()
    }

    /// One record `{"a": 1, …}` as row `row`.
    static func record(_ c: inout JSONCursor, _ columns: inout RequestColumns, row: Int, place: () -> String) throws {
        c.skipWhitespace()
        guard c.peek == UInt8(ascii: "{") else {
            let found = try c.scalar()
            throw ServeError("\(place()) is \(found.kindText); expected a record (an object of column: value)")
        }
        c.pos += 1
        let names = columns.names
        var hint = 0
        if !c.consume(UInt8(ascii: "}")) {
            repeat {
                let span = try c.stringSpan()
                try c.expect(UInt8(ascii: ":"), "':' after a member name")
                if let i = try names.lookup(span, in: c, hint: hint) {
                    let name = columns.fields[i].name
                    try columns.read(i, row: row, from: &c) { "\(place()).\(name)" }
                    hint = i + 1
                } else {
                    try c.skipValue()
                }
            } while try c.nextMember()
        }
        try columns.requireComplete(rows: row + 1, where: place)
    }

    /// `{"columns": [...], "data": [[...], ...], "index": [...]}` in any member order.
    static func split(_ c: inout JSONCursor, _ columns: inout RequestColumns) throws {
        try c.expect(UInt8(ascii: "{"), "an object with columns and data after dataframe_split")
        var names: [String]?
        var dataAt: Int?
        if !c.consume(UInt8(ascii: "}")) {
            repeat {
                let key = try c.string()
                try c.expect(UInt8(ascii: ":"), "':' after a member name")
                switch key {
                case "columns":
                    try c.expect(UInt8(ascii: "["), "a list of column names after columns")
                    var list: [String] = []
                    if !c.consume(UInt8(ascii: "]")) {
                        repeat {
                            guard case .string(let s) = try c.scalar() else {
                                throw ServeError("dataframe_split.columns[\(list.count)] is not a string; expected a column name")
                            }
                            list.append(s)
                        } while try c.nextElement()
                    }
                    names = list
                case "data":
                    c.skipWhitespace(); dataAt = c.pos
                    try c.skipValue()
                default: try c.skipValue()
                }
            } while try c.nextMember()
        }
        guard let dataAt else { throw ServeError("dataframe_split has no data; expected {\"columns\": […], \"data\": [[…], …]}") }
        let map = try positions(names, fields: columns.fields, key: "dataframe_split.columns")
        let end = c.pos
        c.pos = dataAt
        try rows(&c, &columns, map: map, key: "dataframe_split.data")
        c.pos = end
    }

    /// `instances`/`inputs`: a list of rows, a list of records, one flat row, or an object of columns.
    static func tensor(_ c: inout JSONCursor, _ columns: inout RequestColumns, key: String) throws {
        c.skipWhitespace()
        let identity = Array(columns.fields.indices).map { Optional($0) }
        switch c.peek {
        case UInt8(ascii: "{"): try columnar(&c, &columns, key: key)
        case UInt8(ascii: "["):
            let start = c.pos
            c.pos += 1
            guard !c.consume(UInt8(ascii: "]")) else { throw emptyBatch(key) }
            c.skipWhitespace()
            let first = c.peek
            c.pos = start
            if first == UInt8(ascii: "{") {
                try records(&c, &columns, key: key)
            } else if first == UInt8(ascii: "[") {
                try rows(&c, &columns, map: identity, key: key)
            } else if columns.fields.count == 1 {
                // A 1-D tensor for a one-input model: one value per row.
                c.pos += 1
                var row = 0
                repeat {
                    try columns.read(0, row: row, from: &c) { "\(key)[\(row)]" }
                    row += 1
                } while try c.nextElement()
            } else {
                // One row given as a flat list of values in input order.
                try row(&c, &columns, map: identity, row: 0, place: { key })
            }
        default:
            let found = try c.scalar()
            throw ServeError("\(key) is \(found.kindText); expected a list of rows, e.g. {\"\(key)\": [[…], …]}")
        }
    }

    /// `{"a": [1, 2], "b": [3, 4]}`: one array per input column, of equal length.
    static func columnar(_ c: inout JSONCursor, _ columns: inout RequestColumns, key: String) throws {
        c.pos += 1
        let names = columns.names
        if !c.consume(UInt8(ascii: "}")) {
            repeat {
                let span = try c.stringSpan()
                try c.expect(UInt8(ascii: ":"), "':' after a member name")
                guard let i = try names.lookup(span, in: c, hint: 0) else { try c.skipValue(); continue }
                let name = columns.fields[i].name
                guard columns.count(i) == 0 else { throw ServeError("\(key).\(name) is given twice", field: name) }
                try c.expect(UInt8(ascii: "["), "a list of values after \(key).\(name)")
                if c.consume(UInt8(ascii: "]")) { continue }
                var row = 0
                repeat {
                    // A [N, 1] tensor (one value per row wrapped in a list, as MLflow takes for shape [-1, 1]).
                    c.skipWhitespace()
                    let wrapped = c.peek == UInt8(ascii: "[")
                    if wrapped { c.pos += 1 }
                    try columns.read(i, row: row, from: &c) { "\(key).\(name)[\(row)]" }
                    if wrapped { try c.expect(UInt8(ascii: "]"), "']' closing \(key).\(name)[\(row)] (one value per row)") }
                    row += 1
                } while try c.nextElement()
            } while try c.nextMember()
        }
        let rowCount = columns.fields.indices.map { columns.count($0) }.max() ?? 0
        guard rowCount > 0 else { throw emptyBatch(key) }
        for i in columns.fields.indices where columns.count(i) != rowCount {
            let f = columns.fields[i]
            let has = columns.count(i)
            throw ServeError(has == 0 ? "\(key) has no \(f.name); expected a list of \(rowCount) values (\(f.expected))"
                             : "\(key).\(f.name) has \(has) values but other columns have \(rowCount)", field: f.name, expected: f.expected)
        }
    }

    /// `[[1, 2], [3, 4]]`: rows of values by position; `map[k]` is the field of position k (nil: not used).
    static func rows(_ c: inout JSONCursor, _ columns: inout RequestColumns, map: [Int?], key: String) throws {
        try c.expect(UInt8(ascii: "["), "a list of rows after \(key)")
        guard !c.consume(UInt8(ascii: "]")) else { throw emptyBatch(key) }
        var r = 0
        repeat {
            try row(&c, &columns, map: map, row: r, place: { "\(key)[\(r)]" })
            r += 1
        } while try c.nextElement()
    }

    /// One row `[v, v, …]` as row `row`.
    static func row(_ c: inout JSONCursor, _ columns: inout RequestColumns, map: [Int?], row: Int, place: () -> String) throws {
        c.skipWhitespace()
        guard c.peek == UInt8(ascii: "[") else {
            let found = try c.scalar()
            throw ServeError("\(place()) is \(found.kindText); expected a row: a list of \(map.count) values (\(columnList(map, columns.fields)))")
        }
        c.pos += 1
        var k = 0
        if !c.consume(UInt8(ascii: "]")) {
            repeat {
                guard k < map.count else {
                    throw ServeError("\(place()) has more than \(map.count) values; expected \(map.count) (\(columnList(map, columns.fields)))")
                }
                if let i = map[k] {
                    let name = columns.fields[i].name
                    try columns.read(i, row: row, from: &c) { "\(place())[\(k)] (\(name))" }
                } else {
                    try c.skipValue()
                }
                k += 1
            } while try c.nextElement()
        }
        guard k == map.count else {
            throw ServeError("\(place()) has \(k) values; expected \(map.count) (\(columnList(map, columns.fields)))")
        }
    }

    /// For each position of `names` (or of the input order when nil), the field it feeds.
    static func positions(_ names: [String]?, fields: [RequestField], key: String) throws -> [Int?] {
        guard let names else { return fields.indices.map { $0 } }
        var map: [Int?] = []
        var seen = Set<String>()
        for n in names {
            guard seen.insert(n).inserted else { throw ServeError("\(key) names \(n) twice", field: n) }
            map.append(fields.firstIndex { $0.name == n })
        }
        if let missing = fields.first(where: { !seen.contains($0.name) }) {
            let unknown = names.filter { n in !fields.contains { $0.name == n } }
            throw ServeError("\(key) has no \(missing.name); expected \(missing.expected)"
                             + (unknown.isEmpty ? "" : " (unknown columns: \(unknown.joined(separator: ", ")))"),
                             field: missing.name, expected: missing.expected)
        }
        return map
    }

    static func columnList(_ map: [Int?], _ fields: [RequestField]) -> String {
        map.map { $0.map { fields[$0].name } ?? "unused" }.joined(separator: ", ")
    }

    static func emptyBatch(_ key: String) -> ServeError {
        ServeError("the batch is empty: \(key) has no rows; send at least one")
    }
}
