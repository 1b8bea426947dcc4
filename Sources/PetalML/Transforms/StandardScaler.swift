import PetalData

/// Centres each feature and scales it to unit variance (population standard deviation, as scikit-learn).
/// Fitted values: a `ColumnAffine` whose shift is the mean and scale the standard deviation (1 where constant).
public struct StandardScaler: TransformRecipe {
    public static let name = "standard_scaler"
    public static let summary = "centre each feature on its mean and divide by its standard deviation"
    public static let withMean = Param<Bool>("with_mean", default: true, help: "subtract the mean", legacyKey: "withMean")
    public static let withStd = Param<Bool>("with_std", default: true, help: "divide by the standard deviation", legacyKey: "withStd")
    public static let parameters = [withMean.descriptor, withStd.descriptor]
    public static let fittedKinds = [FittedKind(ColumnAffine.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix) -> any FittedTransform { affine(x) }

    /// The fitted scaling.
    public func affine(_ x: Matrix) -> ColumnAffine {
        let withMean = self[Self.withMean], withStd = self[Self.withStd]
        var mean = [Double](repeating: 0, count: x.columns)
        var scale = [Double](repeating: 1, count: x.columns)
        let n = Double(max(1, x.rows))
        let rows = x.rows, d = x.columns
        precondition(x.values.count >= rows * d)
        // Each column's sum and sum of squared deviations, in row order as before, but with the rows read in
        // order (a column at a time reads one value a cache line of a wide matrix).
        var sums = [Double](repeating: 0, count: d), squares = [Double](repeating: 0, count: d)
        x.values.withUnsafeBufferPointer { v in
            sums.withUnsafeMutableBufferPointer { s in
                for i in 0..<rows { for j in 0..<d { s[j] += v[i * d + j] } }
            }
            let means = sums.map { $0 / n }
            means.withUnsafeBufferPointer { m in
                squares.withUnsafeMutableBufferPointer { ss in
                    for i in 0..<rows { for j in 0..<d { let e = v[i * d + j] - m[j]; ss[j] += e * e } }
                }
            }
        }
        for j in 0..<d {
            let m = sums[j] / n
            let sd = (squares[j] / n).squareRoot()
            mean[j] = withMean ? m : 0
            scale[j] = withStd && sd > 10 * Double.ulpOfOne * max(1, abs(m)) ? sd : 1
        }
        return ColumnAffine(shift: mean, scale: scale)
    }
}

/// A fitted per-feature `(x − shift) / scale` (the standard and robust scalers).
public struct ColumnAffine: FittedTransform {
    public static let kind = "affine"
    public var shift: [Double]
    public var scale: [Double]

    public init(shift: [Double], scale: [Double]) { self.shift = shift; self.scale = scale }

    /// One value: (x − shift) / scale.
    enum Affine: ColumnFormula {
        @inline(__always) static func apply(_ v: Double, _ shift: Double, _ scale: Double) -> Double { (v - shift) / scale }
    }

    public func transform(_ x: Matrix) -> Matrix { Matrix.transforming(x, shift, scale, Affine.self) }

    /// The same values as `transform`, written over x's.
    public func transform(replacing x: inout Matrix) { Matrix.transform(replacing: &x, shift, scale, Affine.self) }

    public func validate(width: Int, classes: Int) throws {
        try Check.count(shift.count, width, "shift"); try Check.count(scale.count, width, "scale")
    }
}
