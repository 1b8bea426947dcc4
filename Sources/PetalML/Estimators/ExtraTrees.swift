import Foundation
import PetalData

/// Extremely randomised trees (scikit-learn's `ExtraTreesClassifier` / `ExtraTreesRegressor`): like a random
/// forest, but each split tries one uniformly random threshold per candidate feature (between the node's
/// minimum and maximum) and keeps the best of those, and every tree sees every row unless `bootstrap=true`.
/// Fitted values: the trees (`Fitted`, kind `extra_trees`), averaged as a forest's are.
public struct ExtraTrees: EstimatorRecipe {
    public static let name = "extra_trees"
    public static let summary = "extremely randomised trees: a forest whose splits use random thresholds (classifier or regressor)"
    public static let nEstimators = Param<Int>("n_estimators", aliases: ["trees"], 1...10_000, default: 100, help: "how many trees", search: .int(50...300, log: true))
    public static let criterion = Param<String>("criterion", choices: ["gini", "entropy"], default: "gini",
                                                help: "split quality for classes (squared_error is used for numbers)")
    public static let maxDepth = Param<Int?>("max_depth", aliases: ["depth"], 1...1000, help: "the deepest a path may go (none: no limit)", search: .values(["none", "8", "16"]))
    public static let minSamplesSplit = Param<Int>("min_samples_split", 2...1_000_000, default: 2, help: "rows a node needs before it may split")
    public static let minSamplesLeaf = Param<Int>("min_samples_leaf", 1...1_000_000, default: 1, help: "rows every leaf must keep", search: .int(1...8, log: true))
    public static let maxFeatures = Param<String>("max_features", choices: ["sqrt", "log2", "all"], default: "sqrt",
                                                  help: "features tried per split: sqrt (scikit-learn's classifier default), log2, or all (used for regression unless given)", search: .values(["sqrt", "log2", "all"]))
    public static let bootstrap = Param<Bool>("bootstrap", default: false, help: "grow each tree on a resample of the rows (default: every row)")
    public static let randomState = Param<Int>("random_state", aliases: ["seed"], 0...Int(UInt32.max), default: 0,
                                               help: "the seed: same seed, same trees")
    public static let parameters = [nEstimators.descriptor, criterion.descriptor, maxDepth.descriptor, minSamplesSplit.descriptor,
                                    minSamplesLeaf.descriptor, maxFeatures.descriptor, bootstrap.descriptor, randomState.descriptor,
                                    ClassWeight.param.descriptor]
    public static let tasks: Set<LearningTask> = [.classification, .regression]
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard target.task != .clustering else { throw PetalError("extra_trees needs target=COLUMN: the class or number to predict") }
        var s = TreeSettings()
        s.randomThresholds = true
        s.maxDepth = self[Self.maxDepth]; s.minSamplesSplit = self[Self.minSamplesSplit]; s.minSamplesLeaf = self[Self.minSamplesLeaf]
        s.criterion = target.task == .regression ? "squared_error" : self[Self.criterion]
        // max_features as given, else scikit-learn's default for the task (sqrt for classes, every feature for numbers).
        let d = Double(x.columns)
        switch values.values[Self.maxFeatures.name] ?? (target.task == .regression ? "all" : "sqrt") {
        case "sqrt": s.maxFeatures = max(1, Int(d.squareRoot()))
        case "log2": s.maxFeatures = max(1, Int(log2(d)))
        default: s.maxFeatures = nil
        }
        let trees = try Forest.grow(x, target: target, classCount: context.classCount, settings: s, trees: self[Self.nEstimators],
                                    bootstrap: self[Self.bootstrap], seed: UInt64(self[Self.randomState]),
                                    rowWeights: try ClassWeight.rows(self[ClassWeight.param], target: target, classCount: context.classCount, step: Self.name),
                                    control: context.control)
        return Fitted(trees: trees, regression: target.task == .regression, classCount: context.classCount)
    }

    /// A fitted extra-trees ensemble: its trees' leaf values are averaged.
    public struct Fitted: AveragedTrees {
        public static let kind = "extra_trees"
        public var trees: [TreeModel]
        public var regression: Bool
        public var classCount: Int
    }
}
