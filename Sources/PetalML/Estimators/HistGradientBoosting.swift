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

        /// Raw scores [N, baseline.count]; many rows in blocks on all cores (each row adds the trees in order).
        public func scores(_ x: Matrix) -> Matrix {
            let width = baseline.count
            var m = Matrix(rows: x.rows, columns: width)
            for r in 0..<x.rows { for k in baseline.indices { m[r, k] = baseline[k] } }
            guard x.rows >= Self.packedRows else {
                // A few rows (a served request) walk the trees' arrays: packing costs a pass over every node.
                let rounds = rounds, missingLeft = missingLeft
                for (round, sides) in zip(rounds, missingLeft) {
                    for (k, (tree, side)) in zip(round, sides).enumerated() where k < width {
                        for r in 0..<x.rows { m[r, k] += tree.value[tree.leaf(x, row: r, missingLeft: side)].first ?? 0 }
                    }
                }
                return m
            }
            let packed = packedTrees()
            m.values.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                let sink = RowSink(values: base)
                RowBlocks.each(rows: x.rows) { rows in
                    for round in packed {
                        for (k, tree) in round.enumerated() where k < width {
                            tree.accumulate(x, rows: rows, into: sink.values + k, width: 1, stride: width)
                        }
                    }
                }
            }
            return m
        }

        /// Inputs with at least this many rows walk the trees packed.
        static let packedRows = 64

        /// The trees packed for walking many rows (`PackedTree`, four rows at a time, one fetch per level), each
        /// with its missing-value directions.
        func packedTrees() -> [[PackedTree]] {
            zip(rounds, missingLeft).map { round, sides in
                zip(round, sides).map { tree, side in PackedTree(tree, width: 1, missingLeft: side) }
            }
        }

        public func predictProba(_ x: Matrix) -> Matrix { HistGradientBoosting.probabilities(scores(x), classCount: classCount) }
        public func predictValues(_ x: Matrix) -> [Double] { scores(x).values }
    }

    /// Class probabilities from raw scores: the logistic of one score (two classes) or a softmax. Many rows are
    /// done in blocks on all cores (each row on its own, so the result does not depend on the blocks).
    static func probabilities(_ s: Matrix, classCount k: Int) -> Matrix {
        var out = Matrix(rows: 0, columns: 0, values: [])
        probabilities(s, classCount: k, into: &out)
        return out
    }

    /// `probabilities` written into `out`, whose memory is reused when it has the shape already: boosting asks for
    /// them every round, and a fresh 3.8 MB matrix a round (160,000 rows, three classes) was faulted in 4 KiB at a
    /// time — 90,000 page faults in a 100-round fit.
    static func probabilities(_ s: Matrix, classCount k: Int, into out: inout Matrix) {
        let width = s.columns
        guard k > 0, width > 0, s.values.count >= s.rows * width else { out = Matrix(rows: s.rows, columns: k); return }
        if out.rows != s.rows || out.columns != k || out.values.count != s.rows * k {
            out = Matrix(rows: s.rows, columns: k) { _ in }   // every value is written below
        }
        s.values.withUnsafeBufferPointer { scores in
            out.values.withUnsafeMutableBufferPointer { probabilities in
                guard let score = scores.baseAddress, let p = probabilities.baseAddress else { return }
                let shared = ScorePointers(score: score, out: p)
                RowBlocks.each(rows: s.rows) { rows in
                    let score = shared.score, p = shared.out
                    for r in rows {
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
        }
    }
}

/// Raw scores in, probabilities or scores out, as seen by `RowBlocks` workers (each writes only its own rows).
struct ScorePointers: @unchecked Sendable {
    let score: UnsafePointer<Double>
    let out: UnsafeMutablePointer<Double>
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
        let n = features.rows, width = baseline.count, key = target.isClasses ? "round_accuracy" : "round_rmse"
        guard !rounds.isEmpty else { return (key, []) }
        let classes: [Int]?, numbers: [Double]?
        switch target {
        case .classes(let truth) where truth.count == n: classes = truth; numbers = nil
        case .values(let truth) where truth.count == n: classes = nil; numbers = truth
        default: return nil
        }
        // Blocks of rows on all cores, each counting its correct rows (or summing its squared errors) per round;
        // the blocks' sums are added in order.
        // Correct rows are counted exactly in any blocks (so small ones, to share the work out evenly); squared errors
        // are summed in fixed blocks (the same sum on any number of cores).
        let block = classes != nil ? 1_024 : RowBlocks.size
        let parts = ConcurrentSlots<[Double]>(max(1, (n + block - 1) / block))
        let packed = packedTrees(), baseline = baseline, classCount = classCount
        RowBlocks.run(rows: n, size: block) { rows in
            var m = Matrix(rows: rows.count, columns: width)
            for r in 0..<rows.count { for k in 0..<width { m[r, k] = baseline[k] } }
            var partial = [Double](repeating: 0, count: packed.count)
            for (i, round) in packed.enumerated() {
                m.values.withUnsafeMutableBufferPointer { block in
                    guard let base = block.baseAddress else { return }
                    for (k, tree) in round.enumerated() where k < width {
                        tree.accumulate(features, rows: rows, into: base + k, width: 1, stride: width, firstOutRow: rows.lowerBound)
                    }
                }
                if let classes {
                    for r in rows {
                        let row = r - rows.lowerBound
                        if (classCount == 2 ? (m[row, 0] > 0 ? 1 : 0) : m.argmax(row: row)) == classes[r] { partial[i] += 1 }
                    }
                } else if let numbers {
                    for r in rows { let d = m[r - rows.lowerBound, 0] - numbers[r]; partial[i] += d * d }
                }
            }
            parts.set(rows.lowerBound / block, partial)
        }
        var totals = [Double](repeating: 0, count: packed.count)
        for part in parts.values { for i in totals.indices { totals[i] += part[safe: i] ?? 0 } }
        let values = totals.map { classes != nil ? $0 / Double(n) : ($0 / Double(n)).squareRoot() }
        return (key, values)
    }
}
