import Foundation
import PetalData

/// Builds a column of a declared type from query results.
struct TypedColumnBuilder {
    let type: ColumnType
    private var ints: [Int64] = [], floats: [Double] = [], bools: [Bool] = []
    private var text = DictionaryEncoder(), codes: [Int32] = []
    private var validity = Bitmap(count: 0, value: true)

    init(type: ColumnType) { self.type = type }

    /// Appends column `i` of SQLite's current row.
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

    /// Appends a value as PostgreSQL's text gives it (nil: NULL); a value that does not read as the type is an error
    /// (the store only reads tables it wrote).
    mutating func append(text value: String?, column: String, location: String) throws {
        validity.append(value != nil)
        guard let value else {
            switch type {
            case .int, .date, .datetime: ints.append(0)
            case .float: floats.append(.nan)
            case .bool: bools.append(false)
            case .text: codes.append(0)
            }
            return
        }
        func bad() -> PetalError {
            PetalError("column \(column) in \(location) holds \"\(value.prefix(40))\", not a \(type.rawValue)",
                       hint: "the store's tables were changed outside Petal; restore them or start a new group")
        }
        switch type {
        case .int, .date, .datetime: guard let v = Int64(value) else { throw bad() }; ints.append(v)
        case .float: guard let v = StoredText.double(value) else { throw bad() }; floats.append(v)
        case .bool: guard value == "t" || value == "f" else { throw bad() }; bools.append(value == "t")
        case .text: codes.append(text.code(for: value))
        }
    }

    func build(name: String) -> Column {
        let storage: ColumnStorage
        switch type {
        case .int: storage = .int(ints)
        case .date, .datetime: storage = .datetime(ints, dateOnly: type == .date)
        case .float: storage = .float(floats)
        case .bool: storage = .bool(bools)
        case .text: storage = .text(codes: codes, dictionary: TextDictionary(text.dictionary.isEmpty ? [""] : text.dictionary))
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

/// Values as text, for backends whose statements take text parameters (PostgreSQL).
enum StoredText {
    /// Row `i` of `column` as the server reads it, or nil for null. Text with a NUL byte cannot travel as a C string.
    static func text(_ column: Column, row i: Int) throws -> String? {
        switch column[i] {
        case .null: return nil
        case .int(let x): return String(x)
        case .float(let x): return x == .infinity ? "Infinity" : x == -.infinity ? "-Infinity" : "\(x)"
        case .bool(let b): return b ? "true" : "false"
        case .datetime(let x, _): return String(x)
        case .text(let s):
            guard !s.utf8.contains(0) else {
                throw PetalError("row \(i) of column \(column.name) holds a NUL character, which PostgreSQL cannot store in text",
                                hint: "remove it (e.g. with a derived column) before inserting")
            }
            return s
        }
    }

    /// PostgreSQL's text of a double (`Infinity`, `-Infinity`, `NaN` included).
    static func double(_ text: String) -> Double? {
        switch text {
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }
}
