import PetalData

/// A dense row-major matrix of features: `rows × columns` doubles.
public struct Matrix: Sendable, Codable, Hashable {
    public var rows: Int
    public var columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        self.rows = rows; self.columns = columns; self.values = values
    }

    /// A matrix of `v` everywhere.
    public init(rows: Int, columns: Int, repeating v: Double = 0) {
        self.init(rows: rows, columns: columns, values: [Double](uninitializedCount: rows * columns) { $0.initialize(repeating: v) })
    }

    /// A matrix whose every value `initialize` writes (row-major, `rows × columns` values); not zeroed first.
    public init(rows: Int, columns: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Double>) -> Void) {
        self.init(rows: rows, columns: columns, values: [Double](uninitializedCount: rows * columns, initialize))
    }

    @inline(__always)
    public subscript(r: Int, c: Int) -> Double {
        get { values[r * columns + c] }
        set { values[r * columns + c] = newValue }
    }

    /// Rows `indices`, in that order.
    public func rows(_ indices: [Int]) -> Matrix {
        let width = columns, count = rows
        precondition(values.count >= count * width, "a \(count)×\(width) matrix holds \(values.count) values")
        for r in indices { precondition(r >= 0 && r < count, "row \(r) of a \(count)-row matrix") }
        guard width > 0, !indices.isEmpty else { return Matrix(rows: indices.count, columns: width, values: []) }
        return Matrix(rows: indices.count, columns: width) { buffer in
            values.withUnsafeBufferPointer { source in
                guard let to = buffer.baseAddress, let from = source.baseAddress else { return }
                for (k, r) in indices.enumerated() {
                    (to + k * width).initialize(from: from + r * width, count: width)
                }
            }
        }
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> ArraySlice<Double> { values[(r * columns)..<((r + 1) * columns)] }

    /// Columns `indices`, in that order.
    public func columns(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: rows, columns: indices.count)
        for r in 0..<rows { for (k, c) in indices.enumerated() { out[r, k] = self[r, c] } }
        return out
    }

    /// This matrix with columns `indices` replaced by `sub`'s columns.
    public func replacingColumns(_ indices: [Int], with sub: Matrix) -> Matrix {
        var out = self
        for r in 0..<rows { for (k, c) in indices.enumerated() { out[r, c] = sub[r, k] } }
        return out
    }
}

/// A per-column formula `apply(x, a[j], b[j])` for `Matrix.transforming` (a type, not a closure, so that the
/// specialised loop calls it directly: a closure captured by the matrix's initializer was an indirect call per value).
public protocol ColumnFormula {
    static func apply(_ value: Double, _ a: Double, _ b: Double) -> Double
}

extension Matrix {
    /// A per-column transform's values, `F.apply(x[i, j], a[j], b[j])` row by row: into a new matrix
    /// (`transforming`, not zeroed first) or over `x`'s own values (`transform(replacing:…)`), so a transform writes
    /// its formula once for both (the min-max and standard scalers).
    public static func transforming<F: ColumnFormula>(_ x: Matrix, _ a: [Double], _ b: [Double], _ formula: F.Type) -> Matrix {
        let rows = x.rows, d = x.columns
        precondition(x.values.count >= rows * d && a.count >= d && b.count >= d)
        return Matrix(rows: rows, columns: d) { out in
            x.values.withUnsafeBufferPointer { v in
                guard let to = out.baseAddress, let from = v.baseAddress else { return }
                columnwise(from, to, rows: rows, columns: d, a, b, formula)
            }
        }
    }

    /// `transforming`'s values written over `x`'s.
    public static func transform<F: ColumnFormula>(replacing x: inout Matrix, _ a: [Double], _ b: [Double], _ formula: F.Type) {
        let rows = x.rows, d = x.columns
        precondition(x.values.count >= rows * d && a.count >= d && b.count >= d)
        x.values.withUnsafeMutableBufferPointer { v in
            guard let p = v.baseAddress else { return }
            columnwise(p, p, rows: rows, columns: d, a, b, formula)
        }
    }

    /// `to[i·d + j] = F.apply(from[i·d + j], a[j], b[j])`; `to` may be `from` (each value is read before it is written).
    @inline(__always)
    static func columnwise<F: ColumnFormula>(_ from: UnsafePointer<Double>, _ to: UnsafeMutablePointer<Double>, rows: Int, columns d: Int,
                                             _ a: [Double], _ b: [Double], _: F.Type) {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 0..<rows { for j in 0..<d { to[i * d + j] = F.apply(from[i * d + j], a[j], b[j]) } }
            }
        }
    }
}
