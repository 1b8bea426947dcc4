import Foundation
import PetalData

extension Matrix {
    private enum Keys: String, CodingKey { case rows, columns, values }

    /// `{"rows": r, "columns": c, "values": [r × c numbers, row-major]}`; the sizes must agree.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let rows = try c.decode(Int.self, forKey: .rows), columns = try c.decode(Int.self, forKey: .columns)
        let values = try c.decode([Double].self, forKey: .values)
        guard rows >= 0, columns >= 0, rows.multipliedReportingOverflow(by: columns) == (values.count, false) else {
            throw corrupt(decoder, "a \(rows)×\(columns) matrix needs \(rows)×\(columns) values, not \(values.count)")
        }
        self.init(rows: rows, columns: columns, values: values)
    }
}
