import PetalData

/// One step of a pipeline as a recipe: which transform or estimator, with its hyperparameters.
/// A closed set (an enum) so recipes and fitted models encode to data with no code attached.
public enum Step: Sendable, Codable, Hashable {
    case standardScaler(StandardScaler)
    case minMaxScaler(MinMaxScaler)
    case knn(KNeighborsClassifier)
    case gaussianNB(GaussianNB)
    case logisticRegression(LogisticRegression)
    case linearRegression(LinearRegression)
    case ridge(Ridge)
    case imputer(SimpleImputer)
    case oneHot(OneHotEncoder)
    case decisionTree(DecisionTree)
    case randomForest(RandomForest)
    case gradientBoosting(GradientBoosting)
    case kmeans(KMeans)
    case robustScaler(RobustScaler)
    case powerTransform(PowerTransform)
    case bins(KBins)
    case ordinal(OrdinalEncoder)
    case featureCross(FeatureCross)
    case dropColumns(DropColumns)

    /// Every step name with its summary and parameters, for help and completion.
    public static let catalogue: [(name: String, summary: String, parameters: [ParameterDescriptor], isEstimator: Bool)] = [
        (SimpleImputer.stepName, SimpleImputer.summary, SimpleImputer.parameters, false),
        (OneHotEncoder.stepName, OneHotEncoder.summary, OneHotEncoder.parameters, false),
        (OrdinalEncoder.stepName, OrdinalEncoder.summary, OrdinalEncoder.parameters, false),
        (FeatureCross.stepName, FeatureCross.summary, FeatureCross.parameters, false),
        (DropColumns.stepName, DropColumns.summary, DropColumns.parameters, false),
        (StandardScaler.stepName, StandardScaler.summary, StandardScaler.parameters, false),
        (MinMaxScaler.stepName, MinMaxScaler.summary, MinMaxScaler.parameters, false),
        (RobustScaler.stepName, RobustScaler.summary, RobustScaler.parameters, false),
        (PowerTransform.stepName, PowerTransform.summary, PowerTransform.parameters, false),
        (KBins.stepName, KBins.summary, KBins.parameters, false),
        (KNeighborsClassifier.stepName, KNeighborsClassifier.summary, KNeighborsClassifier.parameters, true),
        (GaussianNB.stepName, GaussianNB.summary, GaussianNB.parameters, true),
        (LogisticRegression.stepName, LogisticRegression.summary, LogisticRegression.parameters, true),
        (LinearRegression.stepName, LinearRegression.summary, LinearRegression.parameters, true),
        (Ridge.stepName, Ridge.summary, Ridge.parameters, true),
        (DecisionTree.stepName, DecisionTree.summary, DecisionTree.parameters, true),
        (RandomForest.stepName, RandomForest.summary, RandomForest.parameters, true),
        (GradientBoosting.stepName, GradientBoosting.summary, GradientBoosting.parameters, true),
        (KMeans.stepName, KMeans.summary, KMeans.parameters, true),
    ]

    /// Steps the design names that are not built yet (so the error can say so rather than "unknown").
    public static let planned = ["svm", "mlp"]

