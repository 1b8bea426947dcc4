import PetalData

/// A dense row-major matrix of features: `rows × columns` doubles.
public struct Matrix: Sendable, Codable, Hashable {
    public var rows: Int
    public var columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        self.rows = rows; self.columns = columns; self.values = values
    }

    /// A matrix of `v` everywhere (on huge pages when large: a 40 MB matrix is 10,000 page faults otherwise).
    public init(rows: Int, columns: Int, repeating v: Double = 0) {
        self.init(rows: rows, columns: columns, values: HugePages.array(count: rows * columns) { $0.initialize(repeating: v) })
    }

    /// A matrix whose every value `initialize` writes (row-major, `rows × columns` values); not zeroed first.
    public init(rows: Int, columns: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Double>) -> Void) {
        self.init(rows: rows, columns: columns, values: HugePages.array(count: rows * columns, initialize))
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
