import PetalBundle

/// Decodes a `text/csv` body: a header line naming the columns (as pandas' `read_csv`, which MLflow uses),
/// then one row per line; quoted fields may hold commas, quotes (`""`) and line breaks. Columns the model does
/// not use are ignored; an empty cell is a missing value.
enum CSVPayload {
    static func decode(_ p: UnsafePointer<UInt8>, count: Int, model: ModelDescription, names: FieldNames) throws -> DecodedRequest {
        var reader = CSVRecordReader(p: p, count: count)
        guard let header = try reader.next(), !(header.count == 1 && header[0].isEmpty) else {
            throw ServeError("the CSV body is empty; send a header line naming the columns, then one row per line")
        }
        let map: [Int?]
        do { map = try PayloadDecoder.positions(header, fields: model.inputs, key: "the CSV header") } catch var e as ServeError {
            if header.contains(where: { Double($0) != nil }) { e.message += " (the first line must be a header naming the columns)" }
            throw e
        }
        var columns = RequestColumns(fields: model.inputs, names: names)
        var row = 0
        while let cells = try reader.next() {
            if cells.count == 1 && cells[0].isEmpty { continue }  // a blank line
            let line = reader.line - 1
            guard cells.count == map.count else {
                throw ServeError("CSV line \(line) has \(cells.count) fields; the header has \(map.count)")
            }
            for (k, cell) in cells.enumerated() {
                guard let i = map[k] else { continue }
                try columns.append(csv: cell, i, row: row) { "CSV line \(line), column \(model.inputs[i].name)" }
            }
            row += 1
        }
        guard row > 0 else { throw ServeError("the batch is empty: the CSV body has a header but no rows") }
        return DecodedRequest(frame: try columns.frame(), style: .records)
    }
}

/// Splits CSV bytes into records of fields.
struct CSVRecordReader {
    let p: UnsafePointer<UInt8>
    let count: Int
    var pos = 0
    /// The 1-based line where the next record starts.
    var line = 1

    /// The next record's fields, or nil at the end.
    mutating func next() throws -> [String]? {
        guard pos < count else { return nil }
        var fields: [String] = []
        var field: [UInt8] = []
        let startLine = line
        while true {
            guard pos < count else { fields.append(try text(field)); return fields }
            let b = p[pos]
            if b == 0x22 && field.isEmpty {
                pos += 1
                while true {
                    guard pos < count else { throw ServeError("CSV line \(startLine): a quoted field is not closed") }
                    let q = p[pos]
                    pos += 1
                    if q == 0x22 {
                        if pos < count && p[pos] == 0x22 { field.append(0x22); pos += 1; continue }
                        break
                    }
                    if q == 0x0A { line += 1 }
                    field.append(q)
                }
                continue
            }
            pos += 1
            switch b {
            case UInt8(ascii: ","):
                fields.append(try text(field)); field.removeAll(keepingCapacity: true)
            case 0x0A:
                line += 1
                fields.append(try text(field)); return fields
            case 0x0D:
                if pos < count && p[pos] == 0x0A { pos += 1 }
                line += 1
                fields.append(try text(field)); return fields
            default:
                field.append(b)
            }
        }
    }

    private func text(_ bytes: [UInt8]) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else { throw ServeError("CSV line \(line) is not valid UTF-8") }
        return s.trimmingSpaces
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        guard let last = lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(self[first...last])
    }
}