    /// A step from its name and `name=value` parameters.
    /// - Throws: an unknown step (with a did-you-mean), a planned one, or a bad parameter.
    public init(name: String, parameters: [(String, String)]) throws {
        guard let entry = Step.catalogue.first(where: { $0.name == name }) else {
            if Step.planned.contains(name) {
                throw DataError("the step \(name) is not built yet", hint: "available now: " + Step.catalogue.map(\.name).joined(separator: ", "))
            }
            let names = Step.catalogue.map(\.name) + Step.planned
            let close = names.min { Levenshtein.distance($0, name) < Levenshtein.distance($1, name) }
            throw DataError("unknown step \"\(name)\"", hint: close.flatMap { Levenshtein.distance($0, name) <= 3 ? "did you mean \($0)?" : nil }
                            ?? "steps: " + Step.catalogue.map(\.name).joined(separator: ", "))
        }
        let values = try ParameterValues(parameters, step: name, descriptors: entry.parameters)
        switch name {
        case StandardScaler.stepName: self = .standardScaler(StandardScaler(values))
        case MinMaxScaler.stepName: self = .minMaxScaler(MinMaxScaler(values))
        case KNeighborsClassifier.stepName: self = .knn(KNeighborsClassifier(values))
        case LogisticRegression.stepName: self = .logisticRegression(LogisticRegression(values))
        case LinearRegression.stepName: self = .linearRegression(LinearRegression(values))
        case Ridge.stepName: self = .ridge(Ridge(values))
        case SimpleImputer.stepName: self = .imputer(SimpleImputer(values))
        case OneHotEncoder.stepName: self = .oneHot(OneHotEncoder(values))
        case DecisionTree.stepName: self = .decisionTree(DecisionTree(values))
        case RandomForest.stepName: self = .randomForest(RandomForest(values))
        case GradientBoosting.stepName: self = .gradientBoosting(GradientBoosting(values))
        case KMeans.stepName: self = .kmeans(KMeans(values))
        case RobustScaler.stepName: self = .robustScaler(RobustScaler(values))
        case PowerTransform.stepName: self = .powerTransform(PowerTransform(values))
        case KBins.stepName: self = .bins(KBins(values))
        case OrdinalEncoder.stepName: self = .ordinal(OrdinalEncoder(values))
        case FeatureCross.stepName: self = .featureCross(FeatureCross(values))
        case DropColumns.stepName: self = .dropColumns(DropColumns(values))
        default: self = .gaussianNB(GaussianNB(values))
        }
    }

    public var name: String {
        switch self {
        case .standardScaler: return StandardScaler.stepName
        case .minMaxScaler: return MinMaxScaler.stepName
        case .knn: return KNeighborsClassifier.stepName
        case .gaussianNB: return GaussianNB.stepName
        case .logisticRegression: return LogisticRegression.stepName
        case .linearRegression: return LinearRegression.stepName
        case .ridge: return Ridge.stepName
        case .imputer: return SimpleImputer.stepName
        case .oneHot: return OneHotEncoder.stepName
        case .decisionTree: return DecisionTree.stepName
        case .randomForest: return RandomForest.stepName
        case .gradientBoosting: return GradientBoosting.stepName
        case .kmeans: return KMeans.stepName
        case .robustScaler: return RobustScaler.stepName
        case .powerTransform: return PowerTransform.stepName
        case .bins: return KBins.stepName
        case .ordinal: return OrdinalEncoder.stepName
        case .featureCross: return FeatureCross.stepName
        case .dropColumns: return DropColumns.stepName
        }
    }

    /// Which tasks the step can do when it ends a pipeline.
    public var tasks: Set<Task> {
        switch self {
        case .knn, .decisionTree, .randomForest, .gradientBoosting: return [.classification, .regression]
        case .gaussianNB, .logisticRegression: return [.classification]
        case .linearRegression, .ridge: return [.regression]
        case .kmeans: return [.clustering]
        case .standardScaler, .minMaxScaler, .imputer, .oneHot, .robustScaler, .powerTransform, .bins, .ordinal, .featureCross, .dropColumns: return []
        }
    }

    public var isEstimator: Bool { Step.catalogue.first { $0.name == name }?.isEstimator ?? false }
}

