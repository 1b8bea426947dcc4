import PetalData

/// A pipeline recipe: transforms, then one estimator. A pipeline is itself an estimator.
public struct Pipeline: Sendable, Codable, Hashable {
    public var steps: [Step]
    /// For each step, the columns a transform is limited to (`columns=a,b`, `columns=number|text`); nil: all.
    /// This is the column transformer: routing columns to steps by name or by type.
    public var columns: [ColumnSelection?] = []

    /// - Throws: when the last step is not an estimator, an estimator stands before the end, or an
    ///   estimator is given `columns=`.
    public init(steps: [Step], columns: [ColumnSelection?] = []) throws {
        guard let last = steps.last else { throw PetalError("a pipeline needs at least one step", hint: "e.g. pipeline p = standard_scaler | knn k=3") }
        guard last.isEstimator else {
            throw PetalError("a pipeline ends with an estimator, not \(last.name)", hint: "e.g. … | knn k=3 or … | gaussian_nb")
        }
        if let early = steps.dropLast().first(where: { $0.isEstimator && $0.recipe.asSupervisedTransformRecipe == nil }) {
            throw PetalError("\(early.name) is an estimator, so it must be the last step")
        }
        self.steps = steps
        self.columns = columns.isEmpty ? steps.map { _ in nil } : columns
        guard self.columns.count == steps.count else {
            throw PetalError("the pipeline has \(steps.count) steps but \(self.columns.count) column selections")
        }
        if self.columns.last.flatMap({ $0 }) != nil {
            throw PetalError("columns= routes columns to a transform; \(last.name) is the estimator and sees every feature",
                            hint: "put columns= on a transform step, e.g. standard_scaler columns=number")
        }
    }

    /// The estimator at the end (the initialiser makes sure there is one).
    public var estimator: Step { steps[steps.count - 1] }

    /// True when a step fills (or tolerates) missing values, so NaN may reach the steps after it.
    public var handlesMissing: Bool { steps.contains(where: \.handlesMissing) }

    /// Fits every step on the training rows (transforms see the training split only) for a classification target.
    public func fit(_ x: Matrix, labels: [Int], schema: FeatureSchema) throws -> FittedPipeline {
        try fit(x, target: .classes(labels), schema: schema)
    }

