import PetalData

/// A dense row-major matrix of features: `rows × columns` doubles.
public struct Matrix: Sendable, Codable, Hashable {
    public var rows: Int
    public var columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        self.rows = rows; self.columns = columns; self.values = values
    }

    public init(rows: Int, columns: Int, repeating v: Double = 0) {
        self.init(rows: rows, columns: columns, values: [Double](repeating: v, count: rows * columns))
    }

    @inline(__always)
    public subscript(r: Int, c: Int) -> Double {
        get { values[r * columns + c] }
        set { values[r * columns + c] = newValue }
    }

    /// Rows `indices`, in that order.
    public func rows(_ indices: [Int]) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(indices.count * columns)
        for r in indices { out.append(contentsOf: values[(r * columns)..<((r + 1) * columns)]) }
        return Matrix(rows: indices.count, columns: columns, values: out)
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> ArraySlice<Double> { values[(r * columns)..<((r + 1) * columns)] }
}