/// A fitted step: learned values only, immutable.
public indirect enum FittedStep: Sendable, Codable, Hashable {
    /// A transform fitted on, and applied to, some matrix columns only.
    case subset([Int], FittedStep)
    case minMaxScaler(MinMaxScaler.Fitted)
    case knn(KNeighborsClassifier.Fitted)
    case gaussianNB(GaussianNB.Fitted)
    case logisticRegression(LogisticRegression.Fitted)
    case knnRegressor(KNeighborsClassifier.RegressorFitted)
    case linear(LinearFit)
    case imputer(SimpleImputer.Fitted)
    case oneHot
    /// Trees (one for a decision tree, many for a forest), for classes or numbers.
    case trees([TreeModel], regression: Bool, classCount: Int)
    case boosted(GradientBoosting.Fitted)
    case kmeans(KMeans.Fitted)
    case affine(ColumnAffine)
    case power(PowerTransform.Fitted)
    case bins(KBins.Fitted)

    func transform(_ x: Matrix) -> Matrix {
        switch self {
        case .minMaxScaler(let f): return f.transform(x)
        case .imputer(let f): return f.transform(x)
        case .oneHot: return x
        case .subset(let picked, let inner):
            return x.replacingColumns(picked, with: inner.transform(x.columns(picked)))
        case .affine(let f): return f.transform(x)
        case .power(let f): return f.transform(x)
        case .bins(let f): return f.transform(x)
        case .knn, .gaussianNB, .logisticRegression, .knnRegressor, .linear, .trees, .boosted, .kmeans: return x
        }
    }

    func predictProba(_ x: Matrix) -> Matrix? {
        switch self {
        case .knn(let f): return f.predictProba(x)
        case .gaussianNB(let f): return f.predictProba(x)
        case .logisticRegression(let f): return f.predictProba(x)
        case .trees(let t, let regression, let k): return regression ? nil : TreeAverage.average(t, x, width: k)
        case .boosted(let b): return b.classCount == 0 ? nil : b.predictProba(x)
        default: return nil
        }
    }

    /// True for a fitted estimator that predicts numbers.
    var isRegressor: Bool {
        switch self {
        case .knnRegressor, .linear: return true
        case .trees(_, let regression, _): return regression
        case .boosted(let b): return b.classCount == 0
        default: return false
        }
    }

    func predictValues(_ x: Matrix) -> [Double]? {
        switch self {
        case .knnRegressor(let f): return f.predict(x)
        case .linear(let f): return f.predict(x)
        case .trees(let t, let regression, _):
            guard regression else { return nil }
            let m = TreeAverage.average(t, x, width: 1)
            return m.values
        case .boosted(let b): return b.classCount == 0 ? b.predictValues(x) : nil
        default: return nil
        }
    }
}

/// A pipeline recipe: transforms, then one estimator. A pipeline is itself an estimator.
public struct Pipeline: Sendable, Codable, Hashable {
    public var steps: [Step]
    /// For each step, the columns a transform is limited to (`columns=a,b`, `columns=number|text`); nil: all.
    /// This is the column transformer: routing columns to steps by name or by type.
    public var columns: [ColumnSelection?] = []

    /// - Throws: when the last step is not an estimator, an estimator stands before the end, or an
    ///   estimator is given `columns=`.
    public init(steps: [Step], columns: [ColumnSelection?] = []) throws {
        guard let last = steps.last else { throw DataError("a pipeline needs at least one step", hint: "e.g. pipeline p = standard_scaler | knn k=3") }
        guard last.isEstimator else {
            throw DataError("a pipeline ends with an estimator, not \(last.name)", hint: "e.g. … | knn k=3 or … | gaussian_nb")
        }
        if let early = steps.dropLast().first(where: \.isEstimator) {
            throw DataError("\(early.name) is an estimator, so it must be the last step")
        }
        self.steps = steps
        self.columns = columns.isEmpty ? steps.map { _ in nil } : columns
        if self.columns.last.flatMap({ $0 }) != nil {
            throw DataError("columns= routes columns to a transform; \(last.name) is the estimator and sees every feature",
                            hint: "put columns= on a transform step, e.g. standard_scaler columns=number")
        }
    }

    /// The estimator at the end.
    public var estimator: Step { steps[steps.count - 1] }

    /// Fits every step on the training rows (transforms see the training split only) for a classification target.
    public func fit(_ x: Matrix, labels: [Int], schema: FeatureSchema) throws -> FittedPipeline {
        try fit(x, target: .classes(labels), schema: schema)
    }

