import PetalData

/// A metric a model comparison ranks by (`leaderboard metric=`, `automl metric=`), with its direction.
public enum ScoreMetric: String, Sendable, Hashable, CaseIterable {
    case accuracy
    case f1Macro = "f1_macro"
    case rocAUC = "roc_auc"
    case logLoss = "log_loss"
    case r2
    case rmse
    case mae

    /// The task it scores.
    public var task: LearningTask {
        switch self {
        case .accuracy, .f1Macro, .rocAUC, .logLoss: return .classification
        case .r2, .rmse, .mae: return .regression
        }
    }

    /// True when a larger value is better (accuracy), false for losses and errors (log loss, RMSE).
    public var higherIsBetter: Bool {
        switch self {
        case .logLoss, .rmse, .mae: return false
        default: return true
        }
    }

    /// The metrics a comparison shows for a task, the default ranking metric first (scikit-learn's default
    /// scores: accuracy for classifiers, R² for regressors).
    public static func main(for task: LearningTask) -> [ScoreMetric] {
        task == .regression ? [.r2, .rmse, .mae] : [.accuracy, .f1Macro, .rocAUC, .logLoss]
    }

    /// The metric `text` names, for `task`.
    /// - Throws: an unknown name, or a metric of the other task, with the ones that fit.
    public static func named(_ text: String?, task: LearningTask) throws -> ScoreMetric {
        let choices = main(for: task)
        guard let text else { return choices[0] }
        guard let metric = ScoreMetric(rawValue: text.lowercased()), metric.task == task else {
            throw PetalError("metric=\(text) does not score \(task.rawValue)", hint: "use one of: " + choices.map(\.rawValue).joined(separator: ", "))
        }
        return metric
    }

    /// Whether `a` is better than `b` by this metric (NaN is never better).
    public func better(_ a: Double, than b: Double) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return higherIsBetter ? a > b : a < b
    }

    /// Every metric of `task` on one set of predictions. Classification needs `probabilities` for ROC AUC and log
    /// loss (NaN when AUC is undefined: a class absent from the rows).
    static func scores(truth: Target, predicted: Target, probabilities: Matrix?, classes: [String]) -> [ScoreMetric: Double] {
        switch (truth, predicted) {
        case (.classes(let t), .classes(let p)):
            let m = ClassificationMetrics(truth: t, predicted: p, classes: classes)
            var out: [ScoreMetric: Double] = [.accuracy: m.accuracy, .f1Macro: m.macro.f1, .rocAUC: .nan, .logLoss: .nan]
            if let probabilities {
                let pm = ProbabilityMetrics(truth: t, probabilities: probabilities)
                out[.rocAUC] = pm.rocAUC ?? .nan
                out[.logLoss] = pm.logLoss
            }
            return out
        case (.values(let t), .values(let p)):
            let m = RegressionMetrics(truth: t, predicted: p)
            return [.r2: m.r2, .rmse: m.rmse, .mae: m.mae]
        default:
            return [:]
        }
    }
}
