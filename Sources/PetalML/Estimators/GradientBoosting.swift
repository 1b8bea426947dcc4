import Foundation
import PetalData

/// Gradient-boosted trees (scikit-learn's `GradientBoostingClassifier` / `Regressor`): shallow regression trees
/// fitted one after another to the gradient of the loss (log loss for classes, squared error for numbers),
/// leaf values set by a Newton step, each scaled by the learning rate.
public struct GradientBoosting: EstimatorRecipe {
    public static let name = "gradient_boosting"
    public static let summary = "gradient-boosted trees: small trees added one by one, each correcting the last (classifier or regressor)"
    public static let nEstimators = Param<Int>("n_estimators", aliases: ["trees"], 1...10_000, default: 100, help: "boosting rounds", legacyKey: "rounds", search: .int(50...300, log: true))
    public static let learningRateParam = Param<Double>("learning_rate", aliases: ["lr"], 1e-6...10, default: 0.1, help: "how much each tree counts",
                                                        legacyKey: "learningRate", search: .double(0.01...0.3, log: true))
    public static let maxDepth = Param<Int>("max_depth", aliases: ["depth"], 1...100, default: 3, help: "depth of each tree", legacyKey: "depth", search: .int(2...6, log: false))
    public static let subsampleParam = Param<Double>("subsample", 0.01...1, default: 1.0, help: "share of rows each tree sees (below 1: stochastic boosting)",
                                                     legacyKey: "subsample", search: .double(0.6...1, log: false))
    public static let minSamplesLeafParam = Param<Int>("min_samples_leaf", 1...1_000_000, default: 1, help: "rows every leaf must keep",
                                                       legacyKey: "minSamplesLeaf")
    public static let randomState = Param<Int>("random_state", aliases: ["seed"], 0...Int(UInt32.max), default: 0, help: "seed for subsampling",
                                               legacyKey: "seed")
    public static let parameters = [nEstimators.descriptor, learningRateParam.descriptor, maxDepth.descriptor, subsampleParam.descriptor,
                                    minSamplesLeafParam.descriptor, randomState.descriptor]
    public static let tasks: Set<LearningTask> = [.classification, .regression]
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }
    var rounds: Int { self[Self.nEstimators] }
    var learningRate: Double { self[Self.learningRateParam] }
    var depth: Int { self[Self.maxDepth] }
    var subsample: Double { self[Self.subsampleParam] }
    var minSamplesLeaf: Int { self[Self.minSamplesLeafParam] }
    var seed: UInt64 { UInt64(self[Self.randomState]) }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard target.task != .clustering else { throw PetalError("gradient_boosting needs target=COLUMN: the class or number to predict") }
        return try fit(x, target: target, classCount: context.classCount, control: context.control)
    }

    /// The fitted ensemble: `initial` scores plus `learningRate ×` each round's trees (one per class, or one).
    public struct Fitted: FittedClassifier, FittedRegressor {
        public static let kind = "gradient_boosting"
        public var initial: [Double]
        public var rounds: [[TreeModel]]
        public var learningRate: Double
        public var classCount: Int   // 0 for regression
        public var task: LearningTask { classCount == 0 ? .regression : .classification }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(classCount, classes, "the class count")
            try Check.count(initial.count, classCount <= 2 ? 1 : classCount, "initial scores")
            for round in rounds {
                try Check.count(round.count, initial.count, "a boosting round's trees")
                for t in round { try t.validate(features: width, width: 1) }
            }
        }

        /// Raw scores per row: one per class (multiclass), one log-odds (binary) or the prediction (regression).
        func scores(_ x: Matrix) -> [[Double]] {
            var m = Matrix(rows: x.rows, columns: initial.count)
            for r in 0..<x.rows { for k in initial.indices { m[r, k] = initial[k] } }
            for trees in rounds {
                for (k, tree) in trees.enumerated() { tree.accumulate(x, into: &m, scale: learningRate, column: k) }
            }
            return (0..<x.rows).map { Array(m.row($0)) }
        }

        public func predictProba(_ x: Matrix) -> Matrix {
            let s = scores(x)
            var out = Matrix(rows: x.rows, columns: classCount)
            for r in 0..<x.rows {
                if classCount == 2 {
                    let p = 1 / (1 + exp(-s[r][0]))
                    out[r, 0] = 1 - p; out[r, 1] = p
                } else {
                    let m = s[r].max() ?? 0
                    let e = s[r].map { exp($0 - m) }
                    let total = e.reduce(0, +)
                    for c in 0..<classCount { out[r, c] = e[c] / total }
                }
            }
            return out
        }

        public func predictValues(_ x: Matrix) -> [Double] { scores(x).map { $0.first ?? 0 } }
    }

    public func fit(_ x: Matrix, target: Target, classCount: Int, control: LoadControl? = nil) throws -> Fitted {
        control?.setTotal(rounds)
        var settings = TreeSettings()
        settings.criterion = "squared_error"
        settings.maxDepth = depth
        settings.minSamplesLeaf = minSamplesLeaf
        settings.parallelSplits = true   // one tree at a time
        var rng = SplitMix64(seed: seed)
        let n = x.rows
        func sample() -> [Int] {
            guard subsample < 1 else { return Array(0..<n) }
            var rows = Array(0..<n)
            rows.shuffle(using: &rng)
            return Array(rows.prefix(max(1, Int(Double(n) * subsample)))).sorted()
        }
        switch target {
        case .none:
            return Fitted(initial: [0], rounds: [], learningRate: learningRate, classCount: 0)
        case .values(let y):
            let mean = y.reduce(0, +) / Double(max(1, n))
            var f = [Double](repeating: mean, count: n)
            var rounds: [[TreeModel]] = []
            for _ in 0..<self.rounds {
                if control?.isCancelled == true { throw PetalError("fitting was cancelled") }
                control?.advance(by: 1)
                let residual = (0..<n).map { y[$0] - f[$0] }
                var builder = TreeBuilder(x: x, labels: nil, values: residual, classCount: 0, settings: settings, rng: rng)
                let tree = builder.build(rows: sample())
                let leaves = tree.leafValues(x)
                for i in 0..<n { f[i] += learningRate * (leaves[i].first ?? 0) }
                rounds.append([tree])
            }
            return Fitted(initial: [mean], rounds: rounds, learningRate: learningRate, classCount: 0)
        case .classes(let labels):
            let k = classCount
            var counts = [Double](repeating: 0, count: k)
            for l in labels { counts[l] += 1 }
            let prior = counts.map { max($0, 1e-12) / Double(max(1, n)) }
            let models = k == 2 ? 1 : k
            let initial = k == 2 ? [log(prior[1] / prior[0])] : prior.map { log($0) }
            var f = [[Double]](repeating: initial, count: n)
            var rounds: [[TreeModel]] = []
            for _ in 0..<self.rounds {
                if control?.isCancelled == true { throw PetalError("fitting was cancelled") }
                control?.advance(by: 1)
                // Current probabilities.
                let p: [[Double]] = f.map { s in
                    if k == 2 { let q = 1 / (1 + exp(-s[0])); return [1 - q, q] }
                    let m = s.max() ?? 0
                    let e = s.map { exp($0 - m) }
                    let t = e.reduce(0, +)
                    return e.map { $0 / t }
                }
                let rows = sample()
                var trees: [TreeModel] = []
                for m in 0..<models {
                    let c = k == 2 ? 1 : m
                    let residual = (0..<n).map { (labels[$0] == c ? 1.0 : 0.0) - p[$0][c] }
                    var builder = TreeBuilder(x: x, labels: nil, values: residual, classCount: 0, settings: settings, rng: rng)
                    var tree = builder.build(rows: rows)
                    // Newton step per leaf: Σ residual / Σ |r|(1-|r|), times (K-1)/K for multiclass.
                    var numerator = [Double](repeating: 0, count: tree.feature.count)
                    var denominator = [Double](repeating: 0, count: tree.feature.count)
                    for i in rows {
                        let leaf = tree.leaf(x, row: i)
                        let r = residual[i]
                        numerator[leaf] += r
                        denominator[leaf] += abs(r) * (1 - abs(r))
                    }
                    let scale = k == 2 ? 1.0 : Double(k - 1) / Double(k)
                    for node in tree.feature.indices where tree.feature[node] < 0 {
                        tree.value[node] = [denominator[node] < 1e-150 ? 0 : scale * numerator[node] / denominator[node]]
                    }
                    let leaves = tree.leafValues(x)
                    for i in 0..<n { f[i][m] += learningRate * (leaves[i].first ?? 0) }
                    trees.append(tree)
                }
                rounds.append(trees)
            }
            return Fitted(initial: initial, rounds: rounds, learningRate: learningRate, classCount: k)
        }
    }
}

extension TreeModel {
    /// The leaf node a row of `x` falls into.
    func leaf(_ x: Matrix, row r: Int) -> Int {
        var node = 0
        while feature[node] >= 0 { node = x[r, feature[node]] <= threshold[node] ? left[node] : right[node] }
        return node
    }
}
