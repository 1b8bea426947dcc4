/// Centres each feature and scales it to unit variance (population standard deviation, as scikit-learn).
/// Fitted values: a `ColumnAffine` whose shift is the mean and scale the standard deviation (1 where constant).
public struct StandardScaler: Sendable, Codable, Hashable {
    public static let stepName = "standard_scaler"
    public static let summary = "centre each feature on its mean and divide by its standard deviation"
    public static let parameters: [ParameterDescriptor] = [
        ParameterDescriptor("with_mean", .bool, default: "true", help: "subtract the mean"),
        ParameterDescriptor("with_std", .bool, default: "true", help: "divide by the standard deviation"),
    ]
    public var withMean = true
    public var withStd = true

    public init(_ p: ParameterValues) {
        withMean = p.string("with_mean", default: "true").lowercased() == "true"
        withStd = p.string("with_std", default: "true").lowercased() == "true"
    }

    public func fit(_ x: Matrix) -> ColumnAffine {
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
