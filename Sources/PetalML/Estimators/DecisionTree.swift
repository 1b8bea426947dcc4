import Foundation
import PetalData

/// A fitted binary tree stored as flat arrays (leaf: `feature == -1`). `value` holds, at a leaf, the class
/// proportions (classification) or the mean (regression) of the training rows that reached it; inner nodes hold
/// none (`[]`): predictions, ONNX export and boosting read leaves only, and a full-depth forest's inner values were
/// half its `model.json` (written and read back for nothing) and millions of arrays allocated and freed.
public struct TreeModel: Sendable, Codable, Hashable {
    public var feature: [Int] = []
    public var threshold: [Double] = []
    public var left: [Int] = []
    public var right: [Int] = []
    public var value: [[Double]] = []
    /// Weighted impurity decrease per feature, for impurity-based importance.
    public var importance: [Double] = []

    /// The leaf values for each row of `x`.
    public func leafValues(_ x: Matrix) -> [[Double]] {
        (0..<x.rows).map { r in
            var node = 0
            while feature[node] >= 0 { node = x[r, feature[node]] <= threshold[node] ? left[node] : right[node] }
            return value[node]
        }
    }
}

/// The settings shared by trees and forests.
public struct TreeSettings: Sendable, Codable, Hashable {
    public var criterion = "gini"        // gini | entropy | squared_error
    public var maxDepth: Int? = nil
    public var minSamplesSplit = 2
    public var minSamplesLeaf = 1
    /// Features tried at each split: nil = all.
    public var maxFeatures: Int? = nil
    /// Split strategy: false = the best threshold of each feature (CART), true = one uniformly random threshold
    /// per feature between the node's minimum and maximum (extremely randomised trees, `buildRandom`).
    public var randomThresholds = false
    /// Scan a large node's features on every core (CART). For trees grown one at a time (a decision tree,
    /// boosting); a forest already grows its trees on every core.
    public var parallelSplits = false
    /// Extremely randomised trees: gather each node's candidate features (true) or keep every feature in node order
    /// (false); nil decides by shape (`RandomTreeWorkspace.gathers`). Both grow the same trees; tests force each.
    public var gatherFeatures: Bool? = nil
}

/// A node's rows and the builder, shared read-only with the workers of a parallel split scan (`bestSplit`).
struct SplitScan: @unchecked Sendable {
    let builder: TreeBuilder
    let rows: UnsafeMutableBufferPointer<Int>
    /// One worker's best split (nil: none of its features splits the node).
    struct Found { let split: TreeBuilder.Split? }
}

/// Grows a CART tree (best split per node over a random subset of features, thresholds halfway between
/// neighbouring distinct values), as scikit-learn's `DecisionTreeClassifier`/`Regressor` do; or, with
/// `settings.randomThresholds`, an extremely randomised tree (`ExtraTreeClassifier`'s random splitter).
/// Nodes are ranges of one row-index buffer, partitioned in place (stably, so the rows keep their order), and
/// features are read from a feature-major copy of `x`: no per-node arrays of rows.
struct TreeBuilder {
    let x: Matrix
    /// Class codes (classification) or nil.
    let labels: [Int]?
    let values: [Double]?
    let classCount: Int
    let settings: TreeSettings
    var rng: SplitMix64
    /// Per-row weights (a bootstrap's draw counts); nil: every row counts once.
    var weights: [Double]? = nil
    /// `x` feature-major (`[feature × rows + row]`), shared by a forest's trees; made by `build` when nil (CART only).
    var columns: [Double]? = nil
    /// The random splitter's buffers, reused by one worker for all its trees; made by `build` when nil.
    var workspace: RandomTreeWorkspace? = nil

    @inline(__always) func w(_ r: Int) -> Double { weights?[r] ?? 1 }
    func weight(_ rows: UnsafeMutableBufferPointer<Int>) -> Double { weights == nil ? Double(rows.count) : rows.reduce(0) { $0 + w($1) } }

    /// `x` feature-major, for `columns`.
    static func featureMajor(_ x: Matrix) -> [Double] {
        var out = [Double](repeating: 0, count: x.rows * x.columns)
        for r in 0..<x.rows { for f in 0..<x.columns { out[f * x.rows + r] = x.values[r * x.columns + f] } }
        return out
    }

