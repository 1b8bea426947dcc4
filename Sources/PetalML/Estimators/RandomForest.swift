import Foundation
import PetalData

/// A random forest (scikit-learn's `RandomForestClassifier` / `RandomForestRegressor`): trees grown on
/// bootstrap samples with a random subset of features per split, averaged; trees grow in parallel on all cores.
public struct RandomForest: Sendable, Codable, Hashable {
    public static let stepName = "random_forest"
    public static let summary = "a random forest: many decision trees on resampled rows, averaged (classifier or regressor)"
    public static let parameters: [ParameterDescriptor] = [
        ParameterDescriptor("n_estimators", aliases: ["trees"], .int(1...10_000), default: "100", help: "how many trees"),
        ParameterDescriptor("max_depth", aliases: ["depth"], .int(1...1000), default: "none", help: "the deepest a path may go"),
        ParameterDescriptor("min_samples_leaf", .int(1...1_000_000), default: "1", help: "rows every leaf must keep"),
        ParameterDescriptor("max_features", .choice(["sqrt", "log2", "all"]), default: "sqrt",
                            help: "features tried per split: sqrt (classification default), log2, or all (regression default)"),
        ParameterDescriptor("criterion", .choice(["gini", "entropy"]), default: "gini", help: "split quality for classes"),
        ParameterDescriptor("bootstrap", .bool, default: "true", help: "grow each tree on a resample of the rows"),
        ParameterDescriptor("random_state", aliases: ["seed"], .int(0...Int(UInt32.max)), default: "0", help: "the seed: same seed, same forest"),
    ]
    public var trees = 100
    public var settings = TreeSettings()
    public var maxFeatures: String? = nil
    public var bootstrap = true
    public var seed: UInt64 = 0

    public init(_ p: ParameterValues) {
        trees = p.int("n_estimators", default: 100)
        settings.maxDepth = p.values["max_depth"].flatMap { Int($0) }
        settings.minSamplesLeaf = p.int("min_samples_leaf", default: 1)
        settings.criterion = p.string("criterion", default: "gini")
        maxFeatures = p.values["max_features"]
        bootstrap = p.string("bootstrap", default: "true").lowercased() == "true"
        seed = UInt64(p.int("random_state", default: 0))
    }

    public func fit(_ x: Matrix, target: Target, classCount: Int, control: LoadControl? = nil) throws -> [TreeModel] {
        var s = settings
        let regression: Bool
        if case .values = target { regression = true } else { regression = false }
        if regression { s.criterion = "squared_error" }
        let d = Double(x.columns)
        switch maxFeatures ?? (regression ? "all" : "sqrt") {
        case "sqrt": s.maxFeatures = max(1, Int(d.squareRoot()))
        case "log2": s.maxFeatures = max(1, Int(log2(d)))
        default: s.maxFeatures = nil
        }
        let box = ConcurrentSlots<TreeModel>(trees)
        control?.setTotal(trees)
        let settings = s
        let bootstrap = self.bootstrap, seed = self.seed
        DispatchQueue.concurrentPerform(iterations: trees) { t in
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
            builder.weights = counts
            box.set(t, builder.build(rows: rows))
            control?.advance(by: 1)
        }
        if control?.isCancelled == true { throw DataError("fitting was cancelled") }
        return box.values
    }
}

/// Averaging trees' leaf values.
enum TreeAverage {
    static func average(_ trees: [TreeModel], _ x: Matrix, width: Int) -> Matrix {
        var out = Matrix(rows: x.rows, columns: width)
        for tree in trees { tree.accumulate(x, into: &out) }
        let n = Double(max(1, trees.count))
        for i in out.values.indices { out.values[i] /= n }
        return out
    }
}

extension TreeModel {
    /// Adds each row's leaf value to that row of `out` (no per-row allocation).
    func accumulate(_ x: Matrix, into out: inout Matrix, scale: Double = 1, column: Int? = nil) {
        for r in 0..<x.rows {
            let node = leaf(x, row: r)
            let v = value[node]
            if let column { out[r, column] += scale * (v.first ?? 0); continue }
            for c in 0..<min(out.columns, v.count) { out[r, c] += scale * v[c] }
        }
    }
}
