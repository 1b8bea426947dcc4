import Foundation
import PetalData
import PetalML

/// A request or file that does not fit a bundle's input schema: which field, what was expected, what came.
/// The server answers it with 400; `petal predict` prints it and stops before scoring anything.
public struct BundleInputError: Error, Sendable, CustomStringConvertible {
    /// The input field (column) at fault.
    public var field: String
    /// What the model expects there: `number` or `text`.
    public var expected: String
    /// The 0-based row, when one row is at fault.
    public var row: Int?
    public var message: String

    public init(field: String, expected: String, row: Int? = nil, message: String) {
        self.field = field; self.expected = expected; self.row = row; self.message = message
    }

    public var description: String { message }

    /// The same error as a `PetalError` (for commands), with a hint listing what the model expects.
    public var dataError: PetalError { PetalError(message, hint: "field \(field) expects \(expected)") }
}

extension BundleManifest {
    /// Checks that `frame` has every input field with a usable type, and nulls only where the model takes them.
    /// - Returns: warnings that do not stop scoring (categories never seen in training, which count as none
    ///   of the known ones, as scikit-learn's `handle_unknown="ignore"`).
    /// - Throws: `BundleInputError` naming the first field that is missing or of the wrong type.
    @discardableResult
    public func check(_ frame: Frame) throws -> [String] {
        var warnings: [String] = []
        // The number fields' infinity scans (every value of a million-row file) run on every core first; the
        // fields are then checked in order, so the error named is the same.
        let scanned = inputs.map { field -> [Double]? in
            guard field.type == .number, case .float(let values)? = frame.column(named: field.name)?.storage else { return nil }
            return values
        }
        let infinite = ConcurrentSlots<Int>(inputs.count)
        let scan: @Sendable (Int) -> Void = { f in if let values = scanned[f], let row = NaNScan.firstInfinite(values) { infinite.set(f, row) } }
        // A served request (a few rows) is scanned on its own thread: handing it to the pool would cost more.
        if frame.rowCount >= 65_536 { DispatchQueue.concurrentPerform(iterations: inputs.count, execute: scan) } else { inputs.indices.forEach(scan) }
        let firstInfinite = infinite.slots
        for (f, field) in inputs.enumerated() {
            guard let column = frame.column(named: field.name) else {
                let close = frame.columnNames.filter { Levenshtein.distance($0, field.name) <= 2 }
                throw BundleInputError(field: field.name, expected: field.type.rawValue,
                                       message: "the input has no field \"\(field.name)\" (\(field.type.rawValue))"
                                        + (close.isEmpty ? "" : "; did you mean \(close.joined(separator: ", "))?"))
            }
            switch field.type {
            case .number:
                switch column.type {
                case .int, .float: break
                case .bool where field.dtype == "bool": break
                case .bool:
                    throw BundleInputError(field: field.name, expected: "number", row: 0,
                                           message: "field \(field.name) should be a number, but the input has true/false values (the model was trained on \(field.dtype) values)")
                case .text, .date, .datetime:
                    let row = (0..<column.count).first { column.isValid($0) } ?? 0
                    let sample = column.count > 0 ? column[row].plainText : ""
                    throw BundleInputError(field: field.name, expected: "number", row: row,
                                           message: "field \(field.name) should be a number, but row \(row + 1) has \"\(sample)\" (\(column.type.rawValue))")
                }
                // Vector scans first (a million-row file has every value looked at); rows are searched only on a hit.
                if !field.nullable, column.nullCount > 0, let row = (0..<column.count).first(where: { !column.isValid($0) }) {
                    throw BundleInputError(field: field.name, expected: "number", row: row,
                                           message: "field \(field.name) is missing (null or NaN) in row \(row + 1); this model has no imputer, so it needs a number")
                }
                if case .float(let values) = column.storage, let row = firstInfinite[f] {
                    throw BundleInputError(field: field.name, expected: "a finite number", row: row,
                                           message: "field \(field.name) is \(values[row] > 0 ? "" : "-")infinite in row \(row + 1); the model needs a finite number")
                }
            case .text:
                if !field.nullable, let row = (0..<column.count).first(where: { !column.isValid($0) }) {
                    throw BundleInputError(field: field.name, expected: "text", row: row,
                                           message: "field \(field.name) is missing in row \(row + 1); this model needs one of its categories")
                }
                let known = Set(field.categories ?? [])
                var unknown: [String: Int] = [:]
                if case .text(let codes, let dictionary) = column.storage {
                    // Count each dictionary entry once per row, then look the entries up (not every row).
                    var uses = [Int](repeating: 0, count: dictionary.count)
                    for i in 0..<column.count where column.isValid(i) { uses[Int(codes[i])] += 1 }
                    for (k, n) in uses.enumerated() where n > 0 && !known.contains(dictionary[k]) { unknown[dictionary[k], default: 0] += n }
                } else {
                    for i in 0..<column.count where column.isValid(i) {
                        let v = column[i].plainText
                        if !known.contains(v) { unknown[v, default: 0] += 1 }
                    }
                }
                if !unknown.isEmpty {
                    let examples = unknown.keys.sorted().prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
                    let rows = unknown.values.reduce(0, +)
                    warnings.append("field \(field.name): \(rows) row\(rows == 1 ? "" : "s") with categories the model never saw (\(examples)); "
                                    + "they count as none of the known ones")
                }
            }
        }
        return warnings
    }
}
