import PetalData

/// Scales each feature to [0, 1] from its training minimum and maximum (scikit-learn's `MinMaxScaler`).
public struct MinMaxScaler: TransformRecipe {
    public static let name = "min_max_scaler"
    public static let summary = "scale each feature to 0…1 by its training minimum and maximum"
    public static let parameters: [ParameterDescriptor] = []
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix) -> any FittedTransform {
        var lo = [Double](repeating: .infinity, count: x.columns)
        var hi = [Double](repeating: -.infinity, count: x.columns)
        let rows = x.rows, d = x.columns
        precondition(x.values.count >= rows * d)
        x.values.withUnsafeBufferPointer { v in
            lo.withUnsafeMutableBufferPointer { l in
                hi.withUnsafeMutableBufferPointer { h in
                    for i in 0..<rows { for j in 0..<d { l[j] = min(l[j], v[i * d + j]); h[j] = max(h[j], v[i * d + j]) } }
                }
            }
        }
        // scikit-learn: scale = 1 / range (range 0 → 1), min = -data_min * scale.
        let scale = zip(lo, hi).map { $1 - $0 == 0 ? 1 : 1 / ($1 - $0) }
        let offset = zip(lo, scale).map { -$0 * $1 }
        return Fitted(scale: scale, offset: offset)
    }

    public struct Fitted: FittedTransform {
        public static let kind = "min_max_scaler"
        public var scale: [Double]
        public var offset: [Double]
        /// One value scaled: x · scale + offset (scikit-learn's order of operations).
        enum Scaled: ColumnFormula {
            @inline(__always) static func apply(_ v: Double, _ scale: Double, _ offset: Double) -> Double { v * scale + offset }
        }
        public func transform(_ x: Matrix) -> Matrix { Matrix.transforming(x, scale, offset, Scaled.self) }
        /// The same values as `transform`, written over x's.
        public func transform(replacing x: inout Matrix) { Matrix.transform(replacing: &x, scale, offset, Scaled.self) }
        public func validate(width: Int, classes: Int) throws {
            try Check.count(scale.count, width, "scale"); try Check.count(offset.count, width, "offset")
        }
    }
}
