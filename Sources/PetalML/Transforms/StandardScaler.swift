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
        for j in 0..<x.columns {
            var s = 0.0
            for i in 0..<x.rows { s += x[i, j] }
            let m = s / n
            var ss = 0.0
            for i in 0..<x.rows { let d = x[i, j] - m; ss += d * d }
            let sd = (ss / n).squareRoot()
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

    public func transform(_ x: Matrix) -> Matrix {
        var out = x
        for i in 0..<x.rows { for j in 0..<x.columns { out[i, j] = (x[i, j] - shift[j]) / scale[j] } }
        return out
    }

    public func validate(width: Int, classes: Int) throws {
        try Check.count(shift.count, width, "shift"); try Check.count(scale.count, width, "scale")
    }
}
