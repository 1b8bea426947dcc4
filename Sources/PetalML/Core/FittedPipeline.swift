import PetalData

/// A fitted pipeline: the recipe it came from, the feature schema, and each step's learned values. It can only
/// be made valid (by `Pipeline.fit` or from a checked model file): one fitted step per recipe step, transforms
/// first, an estimator for the task last, every size agreeing with the schema.
public struct FittedPipeline: Sendable, Hashable {
    public let recipe: Pipeline
    public let schema: FeatureSchema
    public let steps: [FittedStep]
    /// The fitted estimator: the last step.
    public let estimator: any FittedEstimator
    /// The decision threshold of a binary classifier (`threshold P x`): a row is the second (positive) class when
    /// its probability is at least this (scikit-learn's `FixedThresholdClassifier`); nil is the most probable class.
    /// Stored in the model file, so bundles, `petal serve`, the ONNX graph and the demo form apply the same cut.
    public private(set) var threshold: Double? = nil

    /// - Throws: a `PetalError` naming the step and what does not fit (see `validate`).
    public init(recipe: Pipeline, schema: FeatureSchema, steps: [FittedStep]) throws {
        guard let last = steps.last?.estimator else {
            throw PetalError("a fitted pipeline ends with a fitted estimator, not \(steps.last?.kind ?? "nothing")")
        }
        self.recipe = recipe; self.schema = schema; self.steps = steps; estimator = last
        try validate()
    }

    /// What the fitted estimator does.
    public var task: LearningTask { estimator.task }

    /// This model with its decision threshold set (nil: back to the most probable class).
    /// - Throws: when the model is not a binary classifier or `threshold` is not in [0, 1].
    public func withThreshold(_ threshold: Double?) throws -> FittedPipeline {
        var copy = self
        copy.threshold = threshold
        try copy.validateThreshold()
        return copy
    }

    /// A threshold belongs to a binary classifier and lies in [0, 1].
    func validateThreshold() throws {
        guard let threshold else { return }
        guard task == .classification, schema.classes.count == 2 else {
            throw PetalError("a decision threshold is for a classifier of two classes; this model "
                            + (task == .classification ? "has \(schema.classes.count) classes" : "does \(task.rawValue)"),
                            hint: "with more classes the most probable one is predicted")
        }
        guard threshold.isFinite, (0...1).contains(threshold) else {
            throw PetalError("the threshold \(threshold) is not a probability from 0 to 1")
        }
    }

    /// The number of input features (matrix columns) the model takes.
    public var width: Int { schema.features.count }

    /// The features as the estimator sees them (after the transforms).
    public func transformed(_ x: Matrix) -> Matrix {
        var current = x
        for step in steps.dropLast() { if let t = step.transform { current = t.transform(current) } }
        return current
    }

    /// Class probabilities, one row per input row, columns in `schema.classes` order; nil unless the pipeline
    /// classifies and `x` is as wide as its features.
    public func predictProbaIfClassifier(_ x: Matrix) -> Matrix? {
        guard task == .classification, x.columns == width, let c = estimator.asClassifier else { return nil }
        return c.predictProba(transformed(x))
    }

    /// Class probabilities, one row per input row, columns in `schema.classes` order. For a pipeline that
    /// does not classify every entry is NaN (never a made-up class).
    public func predictProba(_ x: Matrix) -> Matrix {
        predictProbaIfClassifier(x) ?? Matrix(rows: x.rows, columns: schema.classes.count, repeating: .nan)
    }

    /// Throws when `x` is not as wide as the model's features, or still has missing values when it reaches
    /// the estimator (the pipeline has no imputer).
    public func checkInput(_ x: Matrix) throws {
        guard x.columns == width else {
            throw PetalError("the model takes \(width) features (\(schema.features.joined(separator: ", "))), not \(x.columns)")
        }
        if !recipe.handlesMissing {
            try FeatureSchema.requireNoMissing(x, schema: schema, estimator: recipe.estimator.name)
            if transformsFeatures { try FeatureSchema.requireNoMissing(transformed(x), schema: schema, estimator: recipe.estimator.name) }
        }
    }

