import PetalData

/// Centres on the median and scales by the interquartile range (scikit-learn's `RobustScaler`): outliers
/// barely move it. Fitted values: `center`, `scale` (1 where the IQR is 0).
public struct RobustScaler: TransformRecipe {
    public static let name = "robust_scaler"
    public static let summary = "subtract each feature's median and divide by its interquartile range (robust to outliers)"
    public static let parameters: [ParameterDescriptor] = []
    public static let fittedKinds = [FittedKind(ColumnAffine.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix) -> any FittedTransform {
        var center = [Double](repeating: 0, count: x.columns), scale = [Double](repeating: 1, count: x.columns)
        for j in 0..<x.columns {
            var col = (0..<x.rows).map { x[$0, j] }.filter { !$0.isNaN }
            guard !col.isEmpty else { continue }
            let q = Quantiles.compute(&col, [0.25, 0.5, 0.75])
            center[j] = q[1]
            scale[j] = q[2] - q[0] == 0 ? 1 : q[2] - q[0]
        }
        return ColumnAffine(shift: center, scale: scale)
    }
}
