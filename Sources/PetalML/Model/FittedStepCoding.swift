import Foundation
import PetalData

/// The JSON shape of a fitted step: one flat object, `kind` plus the learned values by name
/// (e.g. `{"kind": "affine", "shift": […], "scale": […]}`). See `ModelFormat`.
extension FittedStep {
    /// The `kind` written for each case (stable names: they are the file format).
    public var kind: String {
        switch self {
        case .subset: return "subset"
        case .minMaxScaler: return "min_max_scaler"
        case .knn: return "knn_classifier"
        case .gaussianNB: return "gaussian_nb"
        case .logisticRegression: return "logistic_regression"
        case .knnRegressor: return "knn_regressor"
        case .linear: return "linear"
        case .imputer: return "imputer"
        case .oneHot: return "schema_encoding"
        case .trees: return "trees"
        case .boosted: return "gradient_boosting"
        case .kmeans: return "kmeans"
        case .affine: return "affine"
        case .power: return "power_transform"
        case .bins: return "bins"
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ModelKey.self)
        let kind = try c.decode(String.self, forKey: ModelKey("kind"))
        switch kind {
        case "subset":
            self = .subset(try c.decode([Int].self, forKey: ModelKey("columns")), try c.decode(FittedStep.self, forKey: ModelKey("step")))
        case "min_max_scaler": self = .minMaxScaler(try MinMaxScaler.Fitted(from: decoder))
        case "knn_classifier": self = .knn(try KNeighborsClassifier.Fitted(from: decoder))
        case "gaussian_nb": self = .gaussianNB(try GaussianNB.Fitted(from: decoder))
        case "logistic_regression": self = .logisticRegression(try LogisticRegression.Fitted(from: decoder))
        case "knn_regressor": self = .knnRegressor(try KNeighborsClassifier.RegressorFitted(from: decoder))
        case "linear": self = .linear(try LinearFit(from: decoder))
        case "imputer": self = .imputer(try SimpleImputer.Fitted(from: decoder))
        case "schema_encoding": self = .oneHot
        case "trees":
            self = .trees(try c.decode([TreeModel].self, forKey: ModelKey("trees")), regression: try c.decode(Bool.self, forKey: ModelKey("regression")),
                          classCount: try c.decode(Int.self, forKey: ModelKey("classCount")))
        case "gradient_boosting": self = .boosted(try GradientBoosting.Fitted(from: decoder))
        case "kmeans": self = .kmeans(try KMeans.Fitted(from: decoder))
        case "affine": self = .affine(try ColumnAffine(from: decoder))
        case "power_transform": self = .power(try PowerTransform.Fitted(from: decoder))
        case "bins": self = .bins(try KBins.Fitted(from: decoder))
        default: throw corrupt(decoder, "unknown fitted step kind \"\(kind)\" (made by a newer Petal?)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ModelKey.self)
        try c.encode(kind, forKey: ModelKey("kind"))
        switch self {
        case .subset(let columns, let inner):
            try c.encode(columns, forKey: ModelKey("columns")); try c.encode(inner, forKey: ModelKey("step"))
        case .minMaxScaler(let f): try f.encode(to: encoder)
        case .knn(let f): try f.encode(to: encoder)
        case .gaussianNB(let f): try f.encode(to: encoder)
        case .logisticRegression(let f): try f.encode(to: encoder)
        case .knnRegressor(let f): try f.encode(to: encoder)
        case .linear(let f): try f.encode(to: encoder)
        case .imputer(let f): try f.encode(to: encoder)
        case .oneHot: break
        case .trees(let trees, let regression, let classCount):
            try c.encode(trees, forKey: ModelKey("trees")); try c.encode(regression, forKey: ModelKey("regression"))
            try c.encode(classCount, forKey: ModelKey("classCount"))
        case .boosted(let f): try f.encode(to: encoder)
        case .kmeans(let f): try f.encode(to: encoder)
        case .affine(let f): try f.encode(to: encoder)
        case .power(let f): try f.encode(to: encoder)
        case .bins(let f): try f.encode(to: encoder)
        }
    }
}

extension Matrix {
    private enum Keys: String, CodingKey { case rows, columns, values }

    /// `{"rows": r, "columns": c, "values": [r × c numbers, row-major]}`; the sizes must agree.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let rows = try c.decode(Int.self, forKey: .rows), columns = try c.decode(Int.self, forKey: .columns)
        let values = try c.decode([Double].self, forKey: .values)
        guard rows >= 0, columns >= 0, rows.multipliedReportingOverflow(by: columns) == (values.count, false) else {
            throw corrupt(decoder, "a \(rows)×\(columns) matrix needs \(rows)×\(columns) values, not \(values.count)")
        }
        self.init(rows: rows, columns: columns, values: values)
    }
}

extension TreeModel {
    /// Throws unless the arrays agree in length, every split names a feature below `features`, every child
    /// index points further down the arrays (so a walk always ends at a leaf), and every leaf holds `width` values.
    func validate(features: Int, width: Int) throws {
        let n = feature.count
        guard n > 0 else { throw DataError("a tree has no nodes") }
        guard threshold.count == n, left.count == n, right.count == n, value.count == n else {
            throw DataError("a tree's node arrays differ in length (feature \(n), threshold \(threshold.count), left \(left.count), right \(right.count), value \(value.count))")
        }
        for node in 0..<n {
            if feature[node] >= 0 {
                guard feature[node] < features else { throw DataError("tree node \(node) splits on feature \(feature[node]); the model has \(features)") }
                guard left[node] > node, left[node] < n, right[node] > node, right[node] < n else {
                    throw DataError("tree node \(node) has children \(left[node]) and \(right[node]), outside \(node + 1)..<\(n)")
                }
            } else {
                guard feature[node] == -1 else { throw DataError("tree node \(node) has feature \(feature[node])") }
                guard value[node].count >= width else { throw DataError("tree leaf \(node) holds \(value[node].count) values, not \(width)") }
            }
        }
    }
}
