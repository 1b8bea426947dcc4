import Foundation
import PetalData

/// AdaBoost (scikit-learn's `AdaBoostClassifier`, SAMME, and `AdaBoostRegressor`, AdaBoost.R2): small trees fitted
/// one after another, each on rows re-weighted towards the ones the last got wrong; each tree's say is its
/// estimator weight. Classes: weighted votes (`Classifier`); numbers: the weighted median of the trees (`Regressor`).
public struct AdaBoost: EstimatorRecipe {
    public static let name = "ada_boost"
    public static let summary = "AdaBoost: small trees, each focusing on the rows the last got wrong, voting with weights (classifier or regressor)"
    public static let nEstimators = Param<Int>("n_estimators", aliases: ["trees"], 1...10_000, default: 50, help: "boosting rounds at most", search: .int(25...300, log: true))
    public static let learningRateParam = Param<Double>("learning_rate", aliases: ["lr"], 1e-6...100, default: 1.0,
                                                        help: "shrinks each tree's weight", search: .double(0.05...2, log: true))
    public static let loss = Param<String>("loss", choices: ["linear", "square", "exponential"], default: "linear",
                                           help: "regression only: how a row's error re-weights it (AdaBoost.R2)")
    public static let maxDepth = Param<Int>("max_depth", aliases: ["depth"], 1...100, default: 1,
                                            help: "depth of each tree: 1 (a stump, scikit-learn's classifier default); 3 for numbers unless given", search: .int(1...4, log: false))
    public static let randomState = Param<Int>("random_state", aliases: ["seed"], 0...Int(UInt32.max), default: 0,
                                               help: "seed for the trees' feature order and the regressor's weighted resampling")
    public static let parameters = [nEstimators.descriptor, learningRateParam.descriptor, loss.descriptor, maxDepth.descriptor, randomState.descriptor]
    public static let tasks: Set<LearningTask> = [.classification, .regression]
    public static let fittedKinds = [FittedKind(Classifier.self), FittedKind(Regressor.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    var settings: TreeSettings {
        var s = TreeSettings()
        s.maxDepth = values.values[Self.maxDepth.name] == nil ? 1 : self[Self.maxDepth]
        s.parallelSplits = true   // one tree at a time
        return s
    }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        switch target {
        case .classes(let labels): return try classifier(x, labels: labels, classCount: context.classCount, control: context.control)
        case .values(let y): return try regressor(x, y: y, control: context.control)
        case .none: throw PetalError("ada_boost needs target=COLUMN: the class or number to predict")
        }
    }

    /// SAMME: each stump's weight is lr × (log((1 − err)/err) + log(K − 1)); misclassified rows' weights grow by
    /// e^weight. Stops early when a tree is perfect, or no better than chance (that tree is dropped).
    func classifier(_ x: Matrix, labels: [Int], classCount k: Int, control: LoadControl?) throws -> Classifier {
        let n = x.rows, lr = self[Self.learningRateParam], rounds = self[Self.nEstimators]
        var w = [Double](repeating: 1 / Double(n), count: n)
        var trees: [TreeModel] = [], weights: [Double] = []
        var rng = SplitMix64(seed: UInt64(self[Self.randomState]))
        control?.setTotal(rounds)
        for round in 0..<rounds {
            if control?.isCancelled == true { throw PetalError("fitting was cancelled") }
            control?.advance(by: 1)
            var builder = TreeBuilder(x: x, labels: labels, values: nil, classCount: k, settings: settings, rng: SplitMix64(seed: rng.next()))
            builder.weights = w
            var tree = builder.build(rows: Array(0..<n))
            // Leaves vote for their heaviest class (the tree's prediction, first on ties).
            for node in tree.value.indices where tree.feature[node] < 0 {
                let best = tree.value[node].prefix(k).argmax()
                tree.value[node] = (0..<k).map { $0 == best ? 1 : 0 }
            }
            let predicted = (0..<n).map { tree.value[tree.leaf(x, row: $0)].firstIndex(of: 1) ?? 0 }
            let wrong = (0..<n).map { predicted[$0] != labels[$0] }
            let total = w.reduce(0, +)
            let error = zip(w, wrong).reduce(0) { $0 + ($1.1 ? $1.0 : 0) } / total
            if error <= 0 { trees.append(tree); weights.append(1); break }
            if error >= 1 - 1 / Double(k) {
                if trees.isEmpty {
                    throw PetalError("ada_boost: the first tree is no better than chance (error \(NumberText.shortest(error)))",
                                    hint: "try max_depth=2 or more, or check the target")
                }
                break
            }
            let alpha = lr * (log((1 - error) / error) + log(Double(k - 1)))
            trees.append(tree); weights.append(alpha)
            if round == rounds - 1 { break }
            for i in 0..<n where wrong[i] && w[i] > 0 { w[i] *= exp(alpha) }
            let sum = w.reduce(0, +)
            guard sum > 0, sum.isFinite else { break }
            for i in 0..<n { w[i] /= sum }
        }
        return Classifier(trees: trees, estimatorWeights: weights, classCount: k)
    }

    /// AdaBoost.R2: each tree grows on a weighted resample of the rows; errors scaled by the largest one
    /// (linear, squared or exponential); β = err/(1 − err), the tree's weight lr × log(1/β), row weights × β^(lr(1 − e)).
    func regressor(_ x: Matrix, y: [Double], control: LoadControl?) throws -> Regressor {
        let n = x.rows, lr = self[Self.learningRateParam], rounds = self[Self.nEstimators], loss = self[Self.loss]
        var s = settings
        s.criterion = "squared_error"
        if values.values[Self.maxDepth.name] == nil { s.maxDepth = 3 }
        var w = [Double](repeating: 1 / Double(n), count: n)
        var trees: [TreeModel] = [], weights: [Double] = []
        var rng = SplitMix64(seed: UInt64(self[Self.randomState]))
        control?.setTotal(rounds)
        for round in 0..<rounds {
            if control?.isCancelled == true { throw PetalError("fitting was cancelled") }
            control?.advance(by: 1)
            // A resample drawn in proportion to the weights, kept as draw counts.
            var cumulative = w
            for i in 1..<max(1, n) { cumulative[i] += cumulative[i - 1] }
            let top = cumulative.last ?? 0
            var counts = [Double](repeating: 0, count: n)
            for _ in 0..<n {
                let u = Double(rng.next() >> 11) / Double(UInt64(1) << 53) * top
                var lo = 0, hi = n - 1
                while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > u { hi = mid } else { lo = mid + 1 } }
                counts[lo] += 1
            }
            var builder = TreeBuilder(x: x, labels: nil, values: y, classCount: 0, settings: s, rng: SplitMix64(seed: rng.next()))
            builder.weights = counts
            let tree = builder.build(rows: (0..<n).filter { counts[$0] > 0 })
            var error = (0..<n).map { abs((tree.value[tree.leaf(x, row: $0)].first ?? 0) - y[$0]) }
            let largest = zip(error, w).filter { $0.1 > 0 }.map(\.0).max() ?? 0
            if largest > 0 { error = error.map { $0 / largest } }
            switch loss {
            case "square": error = error.map { $0 * $0 }
            case "exponential": error = error.map { 1 - exp(-$0) }
            default: break
            }
            let meanError = zip(error, w).reduce(0) { $0 + ($1.1 > 0 ? $1.0 * $1.1 : 0) }
            if meanError <= 0 { trees.append(tree); weights.append(1); break }
            if meanError >= 0.5 {
                if trees.isEmpty { trees.append(tree); weights.append(1) }   // scikit-learn keeps a lone first tree
                break
            }
            let beta = meanError / (1 - meanError)
            trees.append(tree); weights.append(lr * log(1 / beta))
            if round == rounds - 1 { break }
            for i in 0..<n where w[i] > 0 { w[i] *= pow(beta, (1 - error[i]) * lr) }
            let sum = w.reduce(0, +)
            guard sum > 0, sum.isFinite else { break }
            for i in 0..<n { w[i] /= sum }
        }
        return Regressor(trees: trees, estimatorWeights: weights)
    }
}