    mutating func build(rows: [Int]) -> TreeModel {
        if settings.randomThresholds {
            return buildRandom(rows: rows, workspace: workspace ?? RandomTreeWorkspace(rows: rows.count, features: x.columns, settings: settings))
        }
        if columns == nil { columns = Self.featureMajor(x) }
        var tree = TreeModel()
        tree.importance = [Double](repeating: 0, count: x.columns)
        var index = rows, spare = [Int](repeating: 0, count: rows.count)
        var stack: [(start: Int, end: Int, depth: Int, parent: Int, isLeft: Bool)] = [(0, rows.count, 0, -1, false)]
        index.withUnsafeMutableBufferPointer { all in
            spare.withUnsafeMutableBufferPointer { spareAll in
                let total = weight(all)
                while let (start, end, depth, parent, isLeft) = stack.popLast() {
                    let nodeRows = UnsafeMutableBufferPointer(rebasing: all[start..<end])
                    let id = tree.feature.count
                    if parent >= 0 { if isLeft { tree.left[parent] = id } else { tree.right[parent] = id } }
                    let (impurity, value) = nodeStats(nodeRows)
                    // Only leaves keep their value (nothing reads an inner node's; `TreeModel.value`).
                    tree.feature.append(-1); tree.threshold.append(0); tree.left.append(-1); tree.right.append(-1); tree.value.append([])
                    let canSplit = nodeRows.count >= settings.minSamplesSplit && nodeRows.count >= 2 * settings.minSamplesLeaf
                        && (settings.maxDepth.map { depth < $0 } ?? true) && impurity > 1e-12
                    guard canSplit, let split = bestSplit(nodeRows, impurity: impurity) else { tree.value[id] = value; continue }
                    tree.feature[id] = split.feature
                    tree.threshold[id] = split.threshold
                    tree.importance[split.feature] += weight(nodeRows) / total * split.decrease
                    let leftCount = partition(nodeRows, spare: spareAll, feature: split.feature, threshold: split.threshold)
                    stack.append((start + leftCount, end, depth + 1, id, false))
                    stack.append((start, start + leftCount, depth + 1, id, true))
                }
            }
        }
        let sum = tree.importance.reduce(0, +)
        if sum > 0 { tree.importance = tree.importance.map { $0 / sum } }
        return tree
    }

    /// Moves the rows whose `feature` is at most `threshold` to the front, both sides keeping their order; returns
    /// how many went left.
    func partition(_ rows: UnsafeMutableBufferPointer<Int>, spare: UnsafeMutableBufferPointer<Int>, feature: Int, threshold: Double) -> Int {
        guard let columns else { return 0 }
        let base = feature * x.rows
        var l = 0, r = 0
        for i in 0..<rows.count {
            let row = rows[i]
            if columns[base + row] <= threshold { rows[l] = row; l += 1 } else { spare[r] = row; r += 1 }
        }
        for i in 0..<r { rows[l + i] = spare[i] }
        return l
    }

    func nodeStats(_ rows: UnsafeMutableBufferPointer<Int>) -> (Double, [Double]) {
        let n = weight(rows)
        if let labels {
            var counts = [Double](repeating: 0, count: classCount)
            for r in rows { counts[labels[r]] += w(r) }
            return (impurity(counts, n), counts.map { $0 / n })
        }
        let v = values ?? []
        let mean = rows.reduce(0) { $0 + w($1) * v[$1] } / n
        let variance = rows.reduce(0) { $0 + w($1) * (v[$1] - mean) * (v[$1] - mean) } / n
        return (variance, [mean])
    }

    func impurity(_ counts: [Double], _ n: Double) -> Double { impurity(counts, n, entropy: settings.criterion == "entropy") }

    /// Gini or entropy of weighted class counts; `entropy` decided once per node by the caller (a split scan calls
    /// this twice per candidate threshold).
    @inline(__always) func impurity(_ counts: [Double], _ n: Double, entropy: Bool) -> Double {
        guard n > 0 else { return 0 }
        var sum = 0.0
        if entropy {
            for c in counts where c > 0 { sum += c / n * log2(c / n) }
            return -sum
        }
        for c in counts { sum += (c / n) * (c / n) }
        return 1 - sum
    }

