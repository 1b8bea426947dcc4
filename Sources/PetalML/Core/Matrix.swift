import PetalData

/// A dense row-major matrix of features: `rows × columns` doubles.
public struct Matrix: Sendable, Codable, Hashable {
    public var rows: Int
    public var columns: Int
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        self.rows = rows; self.columns = columns; self.values = values
    }

    public init(rows: Int, columns: Int, repeating v: Double = 0) {
        self.init(rows: rows, columns: columns, values: [Double](repeating: v, count: rows * columns))
    }

    @inline(__always)
    public subscript(r: Int, c: Int) -> Double {
        get { values[r * columns + c] }
        set { values[r * columns + c] = newValue }
    }

    /// Rows `indices`, in that order.
    public func rows(_ indices: [Int]) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(indices.count * columns)
        for r in indices { out.append(contentsOf: values[(r * columns)..<((r + 1) * columns)]) }
        return Matrix(rows: indices.count, columns: columns, values: out)
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> ArraySlice<Double> { values[(r * columns)..<((r + 1) * columns)] }
}

/// Which frame columns feed a model, and how a target column becomes class codes.
public struct FeatureSchema: Sendable, Codable, Hashable {
    /// Input column names, in matrix column order.
    public var features: [String]
    public var target: String
    /// Class labels in code order (sorted, as scikit-learn's `classes_`); empty for regression.
    public var classes: [String]

    /// The numeric feature columns of `frame` (all but `target`), and the class labels of `target`.
    /// - Throws: when the target is missing, a feature is not numeric, or the target has fewer than two classes.
    public static func infer(frame: Frame, target: String, dataset: String, task: Task = .classification) throws -> FeatureSchema {
        let y = try frame.requireColumn(target, dataset: dataset)
        var features: [String] = []
        for c in frame.columns where c.name != target {
            guard c.type.isNumeric || c.type == .bool else {
                throw DataError("column \(c.name) is \(c.type.rawValue); the models so far take numeric columns only",
                                hint: "leave it out first: select \(dataset) … as numeric_only (one_hot encoding comes with the next steps)")
            }
            features.append(c.name)
        }
        guard !features.isEmpty else { throw DataError("\(dataset) has no feature columns besides \(target)") }
        if task == .regression {
            guard y.type.isNumeric else {
                throw DataError("the target \(target) is \(y.type.rawValue); regression needs a numeric target", hint: "use a classifier for categories")
            }
            return FeatureSchema(features: features, target: target, classes: [])
        }
        let labels = Set((0..<y.count).compactMap { i -> Value? in let v = y[i]; return v.isNull ? nil : v })
        let classes = labels.sorted { ValueOrder.compare($0, $1) < 0 }.map(\.plainText)
        guard classes.count >= 2 else {
            throw DataError("the target \(target) has \(classes.count) class\(classes.count == 1 ? "" : "es"); a classifier needs at least two",
                            hint: "choose another target=")
        }
        return FeatureSchema(features: features, target: target, classes: classes)
    }

    /// The feature matrix of `frame` (same columns by name).
    /// - Throws: when a column is missing or holds a null (NaN cannot reach the estimators yet).
    public func matrix(_ frame: Frame, dataset: String) throws -> Matrix {
        var m = Matrix(rows: frame.rowCount, columns: features.count)
        for (j, name) in features.enumerated() {
            let c = try frame.requireColumn(name, dataset: dataset)
            guard let values = c.doublesWithNaN() else {
                throw DataError("column \(name) in \(dataset) is \(c.type.rawValue), but the model was trained on numbers")
            }
            for i in 0..<frame.rowCount {
                let v = values[i]
                if v.isNaN {
                    throw DataError("column \(name) has a missing value in row \(i)", hint: "fill or drop missing values first, e.g. filter \(dataset) \(name) is not null as clean")
                }
                m[i, j] = v
            }
        }
        return m
    }

    /// The task a target column suggests for an estimator that can do both: numbers with many distinct values
    /// (floats, or integers with more than 20 values) are regression, the rest classification.
    public static func suggestedTask(for column: Column) -> Task {
        switch column.type {
        case .float: return .regression
        case .int: return ValueCounts.compute(column).distinct > 20 ? .regression : .classification
        default: return .classification
        }
    }

    /// The numeric target of a regression; rows with a null target are an error.
    public func values(_ frame: Frame, dataset: String) throws -> [Double] {
        let y = try frame.requireColumn(target, dataset: dataset)
        guard let v = y.doublesWithNaN() else { throw DataError("the target \(target) is not numeric") }
        if let i = v.firstIndex(where: \.isNaN) {
            throw DataError("the target \(target) is missing in row \(i)", hint: "drop those rows: filter \(dataset) \(target) is not null as labelled")
        }
        return v
    }

    /// Class codes of the target column; rows with a null target are an error.
    public func labels(_ frame: Frame, dataset: String) throws -> [Int] {
        let y = try frame.requireColumn(target, dataset: dataset)
        var index: [String: Int] = [:]
        for (k, c) in classes.enumerated() { index[c] = k }
        return try (0..<y.count).map { i in
            let v = y[i]
            guard !v.isNull else { throw DataError("the target \(target) is missing in row \(i)", hint: "drop those rows: filter \(dataset) \(target) is not null as labelled") }
            guard let code = index[v.plainText] else { throw DataError("row \(i) has class \"\(v.plainText)\", which the model was not trained on") }
            return code
        }
    }
}