    /// Fits every step on the training rows (transforms see the training split only).
    /// - Throws: when the estimator cannot do the task (a classifier on a numeric target, or the reverse).
    public func fit(_ x: Matrix, target: Target, schema: FeatureSchema, control: LoadControl? = nil) throws -> FittedPipeline {
        let task: Task
        switch target { case .classes: task = .classification; case .values: task = .regression; case .none: task = .clustering }
        guard estimator.tasks.contains(task) else {
            if task == .clustering || estimator.tasks == [.clustering] {
                throw DataError("\(estimator.name) \(task == .clustering ? "needs target=COLUMN" : "finds clusters; it takes no target")",
                                hint: task == .clustering ? "fit P on NAME target=COLUMN" : "fit P on NAME (without target=)")
            }
            let other = task == .classification ? "a regressor (linear_regression, ridge, knn)" : "a classifier (knn, logistic_regression, gaussian_nb)"
            throw DataError("\(estimator.name) cannot do \(task.rawValue) on \(schema.target)",
                            hint: "\(schema.target) calls for \(task == .classification ? "a classifier" : "a regressor"), not \(other)")
        }
        guard x.rows > 0 else {
            throw DataError("\(estimator.name) has no training rows", hint: "check the data set (head NAME) and the test= share")
        }
        guard x.columns > 0 else { throw DataError("\(estimator.name) has no features to learn from") }
        if !steps.contains(where: { if case .imputer = $0 { return true } else { return false } }) {
            try FeatureSchema.requireNoMissing(x, schema: schema, estimator: estimator.name)
        }
        var current = x
        var fitted: [FittedStep] = []
        for (index, step) in steps.enumerated() {
            if !step.isEstimator {
                // A transform: on every feature, or on the ones its columns= selects.
                let encodes: Bool
                switch step { case .ordinal, .featureCross, .oneHot, .dropColumns: encodes = true; default: encodes = false }
                if !encodes, let selection = columns[safe: index] ?? nil {
                    let picked = try selection.indices(in: schema)
                    let inner = try Pipeline.fitTransform(step, current.columns(picked))
                    fitted.append(.subset(picked, inner))
                } else {
                    fitted.append(try Pipeline.fitTransform(step, current))
                }
                current = fitted[fitted.count - 1].transform(current)
                continue
            }
            try FeatureSchema.requireNoMissing(current, schema: schema, estimator: step.name)
            switch (step, target) {
            case (.knn(let e), .classes(let labels)):
                fitted.append(.knn(try e.fit(current, labels: labels, classCount: schema.classes.count)))
            case (.knn(let e), .values(let y)):
                fitted.append(.knnRegressor(try e.fitRegressor(current, values: y)))
            case (.gaussianNB(let e), .classes(let labels)):
                fitted.append(.gaussianNB(try e.fit(current, labels: labels, classCount: schema.classes.count)))
            case (.logisticRegression(let e), .classes(let labels)):
                fitted.append(.logisticRegression(try e.fit(current, labels: labels, classCount: schema.classes.count)))
            case (.linearRegression(let e), .values(let y)):
                fitted.append(.linear(try e.fit(current, values: y)))
            case (.ridge(let e), .values(let y)):
                fitted.append(.linear(try e.fit(current, values: y)))
            case (.decisionTree(let e), _):
                fitted.append(.trees([e.fit(current, target: target, classCount: schema.classes.count)], regression: task == .regression,
                                     classCount: schema.classes.count))
            case (.gradientBoosting(let e), _):
                fitted.append(.boosted(try e.fit(current, target: target, classCount: task == .regression ? 0 : schema.classes.count,
                                                 control: control)))
            case (.kmeans(let e), .none):
                fitted.append(.kmeans(try e.fit(current)))
            case (.randomForest(let e), _):
                fitted.append(.trees(try e.fit(current, target: target, classCount: schema.classes.count, control: control), regression: task == .regression,
                                     classCount: schema.classes.count))
            default:
                throw DataError("\(step.name) cannot do \(task.rawValue)")
            }
        }
        return FittedPipeline(recipe: self, schema: schema, steps: fitted)
    }

    /// Fits one transform step.
    static func fitTransform(_ step: Step, _ x: Matrix) throws -> FittedStep {
        switch step {
        case .standardScaler(let s): return .affine(s.fit(x))
        case .minMaxScaler(let s): return .minMaxScaler(s.fit(x))
        case .imputer(let s): return .imputer(s.fit(x))
        case .oneHot, .ordinal, .featureCross, .dropColumns: return .oneHot
        case .robustScaler(let s): return .affine(s.fit(x))
        case .powerTransform(let s): return .power(try s.fit(x))
        case .bins(let s): return .bins(s.fit(x))
        default: throw DataError("\(step.name) is not a transform")
        }
    }
}

