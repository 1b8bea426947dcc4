import Foundation
import PetalData
import Synchronization

/// A random forest (scikit-learn's `RandomForestClassifier` / `RandomForestRegressor`): trees grown on
/// bootstrap samples with a random subset of features per split, averaged; trees grow in parallel on all cores.
public struct RandomForest: EstimatorRecipe {
    public static let name = "random_forest"
    public static let summary = "a random forest: many decision trees on resampled rows, averaged (classifier or regressor)"
    public static let nEstimators = Param<Int>("n_estimators", aliases: ["trees"], 1...10_000, default: 100, help: "how many trees", legacyKey: "trees", search: .int(50...300, log: true))
    public static let maxDepth = Param<Int?>("max_depth", aliases: ["depth"], 1...1000, help: "the deepest a path may go (none: no limit)",
                                             legacyKey: "settings.maxDepth", search: .values(["none", "4", "8", "16"]))
    public static let minSamplesLeaf = Param<Int>("min_samples_leaf", 1...1_000_000, default: 1, help: "rows every leaf must keep",
                                                  legacyKey: "settings.minSamplesLeaf", search: .int(1...8, log: true))
    public static let maxFeatures = Param<String>("max_features", choices: ["sqrt", "log2", "all"], default: "sqrt",
                                                  help: "features tried per split: sqrt (scikit-learn's classifier default), log2, or all (used for regression unless given)",
                                                  legacyKey: "maxFeatures", search: .values(["sqrt", "log2", "all"]))
    public static let criterion = Param<String>("criterion", choices: ["gini", "entropy"], default: "gini", help: "split quality for classes",
                                                legacyKey: "settings.criterion", search: .values(["gini", "entropy"]))
    public static let bootstrap = Param<Bool>("bootstrap", default: true, help: "grow each tree on a resample of the rows", legacyKey: "bootstrap")
    public static let randomState = Param<Int>("random_state", aliases: ["seed"], 0...Int(UInt32.max), default: 0,
                                               help: "the seed: same seed, same forest", legacyKey: "seed")
    public static let parameters = [nEstimators.descriptor, maxDepth.descriptor, minSamplesLeaf.descriptor, maxFeatures.descriptor,
                                    criterion.descriptor, bootstrap.descriptor, randomState.descriptor, ClassWeight.param.descriptor]
    public static let tasks: Set<LearningTask> = [.classification, .regression]
    public static let fittedKinds = [FittedKind(Fitted.self)]
    public static let legacyFittedKinds = [FittedKind(Fitted.self, kind: "trees")]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard target.task != .clustering else { throw PetalError("random_forest needs target=COLUMN: the class or number to predict") }
        return Fitted(trees: try grow(x, target: target, classCount: context.classCount, control: context.control),
                      regression: target.task == .regression, classCount: context.classCount)
    }

    /// A fitted forest: its trees' leaf values are averaged.
    public struct Fitted: AveragedTrees {
        public static let kind = "random_forest"
        public var trees: [TreeModel]
        public var regression: Bool
        public var classCount: Int
    }

    public func grow(_ x: Matrix, target: Target, classCount: Int, control: LoadControl? = nil) throws -> [TreeModel] {
        var s = TreeSettings()
        s.maxDepth = self[Self.maxDepth]; s.minSamplesLeaf = self[Self.minSamplesLeaf]; s.criterion = self[Self.criterion]
        let trees = self[Self.nEstimators], bootstrap = self[Self.bootstrap], seed = UInt64(self[Self.randomState])
        // max_features as given, else scikit-learn's default for the task (sqrt for classes, every feature for numbers).
        let maxFeatures = values.values[Self.maxFeatures.name] ?? (target.task == .regression ? "all" : "sqrt")
        let regression: Bool
        if case .values = target { regression = true } else { regression = false }
        if regression { s.criterion = "squared_error" }
        let d = Double(x.columns)
        switch maxFeatures {
        case "sqrt": s.maxFeatures = max(1, Int(d.squareRoot()))
        case "log2": s.maxFeatures = max(1, Int(log2(d)))
        default: s.maxFeatures = nil
        }
        let weights = try ClassWeight.rows(self[ClassWeight.param], target: target, classCount: classCount, step: Self.name)
        return try Forest.grow(x, target: target, classCount: classCount, settings: s, trees: trees, bootstrap: bootstrap, seed: seed,
                               rowWeights: weights, control: control)
    }
}

/// Growing a forest's trees in parallel on all cores: random forests and extra trees.
enum Forest {
    /// `trees` trees, each from its own seed, on a bootstrap sample (when `bootstrap`) or every row; `rowWeights`
    /// (class weights) multiply each row's draw count, as scikit-learn multiplies `class_weight` into the bootstrap's.
    /// - Throws: a `PetalError` when `control` cancels.
    static func grow(_ x: Matrix, target: Target, classCount: Int, settings: TreeSettings, trees: Int, bootstrap: Bool, seed: UInt64,
                     rowWeights: [Double]? = nil, control: LoadControl?) throws -> [TreeModel] {
        let box = ConcurrentSlots<TreeModel>(trees)
        control?.setTotal(trees)
        // CART reads one feature-major copy shared by every tree; the random splitter keeps its own node-ordered
        // copy per worker (`RandomTreeWorkspace`), made once and reused for each tree the worker grows.
        let columns: [Double]? = settings.randomThresholds ? nil : TreeBuilder.featureMajor(x)
        let queue = TreeQueue(trees)
        let workers = max(1, min(trees, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let workspace = settings.randomThresholds ? RandomTreeWorkspace(rows: x.rows, features: x.columns, settings: settings) : nil
            while let t = queue.next() {
                if control?.isCancelled == true { return }
                var rng = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(t) &+ 1)
                // A bootstrap sample as weights on the distinct rows drawn (as scikit-learn does), so each tree
                // sorts about 63% of the rows instead of a resample with repeats.
                var counts: [Double]? = nil
                var rows = Array(0..<x.rows)
                if bootstrap {
                    var c = [Double](repeating: 0, count: x.rows)
                    for _ in 0..<x.rows { c[Int(rng.next() % UInt64(x.rows))] += 1 }
                    rows = rows.filter { c[$0] > 0 }
                    counts = c
                }
                var builder: TreeBuilder
                switch target {
                case .classes(let l): builder = TreeBuilder(x: x, labels: l, values: nil, classCount: classCount, settings: settings, rng: rng)
                case .values(let v): builder = TreeBuilder(x: x, labels: nil, values: v, classCount: 0, settings: settings, rng: rng)
                case .none(let n): builder = TreeBuilder(x: x, labels: nil, values: [Double](repeating: 0, count: n), classCount: 0, settings: settings, rng: rng)
                }
                builder.columns = columns
                builder.workspace = workspace
                if let rowWeights { builder.weights = (0..<x.rows).map { (counts?[$0] ?? 1) * rowWeights[$0] } } else { builder.weights = counts }
                box.set(t, builder.build(rows: rows))
                control?.advance(by: 1)
            }
        }
        if control?.isCancelled == true { throw PetalError("fitting was cancelled") }
        return box.values
    }
}

/// Hands out the indices 0..<count once each to whichever worker asks next (trees are seeded by index, so which
/// worker grows a tree does not change it).
final class TreeQueue: Sendable {
    private let count: Int
    private let taken = Mutex(0)

    init(_ count: Int) { self.count = count }

    func next() -> Int? {
        taken.withLock { t in
            guard t < count else { return nil }
            defer { t += 1 }
            return t
        }
    }
}
