import Foundation

/// Fills missing values per feature (scikit-learn's `SimpleImputer`): the training mean, median, most frequent
/// value, or a constant. Fitted values: one fill value per feature.
public struct SimpleImputer: Sendable, Codable, Hashable {
    public static let stepName = "imputer"
    public static let summary = "fill missing values with each feature's training mean, median, most frequent value or a constant"
    public static let parameters: [ParameterDescriptor] = [
        ParameterDescriptor("strategy", .choice(["mean", "median", "most_frequent", "constant"]), default: "mean", help: "what to fill with"),
        ParameterDescriptor("fill_value", .double(-1e300...1e300), default: "0", help: "the constant, with strategy=constant"),
    ]
    public var strategy = "mean"
    public var fillValue = 0.0

    public init(_ p: ParameterValues) {
        strategy = p.string("strategy", default: "mean")
        fillValue = p.double("fill_value", default: 0)
    }

    public func fit(_ x: Matrix) -> Fitted {
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

    public struct Fitted: Sendable, Codable, Hashable {
        public var fill: [Double]
        public func transform(_ x: Matrix) -> Matrix {
            var out = x
            for i in 0..<x.rows { for j in 0..<x.columns where out[i, j].isNaN { out[i, j] = fill[j] } }
            return out
        }
    }
}

/// Marks that text columns are meant to be one-hot encoded (the schema encodes them; this step says so
/// explicitly and silences the notice that `fit` prints otherwise).
public struct OneHotEncoder: Sendable, Codable, Hashable {
    public static let stepName = "one_hot"
    public static let summary = "one indicator column per category of each text column (unknown categories → all zeros)"
    public static let parameters: [ParameterDescriptor] = []
    public init(_ p: ParameterValues) {}
}
