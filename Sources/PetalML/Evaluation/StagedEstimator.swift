/// A fitted estimator that grows in stages (boosting rounds) and can score each stage.
public protocol StagedEstimator {
    /// The metric on already-transformed `features` after each stage (accuracy for classes, RMSE for numbers).
    func stagedScores(_ features: Matrix, target: Target) -> (key: String, values: [Double])?
}

/// Metric curves over boosting rounds, read from a fitted model (no refitting): what `fit` records as
/// `round_accuracy` / `round_rmse` for gradient boosting.
extension FittedPipeline {
    /// The metric on `x` after each stage, or nil when the estimator does not grow in stages.
    public func stagedScores(_ x: Matrix, target: Target) -> (key: String, values: [Double])? {
        guard let staged = estimator.asStaged, x.rows > 0 else { return nil }
        return staged.stagedScores(transformed(x), target: target)
    }
}

extension GradientBoosting.Fitted: StagedEstimator {
    public func stagedScores(_ features: Matrix, target: Target) -> (key: String, values: [Double])? {
        let b = self
        var m = Matrix(rows: features.rows, columns: b.initial.count)
        for r in 0..<features.rows { for k in b.initial.indices { m[r, k] = b.initial[k] } }
        var values: [Double] = []
        values.reserveCapacity(b.rounds.count)
        for trees in b.rounds {
            for (k, tree) in trees.enumerated() { tree.accumulate(features, into: &m, scale: b.learningRate, column: k) }
            switch target {
            case .classes(let truth) where truth.count == features.rows:
                var correct = 0
                for r in 0..<features.rows {
                    let predicted = b.classCount == 2 ? (m[r, 0] > 0 ? 1 : 0) : m.argmax(row: r)
                    if predicted == truth[r] { correct += 1 }
                }
                values.append(Double(correct) / Double(features.rows))
            case .values(let truth) where truth.count == features.rows:
                var sum = 0.0
                for r in 0..<features.rows { let d = m[r, 0] - truth[r]; sum += d * d }
                values.append((sum / Double(features.rows)).squareRoot())
            default:
                return nil
            }
        }
        return (target.isClasses ? "round_accuracy" : "round_rmse", values)
    }
}

extension Target {
    var isClasses: Bool { if case .classes = self { return true } else { return false } }
}