    /// `checkInput`, then `transformed(x)`, transforming once (a caller that scores `x` next passes the result to
    /// `classify(transformed:)` and the like instead of transforming it again). `noNaN`: the caller knows `x` holds
    /// no NaN (`FeatureSchema.splitMatrices` says so); the transformed features are still checked.
    public func checkedInput(_ x: Matrix, noNaN: Bool = false) throws -> Matrix {
        guard x.columns == width else {
            throw PetalError("the model takes \(width) features (\(schema.features.joined(separator: ", "))), not \(x.columns)")
        }
        if !recipe.handlesMissing && !noNaN { try FeatureSchema.requireNoMissing(x, schema: schema, estimator: recipe.estimator.name) }
        guard transformsFeatures else { return x }
        let t = transformed(x)
        if !recipe.handlesMissing { try FeatureSchema.requireNoMissing(t, schema: schema, estimator: recipe.estimator.name) }
        return t
    }

    /// True when a step before the estimator changes the features (an encoding passes them through).
    var transformsFeatures: Bool {
        zip(recipe.steps, steps).dropLast().contains { step, fitted in step.role != .encoding && fitted.transform != nil }
    }

    /// Predicted numbers, for a regression pipeline (nil for a classifier or a clustering, or a wrong width).
    public func predictValues(_ x: Matrix) -> [Double]? {
        guard x.columns == width else { return nil }
        return predictValues(transformed: transformed(x))
    }

    /// `predictValues` for features already through the transforms (`transformed(x)`): a caller that inspects
    /// them first (batch scoring's finiteness check) does not transform twice.
    public func predictValues(transformed t: Matrix) -> [Double]? {
        guard task == .regression, let r = estimator.asRegressor else { return nil }
        return r.predictValues(t)
    }

    /// Cluster of each row and its squared distance to the centre, for a clustering pipeline (nil otherwise).
    public func clusters(_ x: Matrix) -> (labels: [Int], distances: [Double])? {
        guard x.columns == width else { return nil }
        return clusters(transformed: transformed(x))
    }

    /// `clusters` for features already through the transforms (`transformed(x)`).
    public func clusters(transformed t: Matrix) -> (labels: [Int], distances: [Double])? {
        guard task == .clustering, let c = estimator.asClusterer else { return nil }
        return c.assign(t)
    }

    /// Predicted class codes: with a `threshold`, the second class where its probability reaches it; else the
    /// estimator's own labels when it decides them apart from its probabilities (`FittedLabeller`), else the most
    /// probable class (the first on ties, as scikit-learn's argmax).
    public func predict(_ x: Matrix) -> [Int] { classify(x).codes }

    /// Predicted class codes (as `predict`) and class probabilities (as `predictProba`), transforming once.
    public func classify(_ x: Matrix) -> (codes: [Int], probabilities: Matrix) {
        guard task == .classification, x.columns == width, let c = estimator.asClassifier else {
            let p = predictProba(x)
            return ((0..<p.rows).map { p.argmax(row: $0) }, p)
        }
        return classify(c, transformed: transformed(x))
    }

    /// `classify` for features already through the transforms (`transformed(x)` of a matrix as wide as the
    /// model's features): a caller that inspects them first (the finiteness check) does not transform twice.
    /// Nil unless the pipeline classifies.
    public func classify(transformed t: Matrix) -> (codes: [Int], probabilities: Matrix)? {
        guard task == .classification, let c = estimator.asClassifier else { return nil }
        return classify(c, transformed: t)
    }

    private func classify(_ c: any FittedClassifier, transformed t: Matrix) -> (codes: [Int], probabilities: Matrix) {
        let p = c.predictProba(t)
        if let threshold, p.columns == 2 { return ((0..<p.rows).map { p[$0, 1] >= threshold ? 1 : 0 }, p) }
        if let labeller = c.asLabeller { return (labeller.predictCodes(t), p) }
        return ((0..<p.rows).map { p.argmax(row: $0) }, p)
    }

    /// What each step learned that `report` shows (explained variance and the like), by step name.
    public var learnedSummaries: [(step: String, values: [(name: String, values: [Double])])] {
        zip(recipe.steps, steps).compactMap { step, fitted in
            let model = (fitted.model as? SubsetTransform)?.step.model ?? fitted.model
            guard let summary = model.asLearnedSummary else { return nil }
            return (step.name, summary.learnedSummary)
        }
    }

    public static func == (a: FittedPipeline, b: FittedPipeline) -> Bool {
        a.recipe == b.recipe && a.schema == b.schema && a.steps == b.steps && a.threshold == b.threshold
    }
    public func hash(into h: inout Hasher) { h.combine(recipe); h.combine(schema); h.combine(steps); h.combine(threshold) }
}
