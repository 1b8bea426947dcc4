import Foundation
import PetalData

/// Fills missing values per feature (scikit-learn's `SimpleImputer`): the training mean, median, most frequent
/// value, or a constant. Fitted values: one fill value per feature.
public struct SimpleImputer: TransformRecipe {
    public static let name = "imputer"
    public static let summary = "fill missing values with each feature's training mean, median, most frequent value or a constant"
    public static let strategyParam = Param<String>("strategy", choices: ["mean", "median", "most_frequent", "constant"], default: "mean",
                                                    help: "what to fill with", legacyKey: "strategy")
    public static let fillValueParam = Param<Double>("fill_value", -1e300...1e300, default: 0, help: "the constant, with strategy=constant",
                                                     legacyKey: "fillValue")
    public static let parameters = [strategyParam.descriptor, fillValueParam.descriptor]
    public static let handlesMissing = true
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }
    public var strategy: String { self[Self.strategyParam] }
    var fillValue: Double { self[Self.fillValueParam] }

    public func fit(_ x: Matrix) -> any FittedTransform { fill(x) }

    /// The fill value of each feature.
    public func fill(_ x: Matrix) -> Fitted {
        var fill = [Double](repeating: fillValue, count: x.columns)
        guard strategy != "constant" else { return Fitted(fill: fill) }
        for j in 0..<x.columns {
            var values = (0..<x.rows).map { x[$0, j] }.filter { !$0.isNaN }
            // A column with no values at all is filled with 0 (scikit-learn drops such a column instead).
            guard !values.isEmpty else { fill[j] = 0; continue }
            switch strategy {
            case "median":
                values.sort()
                let n = values.count
                fill[j] = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2
            case "most_frequent":
                var counts: [Double: Int] = [:]
                for v in values { counts[v, default: 0] += 1 }
                // Ties go to the smallest value, as scikit-learn's mode.
                fill[j] = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? 0
            default:
                fill[j] = values.reduce(0, +) / Double(values.count)
            }
        }
        return Fitted(fill: fill)
    }

    public struct Fitted: FittedTransform {
        public static let kind = "imputer"
        public var fill: [Double]
        public func validate(width: Int, classes: Int) throws { try Check.count(fill.count, width, "fill") }
        public func transform(_ x: Matrix) -> Matrix {
            var out = x
            for i in 0..<x.rows { for j in 0..<x.columns where out[i, j].isNaN { out[i, j] = fill[j] } }
            return out
        }
    }
}