    typealias Split = (feature: Int, threshold: Double, decrease: Double)
    /// The cores a parallel split scan uses (asked once: the count is read from the system, too slow per node).
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// The best split of a node over `maxFeatures` features in a random order: the first of the best (a feature
    /// tried later wins only with a strictly larger decrease). With `settings.parallelSplits`, a large node's
    /// features are scanned in contiguous slices of that order on every core and the slices' winners compared in
    /// order, which picks exactly the split one core would.
    mutating func bestSplit(_ rows: UnsafeMutableBufferPointer<Int>, impurity parentImpurity: Double) -> Split? {
        guard columns != nil else { return nil }
        var features = Array(0..<x.columns)
        features.shuffle(using: &rng)
        let tried = settings.maxFeatures.map { max(1, min($0, features.count)) } ?? features.count
        let candidates = features.prefix(tried)
        let n = weight(rows)
        guard settings.parallelSplits, Self.cores > 1, candidates.count >= 2, rows.count * candidates.count >= 8_192 else {
            return scan(candidates, rows, weight: n, impurity: parentImpurity)
        }
        let groups = min(Self.cores, candidates.count)
        let shared = SplitScan(builder: self, rows: rows)
        let slots = ConcurrentSlots<SplitScan.Found>(groups)
        DispatchQueue.concurrentPerform(iterations: groups) { g in
            let slice = candidates[(g * tried / groups)..<((g + 1) * tried / groups)]
            slots.set(g, SplitScan.Found(split: shared.builder.scan(slice, shared.rows, weight: n, impurity: parentImpurity)))
        }
        var best: Split?
        for found in slots.values {
            if let split = found.split, split.decrease > (best?.decrease ?? 1e-12) { best = split }
        }
        return best
    }

    /// The best split over `features`, in their order (see `bestSplit`).
    func scan(_ features: ArraySlice<Int>, _ rows: UnsafeMutableBufferPointer<Int>, weight n: Double, impurity parentImpurity: Double) -> Split? {
        guard let columns else { return nil }
        var best: Split?
        let minLeaf = settings.minSamplesLeaf
        var pairs: [(value: Double, row: Int)] = [], scratch: [StableValueSort.Pair] = []
        pairs.reserveCapacity(rows.count)
        var left = [Double](repeating: 0, count: classCount), right = left
        for f in features {
            // Sort (value, row) pairs: contiguous keys sort far faster than rows compared through the matrix, and by
            // radix faster than by comparisons (the same order as a stable sort).
            pairs.removeAll(keepingCapacity: true)
            let base = f * x.rows
            for r in rows { pairs.append((columns[base + r], r)) }
            StableValueSort.sort(&pairs, scratch: &scratch)
            let count = pairs.count
            if pairs[0].value == pairs[count - 1].value { continue }
            if let labels {
                for c in 0..<classCount { left[c] = 0; right[c] = 0 }
                for p in pairs { right[labels[p.row]] += w(p.row) }
                let entropy = settings.criterion == "entropy"
                var nl = 0.0
                for i in 0..<(count - 1) {
                    let c = labels[pairs[i].row]
                    let wi = w(pairs[i].row)
                    left[c] += wi; right[c] -= wi; nl += wi
                    let a = pairs[i].value, b = pairs[i + 1].value
                    guard a < b, i + 1 >= minLeaf, count - i - 1 >= minLeaf else { continue }
                    let nr = n - nl
                    let decrease = parentImpurity - (nl / n) * impurity(left, nl, entropy: entropy) - (nr / n) * impurity(right, nr, entropy: entropy)
                    if decrease > (best?.decrease ?? 1e-12) { best = (f, a / 2 + b / 2, decrease) }
                }
            } else if let values {
                var sumLeft = 0.0, sqLeft = 0.0
                var sumRight = 0.0, sqRight = 0.0
                for p in pairs { let v = values[p.row], wv = w(p.row); sumRight += wv * v; sqRight += wv * v * v }
                var nl = 0.0
                for i in 0..<(count - 1) {
                    let v = values[pairs[i].row], wv = w(pairs[i].row)
                    sumLeft += wv * v; sqLeft += wv * v * v; sumRight -= wv * v; sqRight -= wv * v * v; nl += wv
                    let a = pairs[i].value, b = pairs[i + 1].value
                    guard a < b, i + 1 >= minLeaf, count - i - 1 >= minLeaf else { continue }
                    let nr = n - nl
                    let varLeft = sqLeft / nl - (sumLeft / nl) * (sumLeft / nl)
                    let varRight = sqRight / nr - (sumRight / nr) * (sumRight / nr)
                    let decrease = parentImpurity - (nl / n) * varLeft - (nr / n) * varRight
                    if decrease > (best?.decrease ?? 1e-12) { best = (f, a / 2 + b / 2, decrease) }
                }
            }
        }
        return best
    }
}