    /// Fits every step on the training rows (transforms see the training split only).
    /// - Throws: when the estimator cannot do the task (a classifier on a numeric target, or the reverse).
    /// A caller that hands over its only reference to `x` (`consume`) lets a scaler write over it rather than make
    /// a new matrix of the same size. `noNaN`: the caller knows `x` holds no NaN (`FeatureSchema.splitMatrices` says
    /// so), so it is not read through for missing values.
    public func fit(_ x: consuming Matrix, target: Target, schema: FeatureSchema, control: LoadControl? = nil, noNaN: Bool = false) throws -> FittedPipeline {
        let task = target.task
        guard estimator.tasks.contains(task) else {
            if task == .clustering || estimator.tasks == [.clustering] {
                throw PetalError("\(estimator.name) \(task == .clustering ? "needs target=COLUMN" : "finds clusters; it takes no target")",
                                hint: task == .clustering ? "fit P on NAME target=COLUMN" : "fit P on NAME (without target=)")
            }
            let other = task == .classification ? "a regressor (linear_regression, ridge, knn)" : "a classifier (knn, logistic_regression, gaussian_nb)"
            throw PetalError("\(estimator.name) cannot do \(task.rawValue) on \(schema.target)",
                            hint: "\(schema.target) calls for \(task == .classification ? "a classifier" : "a regressor"), not \(other)")
        }
        guard x.rows > 0 else {
            throw PetalError("\(estimator.name) has no training rows", hint: "check the data set (head NAME) and the test= share")
        }
        guard x.columns > 0 else { throw PetalError("\(estimator.name) has no features to learn from") }
        guard target.count == x.rows else { throw PetalError("\(estimator.name) has \(x.rows) training rows but \(target.count) targets") }
        if case .classes(let labels) = target {
            guard schema.classes.count >= 2, Set(labels).count >= 2 else {
                throw PetalError("the training rows of \(schema.target) hold only one class (\(schema.classes[safe: labels.first ?? 0] ?? "none")), so there is nothing to tell apart",
                                hint: "check the target column (counts NAME.\(schema.target)) or use a larger training share")
            }
            guard labels.allSatisfy({ (0..<schema.classes.count).contains($0) }) else {
                throw PetalError("a training label is not one of the \(schema.classes.count) classes of \(schema.target)")
            }
        }
        if !handlesMissing && !noNaN { try FeatureSchema.requireNoMissing(x, schema: schema, estimator: estimator.name) }
        var current = consume x
        /// True while `current` is known to hold no NaN: checked above, or so handed in (nothing has changed it since).
        var checked = !handlesMissing || noNaN
        var fitted: [FittedStep] = []
        for (index, step) in steps.enumerated() {
            let model: any FittedModel
            switch step.role {
            case .encoding:
                guard let encoding = step.recipe.asEncodingRecipe else { throw Pipeline.roleMismatch(step) }
                model = encoding.fit()
            case .transform:
                guard let transform = step.recipe.asTransformRecipe else { throw Pipeline.roleMismatch(step) }
                // On every feature, or on the ones its columns= selects.
                if let selection = columns[safe: index] ?? nil {
                    let picked = try selection.indices(in: schema)
                    let inner = try transform.fit(current.columns(picked))
                    guard inner.outputWidth(picked.count) == picked.count else {
                        throw PetalError("\(step.name) changes the number of features, so it cannot be limited with columns=",
                                        hint: "apply it to every feature (no columns=), after the steps that prepare them")
                    }
                    model = SubsetTransform(columns: picked, step: FittedStep(inner))
                } else {
                    model = try transform.fit(current)
                }
            case .estimator where index < steps.count - 1:
                // An estimator that also transforms (LDA), standing before the end: learned with the target.
                guard let projection = step.recipe.asSupervisedTransformRecipe else { throw Pipeline.roleMismatch(step) }
                if (columns[safe: index] ?? nil) != nil { throw PetalError("\(step.name) projects every feature; it takes no columns=") }
                let classCount = task == .classification ? schema.classes.count : 0
                model = try projection.fitTransform(current, target: target, context: FitContext(classCount: classCount, control: control))
            case .estimator:
                guard let estimator = step.recipe.asEstimatorRecipe else { throw Pipeline.roleMismatch(step) }
                if !step.handlesMissing && !checked { try FeatureSchema.requireNoMissing(current, schema: schema, estimator: step.name) }
                let classCount = task == .classification ? schema.classes.count : 0
                model = try estimator.fit(current, target: target, context: FitContext(classCount: classCount, control: control))
            }
            fitted.append(FittedStep(model))
            if let t = model.asTransform {
                t.transform(replacing: &current)
                if step.role != .encoding { checked = false }  // encodings pass the matrix through
            }
        }
        return try FittedPipeline(recipe: self, schema: schema, steps: fitted)
    }

    /// A step whose declared role is not the protocol it conforms to (a registration mistake the battery catches).
    static func roleMismatch(_ step: Step) -> PetalError {
        PetalError("\(step.name) declares a role its type does not implement")
    }

    /// How the schema should encode text columns, from the encoding steps (`one_hot`, `ordinal`, `feature_cross`, `drop`).
    public func directives(textColumns: [String], autoEncode: Bool = true) throws -> EncodingDirectives {
        var d = EncodingDirectives()
        d.autoEncode = autoEncode
        for (i, step) in steps.enumerated() {
            guard let encoding = step.recipe.asEncodingRecipe else { continue }
            try encoding.direct(&d, selection: columns[safe: i] ?? nil, textColumns: textColumns)
        }
        return d
    }
}

/// Training targets: class codes or numbers.
public enum Target: Sendable {
    case classes([Int])
    case values([Double])
    /// No target: clustering.
    case none(rows: Int)

    /// The task these targets call for.
    public var task: LearningTask {
        switch self { case .classes: return .classification; case .values: return .regression; case .none: return .clustering }
    }

    /// How many rows they are for.
    public var count: Int {
        switch self { case .classes(let c): return c.count; case .values(let v): return v.count; case .none(let n): return n }
    }
}

extension Target {
    /// The targets of rows `indices`.
    public func rows(_ indices: [Int]) -> Target {
        switch self {
        case .classes(let c): return .classes(c.gathered(at: indices))
        case .values(let v): return .values(v.gathered(at: indices))
        case .none: return .none(rows: indices.count)
        }
    }

}
