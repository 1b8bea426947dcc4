import Foundation
import PetalData

/// Histogram gradient boosting (scikit-learn's `HistGradientBoostingClassifier` / `…Regressor`): features binned
/// into at most 255 bins (missing values in a bin of their own, so no imputer is needed), trees grown leaf-wise on
/// gradient/hessian histograms (log loss for classes, one tree per class beyond two; squared error for numbers),
/// optionally stopped early on a held-out 10%. Fitted values: baseline scores, each round's trees with the side
/// missing values take at every split (`Fitted`, kind `hist_gradient_boosting`).
public struct HistGradientBoosting: EstimatorRecipe {
    public static let name = "hist_gradient_boosting"
    public static let summary = "histogram gradient boosting: fast boosted trees on binned features; missing values need no imputer (classifier or regressor)"
    public static let learningRate = Param<Double>("learning_rate", aliases: ["lr"], 1e-6...10, default: 0.1, help: "how much each tree counts", search: .double(0.02...0.3, log: true))
    public static let maxIter = Param<Int>("max_iter", aliases: ["trees"], 1...100_000, default: 100, help: "boosting rounds at most", search: .int(50...400, log: true))
    public static let maxLeafNodes = Param<Int?>(descriptor: ParameterDescriptor("max_leaf_nodes", .int(2...100_000), default: "31",
                                                                                 help: "leaves per tree at most (none: no limit)", allowsNone: true))
    public static let maxDepth = Param<Int?>("max_depth", aliases: ["depth"], 1...1000, help: "the deepest a path may go (none: no limit)")
    public static let minSamplesLeaf = Param<Int>("min_samples_leaf", 1...1_000_000, default: 20, help: "rows every leaf must keep", search: .int(2...40, log: true))
    public static let l2Regularization = Param<Double>("l2_regularization", 0...1e12, default: 0, help: "L2 penalty on leaf values", search: .values(["0", "0.1", "1", "10"]))
    public static let maxBins = Param<Int>("max_bins", 2...255, default: 255, help: "bins per feature (missing values get one more)")
    public static let earlyStopping = Param<String>("early_stopping", choices: ["auto", "true", "false"], default: "auto",
                                                    help: "stop when the loss on a held-out 10% stops improving for 10 rounds (auto: above 10,000 rows)")
    public static let randomState = Param<Int>("random_state", aliases: ["seed"], 0...Int(UInt32.max), default: 0,
                                               help: "seed for the early-stopping split and bin sampling")
    public static let parameters = [learningRate.descriptor, maxIter.descriptor, maxLeafNodes.descriptor, maxDepth.descriptor,
                                    minSamplesLeaf.descriptor, l2Regularization.descriptor, maxBins.descriptor, earlyStopping.descriptor,
                                    randomState.descriptor]
    public static let tasks: Set<LearningTask> = [.classification, .regression]
    public static let handlesMissing = true
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard target.task != .clustering else { throw PetalError("hist_gradient_boosting needs target=COLUMN: the class or number to predict") }
        return try boost(x, target: target, classCount: context.classCount, control: context.control)
    }

    /// The fitted ensemble: `baseline` plus every round's trees (one per class beyond two, else one).
    public struct Fitted: FittedClassifier, FittedRegressor {
        public static let kind = "hist_gradient_boosting"
        public var baseline: [Double]
        public var rounds: [[TreeModel]]
        /// Per round, per tree, per node: whether a missing value goes left.
        public var missingLeft: [[[Bool]]]
        public var classCount: Int
        public var task: LearningTask { classCount == 0 ? .regression : .classification }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(classCount, classes, "the class count")
            try Check.count(baseline.count, classCount <= 2 ? 1 : classCount, "baseline scores")
            try Check.count(missingLeft.count, rounds.count, "missing-value directions' rounds")
            for (round, sides) in zip(rounds, missingLeft) {
                try Check.count(round.count, baseline.count, "a boosting round's trees")
                try Check.count(sides.count, round.count, "a round's missing-value directions")
                for (t, s) in zip(round, sides) {
                    try t.validate(features: width, width: 1)
                    try Check.count(s.count, t.feature.count, "a tree's missing-value directions")
                }
            }
        }

        /// Raw scores [N, baseline.count].
        public func scores(_ x: Matrix) -> Matrix {
            var m = Matrix(rows: x.rows, columns: baseline.count)
            for r in 0..<x.rows { for k in baseline.indices { m[r, k] = baseline[k] } }
            for (round, sides) in zip(rounds, missingLeft) {
                for (k, (tree, side)) in zip(round, sides).enumerated() {
                    for r in 0..<x.rows { m[r, k] += tree.value[tree.leaf(x, row: r, missingLeft: side)].first ?? 0 }
                }
            }
            return m
        }

        public func predictProba(_ x: Matrix) -> Matrix { HistGradientBoosting.probabilities(scores(x), classCount: classCount) }
        public func predictValues(_ x: Matrix) -> [Double] { scores(x).values }
    }

    /// Class probabilities from raw scores: the logistic of one score (two classes) or a softmax.
    static func probabilities(_ s: Matrix, classCount k: Int) -> Matrix {
        var out = Matrix(rows: s.rows, columns: k)
        let width = s.columns
        s.values.withUnsafeBufferPointer { score in
            out.values.withUnsafeMutableBufferPointer { p in
                for r in 0..<s.rows {
                    if k == 2 { let q = 1 / (1 + exp(-score[r * width])); p[r * k] = 1 - q; p[r * k + 1] = q; continue }
                    // A softmax without a per-row array: the largest score, the exponentials in place, their sum.
                    var top = -Double.infinity
                    for c in 0..<k { top = max(top, score[r * width + c]) }
                    if !top.isFinite { top = 0 }
                    var total = 0.0
                    for c in 0..<k { let e = exp(score[r * width + c] - top); p[r * k + c] = e; total += e }
                    for c in 0..<k { p[r * k + c] /= total }
                }
            }
        }
        return out
    }
}