/// A CART decision tree (scikit-learn's `DecisionTreeClassifier` / `DecisionTreeRegressor`).
/// Fitted values: one `TreeModel` (`Fitted`, kind `decision_tree`).
public struct DecisionTree: EstimatorRecipe {
    public static let name = "decision_tree"
    public static let summary = "a decision tree: yes/no questions on one feature at a time (classifier or regressor)"
    public static let criterion = Param<String>("criterion", choices: ["gini", "entropy", "squared_error"], default: "gini",
                                                help: "split quality: gini or entropy for classes (squared_error is used for numbers)",
                                                legacyKey: "settings.criterion", search: .values(["gini", "entropy"]))
    public static let maxDepth = Param<Int?>("max_depth", aliases: ["depth"], 1...1000, help: "the deepest a path may go (none: no limit)",
                                             legacyKey: "settings.maxDepth", search: .values(["none", "3", "5", "8", "12"]))
    public static let minSamplesSplit = Param<Int>("min_samples_split", 2...1_000_000, default: 2, help: "rows a node needs before it may split",
                                                   legacyKey: "settings.minSamplesSplit")
    public static let minSamplesLeaf = Param<Int>("min_samples_leaf", 1...1_000_000, default: 1, help: "rows every leaf must keep",
                                                  legacyKey: "settings.minSamplesLeaf", search: .int(1...20, log: true))
    public static let randomState = Param<Int>("random_state", aliases: ["seed"], 0...Int(UInt32.max), default: 0,
                                               help: "seed for the order features are tried in", legacyKey: "seed")
    public static let parameters = [criterion.descriptor, maxDepth.descriptor, minSamplesSplit.descriptor, minSamplesLeaf.descriptor,
                                    randomState.descriptor, ClassWeight.param.descriptor]
    public static let tasks: Set<LearningTask> = [.classification, .regression]
    public static let fittedKinds = [FittedKind(Fitted.self)]
    public static let legacyFittedKinds = [FittedKind(Fitted.self, kind: "trees")]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    var settings: TreeSettings {
        var s = TreeSettings()
        s.criterion = self[Self.criterion]; s.maxDepth = self[Self.maxDepth]
        s.minSamplesSplit = self[Self.minSamplesSplit]; s.minSamplesLeaf = self[Self.minSamplesLeaf]
        return s
    }
    var seed: UInt64 { UInt64(self[Self.randomState]) }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard target.task != .clustering else { throw PetalError("decision_tree needs target=COLUMN: the class or number to predict") }
        let weights = try ClassWeight.rows(self[ClassWeight.param], target: target, classCount: context.classCount, step: Self.name)
        return Fitted(trees: [grow(x, target: target, classCount: context.classCount, weights: weights)], regression: target.task == .regression,
                      classCount: context.classCount)
    }

    /// One tree on every row, each row weighing `weights[row]` (class weights; nil: 1 each).
    public func grow(_ x: Matrix, target: Target, classCount: Int, weights: [Double]? = nil) -> TreeModel {
        var s = settings
        s.parallelSplits = true
        if case .values = target { s.criterion = "squared_error" } else if s.criterion == "squared_error" { s.criterion = "gini" }
        var builder: TreeBuilder
        switch target {
        case .classes(let l): builder = TreeBuilder(x: x, labels: l, values: nil, classCount: classCount, settings: s, rng: SplitMix64(seed: seed))
        case .values(let v): builder = TreeBuilder(x: x, labels: nil, values: v, classCount: 0, settings: s, rng: SplitMix64(seed: seed))
        case .none(let n): builder = TreeBuilder(x: x, labels: nil, values: [Double](repeating: 0, count: n), classCount: 0, settings: s, rng: SplitMix64(seed: seed))
        }
        builder.weights = weights
        return builder.build(rows: Array(0..<x.rows))
    }

    /// A fitted decision tree (kept as a one-tree list, the shape Petal 0.6.0 wrote as kind `trees`).
    public struct Fitted: AveragedTrees {
        public static let kind = "decision_tree"
        public var trees: [TreeModel]
        public var regression: Bool
        public var classCount: Int
    }
}
