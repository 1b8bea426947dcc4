import Foundation
import PetalData

/// Training and validation scores of a pipeline as its training set grows, as scikit-learn's `learning_curve`
/// with `shuffle=False`: the rows are split into k folds (stratified for classes, plain for numbers); for each
/// size n the pipeline is fitted on the first n training rows of each fold and scored (accuracy, or R² for
/// regression) on those rows and on the fold's test rows.
public struct LearningCurve: Sendable {
    /// Training-set sizes, increasing, without repeats.
    public var sizes: [Int]
    /// `train[s][f]`: the score on the n rows fitted, size s, fold f; NaN where that fit failed (too few rows
    /// or a single class: scikit-learn's `error_score=nan`).
    public var train: [[Double]]
    /// `test[s][f]`: the score on fold f's held-out rows.
    public var test: [[Double]]
    public var task: LearningTask

    /// scikit-learn's default sizes: numpy's `linspace(0.1, 1.0, 5)`.
    public static let defaultFractions: [Double] = {
        let step: Double = (1.0 - 0.1) / 4
        return [0, 1, 2, 3].map { (i: Int) -> Double in Double(i) * step + 0.1 } + [1.0]
    }()

    /// Absolute sizes from fractions of `largest` (the first fold's training rows): floored, clipped to
    /// 1…largest, sorted and deduplicated (scikit-learn's `_translate_train_sizes`).
    public static func sizes(fractions: [Double], largest: Int) -> [Int] {
        Array(Set(fractions.map { min(max(Int(($0 * Double(largest)).rounded(.towardZero)), 1), largest) })).sorted()
    }

    public static func run(_ pipeline: Pipeline, x: Matrix, target: Target, schema: FeatureSchema, folds k: Int = 5,
                           fractions: [Double] = defaultFractions, control: LoadControl? = nil) throws -> LearningCurve {
        let folds: [Split]
        switch target {
        case .classes(let labels): folds = try KFold.stratified(labels: labels, folds: k)
        case .values: folds = try KFold.plain(rows: x.rows, folds: k)
        case .none: throw PetalError("a learning curve scores predictions, and a clustering makes none")
        }
        guard let largest = folds.first?.train.count else { throw PetalError("no folds to learn from") }
        let sizes = Self.sizes(fractions: fractions, largest: largest)
        var train: [[Double]] = [], test: [[Double]] = []
        for n in sizes {
            var trainRow: [Double] = [], testRow: [Double] = []
            for fold in folds {
                if control?.isCancelled == true { throw PetalError("the learning curve was cancelled") }
                let rows = Array(fold.train.prefix(n))
                guard let model = try? pipeline.fit(x.rows(rows), target: target.rows(rows), schema: schema) else {
                    trainRow.append(.nan); testRow.append(.nan); continue
                }
                trainRow.append(Self.score(model, x: x.rows(rows), target: target.rows(rows)))
                testRow.append(Self.score(model, x: x.rows(fold.test), target: target.rows(fold.test)))
            }
            train.append(trainRow); test.append(testRow)
        }
        return LearningCurve(sizes: sizes, train: train, test: test, task: target.task)
    }

    /// Accuracy or R² of a fitted pipeline on rows with their targets.
    static func score(_ model: FittedPipeline, x: Matrix, target: Target) -> Double {
        switch target {
        case .classes(let truth):
            let predicted = model.predict(x)
            return Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(max(1, truth.count))
        case .values(let truth):
            return RegressionMetrics(truth: truth, predicted: model.predictValues(x) ?? []).r2
        case .none:
            return .nan
        }
    }
}
