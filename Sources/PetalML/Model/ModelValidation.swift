import PetalData

/// Consistency checks for a fitted pipeline read from a file: every size and index a prediction will use is
/// checked once here, so a tampered or truncated model is refused with a message instead of trapping.
extension FittedPipeline {
    /// - Throws: a `DataError` naming the step and what does not fit.
    public func validate() throws {
        guard steps.count == recipe.steps.count else {
            throw DataError("the model has \(steps.count) fitted steps for a recipe of \(recipe.steps.count)")
        }
        let width = schema.features.count
        guard width > 0 else { throw DataError("the model has no input features") }
        // Transforms keep the width, so every step sees `width` columns.
        for (i, step) in steps.enumerated() {
            let name = "step \(i + 1) (\(recipe.steps[i].name))"
            do {
                if i < steps.count - 1 {
                    try step.validateTransform(width: width)
                } else {
                    try step.validateEstimator(width: width, classes: schema.classes.count)
                }
            } catch let e as DataError {
                throw DataError("\(name): \(e.message)")
            }
        }
        switch task {
        case .classification:
            guard schema.classes.count >= 2 else { throw DataError("a classifier needs at least two class labels, the model has \(schema.classes.count)") }
        case .regression, .clustering:
            guard schema.classes.isEmpty else { throw DataError("a \(task.rawValue) model has no class labels, but the file lists \(schema.classes.count)") }
        }
        guard recipe.estimator.tasks.contains(task) else {
            throw DataError("the recipe ends with \(recipe.estimator.name), which cannot do \(task.rawValue)")
        }
    }
}

extension FittedStep {
    /// Checks a transform on `width` matrix columns (transforms keep the width).
    func validateTransform(width: Int) throws {
        func need(_ count: Int, _ what: String) throws {
            guard count == width else { throw DataError("\(what) has \(count) values for \(width) features") }
        }
        switch self {
        case .subset(let picked, let inner):
            guard !picked.isEmpty, picked.allSatisfy({ (0..<width).contains($0) }), Set(picked).count == picked.count else {
                throw DataError("its columns \(picked) are not distinct features below \(width)")
            }
            try inner.validateTransform(width: picked.count)
        case .minMaxScaler(let f): try need(f.scale.count, "scale"); try need(f.offset.count, "offset")
        case .imputer(let f): try need(f.fill.count, "fill")
        case .oneHot: break
        case .affine(let f): try need(f.shift.count, "shift"); try need(f.scale.count, "scale")
        case .power(let f):
            switch f.method {
            case "log", "sqrt": break
            case "yeo-johnson":
                try need(f.lambdas.count, "lambdas")
                if let a = f.affine { try need(a.shift.count, "shift"); try need(a.scale.count, "scale") }
            default: throw DataError("unknown power transform method \(f.method)")
            }
        case .bins(let f):
            try need(f.edges.count, "edges")
            for e in f.edges where zip(e, e.dropFirst()).contains(where: { !($0 <= $1) }) { throw DataError("bin edges are not sorted") }
        case .knn, .gaussianNB, .logisticRegression, .knnRegressor, .linear, .trees, .boosted, .kmeans:
            throw DataError("\(kind) is an estimator, so it must be the last step")
        }
    }

    /// Checks the estimator on `width` features and `classes` class labels (0 for regression and clustering).
    func validateEstimator(width: Int, classes: Int) throws {
        func need(_ count: Int, _ expected: Int, _ what: String) throws {
            guard count == expected else { throw DataError("\(what) has \(count) entries, expected \(expected)") }
        }
        switch self {
        case .knn(let f):
            try need(f.x.columns, width, "the training matrix's columns"); try need(f.y.count, f.x.rows, "the training labels")
            try need(f.classCount, classes, "the class count")
            guard f.y.allSatisfy({ (0..<classes).contains($0) }) else { throw DataError("a training label is not a class code below \(classes)") }
            try f.recipe.validate(rows: f.x.rows)
        case .knnRegressor(let f):
            try need(f.x.columns, width, "the training matrix's columns"); try need(f.y.count, f.x.rows, "the training values")
            try f.recipe.validate(rows: f.x.rows)
        case .gaussianNB(let f):
            try need(f.prior.count, classes, "prior")
            try need(f.theta.count, classes, "theta"); try need(f.variance.count, classes, "variance")
            for row in f.theta { try need(row.count, width, "a theta row") }
            for row in f.variance { try need(row.count, width, "a variance row") }
        case .logisticRegression(let f):
            try need(f.classCount, classes, "the class count")
            try need(f.coefficients.count, classes == 2 ? 1 : classes, "coefficients")
            try need(f.intercepts.count, f.coefficients.count, "intercepts")
            for row in f.coefficients { try need(row.count, width, "a coefficient row") }
        case .linear(let f): try need(f.coefficients.count, width, "coefficients")
        case .trees(let trees, let regression, let classCount):
            guard !trees.isEmpty else { throw DataError("it has no trees") }
            try need(classCount, classes, "the class count")
            for t in trees { try t.validate(features: width, width: regression ? 1 : classCount) }
        case .boosted(let f):
            try need(f.classCount, classes, "the class count")
            try need(f.initial.count, f.classCount <= 2 ? 1 : f.classCount, "initial scores")
            for round in f.rounds {
                try need(round.count, f.initial.count, "a boosting round's trees")
                for t in round { try t.validate(features: width, width: 1) }
            }
        case .kmeans(let f):
            try need(f.centers.columns, width, "the centres' columns")
            guard f.centers.rows > 0 else { throw DataError("it has no cluster centres") }
        case .subset, .minMaxScaler, .imputer, .oneHot, .affine, .power, .bins:
            throw DataError("a pipeline ends with an estimator, not the transform \(kind)")
        }
    }
}

extension KNeighborsClassifier {
    func validate(rows: Int) throws {
        guard (1...max(1, rows)).contains(k), rows > 0 else { throw DataError("n_neighbors=\(k) does not fit \(rows) training rows") }
        guard ["uniform", "distance"].contains(weights), ["euclidean", "manhattan"].contains(metric) else {
            throw DataError("unknown weights \(weights) or metric \(metric)")
        }
    }
}