extension TreeModel {
    /// The leaf a row falls into, a NaN going the way `missingLeft` says for its node.
    func leaf(_ x: Matrix, row r: Int, missingLeft: [Bool]) -> Int {
        var node = 0
        while feature[node] >= 0 {
            let v = x[r, feature[node]]
            node = (v.isNaN ? missingLeft[node] : v <= threshold[node]) ? left[node] : right[node]
        }
        return node
    }
}

extension HistGradientBoosting.Fitted: StagedEstimator {
    /// Accuracy or RMSE on `features` after each round, recorded by `fit` as `round_accuracy` / `round_rmse`.
    public func stagedScores(_ features: Matrix, target: Target) -> (key: String, values: [Double])? {
        var m = Matrix(rows: features.rows, columns: baseline.count)
        for r in 0..<features.rows { for k in baseline.indices { m[r, k] = baseline[k] } }
        var values: [Double] = []
        for (round, sides) in zip(rounds, missingLeft) {
            for (k, (tree, side)) in zip(round, sides).enumerated() {
                for r in 0..<features.rows { m[r, k] += tree.value[tree.leaf(features, row: r, missingLeft: side)].first ?? 0 }
            }
            switch target {
            case .classes(let truth) where truth.count == features.rows:
                let correct = (0..<features.rows).filter { r in (classCount == 2 ? (m[r, 0] > 0 ? 1 : 0) : m.argmax(row: r)) == truth[r] }.count
                values.append(Double(correct) / Double(features.rows))
            case .values(let truth) where truth.count == features.rows:
                let sum = (0..<features.rows).reduce(0.0) { $0 + (m[$1, 0] - truth[$1]) * (m[$1, 0] - truth[$1]) }
                values.append((sum / Double(features.rows)).squareRoot())
            default:
                return nil
            }
        }
        return (target.isClasses ? "round_accuracy" : "round_rmse", values)
    }
}