/// Which features a transform applies to: named input columns, or every number / every text column.
public enum ColumnSelection: Sendable, Codable, Hashable {
    case names([String])
    case type(String)

    /// Parses `columns=a,b` or `columns=number` / `columns=text`.
    public init(_ text: String) {
        let lower = text.lowercased()
        if lower == "number" || lower == "numeric" || lower == "text" { self = .type(lower == "text" ? "text" : "number") }
        else { self = .names(text.split(separator: ",").map(String.init)) }
    }

    /// Matrix columns selected in `schema` (one-hot columns go with their text column).
    func indices(in schema: FeatureSchema) throws -> [Int] {
        var out: [Int] = []
        var j = 0
        var found = Set<String>()
        for input in schema.inputs {
            let width = input.width
            let isText: Bool
            switch input {
            case .number: isText = false
            case .oneHot, .ordinal, .cross: isText = true
            }
            let chosen: Bool
            switch self {
            case .names(let names): chosen = names.contains(input.column)
            case .type(let t): chosen = (t == "text") == isText
            }
            if chosen { out += Array(j..<(j + width)); found.insert(input.column) }
            j += width
        }
        if case .names(let names) = self, let missing = names.first(where: { !found.contains($0) }) {
            throw DataError("columns= names \"\(missing)\", which is not a feature", hint: "features: " + schema.inputs.map(\.column).joined(separator: ", "))
        }
        return out
    }
}

/// What a pipeline learns to predict.
public enum Task: String, Sendable, Codable, Hashable { case classification, regression, clustering }

/// Training targets: class codes or numbers.
public enum Target: Sendable {
    case classes([Int])
    case values([Double])
    /// No target: clustering.
    case none(rows: Int)
}

/// A fitted pipeline: the recipe it came from, the feature schema, and each step's learned values.
public struct FittedPipeline: Sendable, Codable, Hashable {
    public var recipe: Pipeline
    public var schema: FeatureSchema
    public var steps: [FittedStep]

    /// The fitted estimator: always the last step (a pipeline ends with one).
    private var estimator: FittedStep? { steps.last }

    /// The features as the estimator sees them (after the transforms).
    public func transformed(_ x: Matrix) -> Matrix {
        var current = x
        for step in steps.dropLast() { current = step.transform(current) }
        return current
    }

    /// Class probabilities, one row per input row, columns in `schema.classes` order.
    public func predictProba(_ x: Matrix) -> Matrix {
        estimator?.predictProba(transformed(x)) ?? Matrix(rows: x.rows, columns: schema.classes.count)
    }

    /// Throws when `x` still has missing values when it reaches the estimator (the pipeline has no imputer).
    public func checkInput(_ x: Matrix) throws {
        if !recipe.steps.contains(where: { if case .imputer = $0 { return true } else { return false } }) {
            try FeatureSchema.requireNoMissing(x, schema: schema, estimator: recipe.estimator.name)
        }
        try FeatureSchema.requireNoMissing(transformed(x), schema: schema, estimator: recipe.estimator.name)
    }

    /// Predicted numbers, for a regression pipeline (nil for a classifier or a clustering).
    public func predictValues(_ x: Matrix) -> [Double]? {
        guard let estimator, estimator.isRegressor else { return nil }
        return estimator.predictValues(transformed(x))
    }

    /// Cluster of each row and its squared distance to the centre, for a clustering pipeline (nil otherwise).
    public func clusters(_ x: Matrix) -> (labels: [Int], distances: [Double])? {
        guard case .kmeans(let k)? = estimator else { return nil }
        return k.assign(transformed(x))
    }

    /// Predicted class codes: the most probable class (the first on ties, as scikit-learn's argmax).
    public func predict(_ x: Matrix) -> [Int] {
        let p = predictProba(x)
        return (0..<p.rows).map { r in
            var best = 0
            for c in 1..<max(1, p.columns) where p[r, c] > p[r, best] { best = c }
            return best
        }
    }
}
