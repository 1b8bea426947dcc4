import PetalData

/// Consistency checks for a fitted pipeline: every size and index a prediction will use is checked once here
/// (each fitted model checks its own arrays), so a tampered or truncated model file is refused with a message
/// instead of trapping later.
extension FittedPipeline {
    /// - Throws: a `PetalError` naming the step and what does not fit.
    func validate() throws {
        guard steps.count == recipe.steps.count else {
            throw PetalError("the model has \(steps.count) fitted steps for a recipe of \(recipe.steps.count)")
        }
        var width = schema.features.count
        guard width > 0 else { throw PetalError("the model has no input features") }
        let classes = task == .classification ? schema.classes.count : 0
        // Each step sees the columns the steps before it made (most keep the width; a projection makes fewer).
        for (i, step) in steps.enumerated() {
            let name = "step \(i + 1) (\(recipe.steps[i].name))"
            let isLast = i == steps.count - 1
            if isLast && step.estimator == nil { throw PetalError("\(name): a pipeline ends with an estimator, not the transform \(step.kind)") }
            if !isLast && step.transform == nil { throw PetalError("\(name): \(step.kind) is an estimator, so it must be the last step") }
            do { try step.model.validate(width: width, classes: classes) } catch let e as PetalError {
                throw PetalError("\(name): \(e.message)")
            }
            if let t = step.transform {
                width = t.outputWidth(width)
                guard width > 0 else { throw PetalError("\(name) leaves no features") }
            }
        }
        switch task {
        case .classification:
            guard schema.classes.count >= 2 else { throw PetalError("a classifier needs at least two class labels, the model has \(schema.classes.count)") }
            guard estimator.asClassifier != nil else { throw PetalError("the estimator \(steps[steps.count - 1].kind) does not give class probabilities") }
        case .regression:
            guard schema.classes.isEmpty else { throw PetalError("a regression model has no class labels, but the file lists \(schema.classes.count)") }
            guard estimator.asRegressor != nil else { throw PetalError("the estimator \(steps[steps.count - 1].kind) does not predict numbers") }
        case .clustering:
            guard schema.classes.isEmpty else { throw PetalError("a clustering model has no class labels, but the file lists \(schema.classes.count)") }
            guard estimator.asClusterer != nil else { throw PetalError("the estimator \(steps[steps.count - 1].kind) does not assign clusters") }
        }
        guard recipe.estimator.tasks.contains(task) else {
            throw PetalError("the recipe ends with \(recipe.estimator.name), which cannot do \(task.rawValue)")
        }
    }
}

/// Checks shared by the fitted models' `validate`.
enum Check {
    /// Throws unless `count == expected`.
    static func count(_ count: Int, _ expected: Int, _ what: String) throws {
        guard count == expected else { throw PetalError("\(what) has \(count) entries, expected \(expected)") }
    }

    /// Throws unless every row of `rows` has `width` entries.
    static func rows(_ rows: [[Double]], width: Int, _ what: String) throws {
        for row in rows { try count(row.count, width, what) }
    }
}
