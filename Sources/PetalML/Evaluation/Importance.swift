import PetalData

/// Feature importance: impurity decrease for tree models, and permutation importance for any model
/// (the drop in score when one feature's values are shuffled, scikit-learn's `permutation_importance`).
public enum Importance {
    /// Mean impurity decrease per matrix feature, normalised to sum 1; nil when the model has no trees.
    public static func impurity(_ model: FittedPipeline) -> [Double]? {
        model.estimator.asImpurityImportances?.impurityImportances
    }

    /// Mean and standard deviation of the score drop per feature over `repeats` shuffles.
    public static func permutation(_ model: FittedPipeline, x: Matrix, target: Target, repeats: Int, seed: UInt64)
        -> (mean: [Double], std: [Double]) {
        func score(_ m: Matrix) -> Double {
            switch target {
            case .classes(let y):
                let p = model.predict(m)
                return Double(zip(p, y).filter { $0 == $1 }.count) / Double(max(1, y.count))
            case .values(let y):
                return RegressionMetrics(truth: y, predicted: model.predictValues(m) ?? []).r2
            case .none:
                // Clustering: the score is minus the inertia (a shuffled feature that matters raises it).
                return -(model.clusters(m)?.distances.reduce(0, +) ?? 0)
            }
        }
        let base = score(x)
        var rng = SplitMix64(seed: seed)
        var means: [Double] = [], stds: [Double] = []
        for j in 0..<x.columns {
            var drops: [Double] = []
            for _ in 0..<max(1, repeats) {
                var shuffled = x
                var column = (0..<x.rows).map { x[$0, j] }
                column.shuffle(using: &rng)
                for i in 0..<x.rows { shuffled[i, j] = column[i] }
                drops.append(base - score(shuffled))
            }
            let m = drops.reduce(0, +) / Double(drops.count)
            means.append(m)
            stds.append((drops.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(drops.count)).squareRoot())
        }
        return (means, stds)
    }
}
