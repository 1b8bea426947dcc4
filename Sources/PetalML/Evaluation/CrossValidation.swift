import PetalData

/// Cross-validated scores, as scikit-learn's `cross_val_score` (accuracy per fold, stratified folds for classifiers).
public struct CrossValidation: Sendable {
    public var folds: [Split]
    /// Accuracy (classification) or R² (regression) on each fold's test rows — `cross_val_score`'s default score.
    public var accuracy: [Double]
    /// Macro F1 (classification) or RMSE (regression) on each fold's test rows.
    public var f1Macro: [Double]
    public var task: LearningTask = .classification

    public var meanAccuracy: Double { accuracy.reduce(0, +) / Double(max(1, accuracy.count)) }
    /// Population standard deviation of the fold accuracies (numpy's default, as `scores.std()`).
    public var stdAccuracy: Double {
        let m = meanAccuracy
        return (accuracy.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, accuracy.count))).squareRoot()
    }

    /// Fits `pipeline` on each fold's training rows and scores its test rows.
    public static func run(_ pipeline: Pipeline, x: Matrix, labels: [Int], schema: FeatureSchema, folds k: Int,
                           control: LoadControl? = nil) throws -> CrossValidation {
        let folds = try KFold.stratified(labels: labels, folds: k)
        var accuracy: [Double] = [], f1: [Double] = []
        for fold in folds {
            if control?.isCancelled == true { throw PetalError("cross-validation was cancelled") }
            let model = try pipeline.fit(x.rows(fold.train), labels: fold.train.map { labels[$0] }, schema: schema)
            try model.checkInput(x.rows(fold.test))
            let m = ClassificationMetrics(truth: fold.test.map { labels[$0] }, predicted: model.predict(x.rows(fold.test)),
                                          classes: schema.classes)
            accuracy.append(m.accuracy)
            f1.append(m.macro.f1)
        }
        return CrossValidation(folds: folds, accuracy: accuracy, f1Macro: f1)
    }

    /// Regression: plain (unshuffled) k folds, R² and RMSE per fold.
    public static func runRegression(_ pipeline: Pipeline, x: Matrix, values: [Double], schema: FeatureSchema, folds k: Int) throws -> CrossValidation {
        let folds = try KFold.plain(rows: x.rows, folds: k)
        var r2: [Double] = [], rmse: [Double] = []
        for fold in folds {
            let model = try pipeline.fit(x.rows(fold.train), target: .values(fold.train.map { values[$0] }), schema: schema)
            try model.checkInput(x.rows(fold.test))
            let m = RegressionMetrics(truth: fold.test.map { values[$0] }, predicted: model.predictValues(x.rows(fold.test)) ?? [])
            r2.append(m.r2)
            rmse.append(m.rmse)
        }
        return CrossValidation(folds: folds, accuracy: r2, f1Macro: rmse, task: .regression)
    }
}
