import Foundation
import Testing
import PetalData
@testable import PetalML

/// The trees' fast paths keep their bookkeeping straight: the random splitter's node-ordered copies (features,
/// classes or targets, weights permuted together), the packed tree walk, histogram boosting's in-place row
/// partition (its two-halves path too) and a forest written to `model.json` on all cores.
@Suite struct TreeBuffersTests {
    /// `n` rows of 5 noisy features; the class depends on two of them, the target on three.
    static func data(_ n: Int, seed: UInt64 = 7, missing: Bool = false) -> (x: Matrix, classes: [Int], values: [Double]) {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(UInt64(1) << 53) * 2 - 1 }
        var x = Matrix(rows: n, columns: 5), classes: [Int] = [], values: [Double] = []
        for r in 0..<n {
            for f in 0..<5 { x[r, f] = (uniform() * 100).rounded() / 10 }   // repeated values, as real data has
            if missing && r % 7 == 3 { x[r, 1] = .nan }
            let score = x[r, 0] + 0.5 * (x[r, 2] - 0) + uniform() * 3
            classes.append(score < -2 ? 0 : score < 2 ? 1 : 2)
            values.append(x[r, 0] * 2 - x[r, 3] + (x[r, 4] > 0 ? 1 : 0) + uniform())
        }
        return (x, classes, values)
    }

    static func randomSettings(_ criterion: String) -> TreeSettings {
        var s = TreeSettings()
        s.randomThresholds = true; s.maxFeatures = 2; s.criterion = criterion
        return s
    }

    /// Every training row, walked down the tree, reaches a leaf whose value is its rows' class proportions.
    @Test(arguments: [false, true]) func randomTreeLeavesHoldTheirRowsClasses(_ weighted: Bool) throws {
        let (x, classes, _) = Self.data(3_000)
        var builder = TreeBuilder(x: x, labels: classes, values: nil, classCount: 3, settings: Self.randomSettings("gini"), rng: SplitMix64(seed: 3))
        let weights = weighted ? (0..<x.rows).map { Double($0 % 3) } : nil   // weight 0 rows stay in the tree, uncounted
        builder.weights = weights
        let rows = weighted ? (0..<x.rows).filter { $0 % 3 != 0 } : Array(0..<x.rows)
        let tree = builder.build(rows: rows)
        #expect(tree.feature.count > 50)
        var sums = [Int: [Double]]()
        for r in rows { sums[tree.leaf(x, row: r), default: [0, 0, 0]][classes[r]] += weights?[r] ?? 1 }
        for (leaf, counts) in sums {
            #expect(tree.feature[leaf] == -1)
            let total = counts.reduce(0, +)
            for c in 0..<3 { #expect(abs(tree.value[leaf][c] - counts[c] / total) < 1e-12, "leaf \(leaf)") }
        }
        // Fully grown on distinct-enough rows: the tree fits its training rows nearly perfectly.
        let right = rows.filter { tree.value[tree.leaf(x, row: $0)].argmax() == classes[$0] }.count
        #expect(Double(right) / Double(rows.count) > 0.97)
    }

    /// The same for a regression tree: each leaf holds its rows' mean target.
    @Test func randomRegressionTreeLeavesHoldTheirRowsMeans() throws {
        let (x, _, values) = Self.data(2_000, seed: 11)
        var settings = Self.randomSettings("squared_error")
        settings.minSamplesLeaf = 4
        var builder = TreeBuilder(x: x, labels: nil, values: values, classCount: 0, settings: settings, rng: SplitMix64(seed: 5))
        let tree = builder.build(rows: Array(0..<x.rows))
        var sums = [Int: (Double, Int)]()
        for r in 0..<x.rows { let l = tree.leaf(x, row: r); sums[l, default: (0, 0)].0 += values[r]; sums[l, default: (0, 0)].1 += 1 }
        for (leaf, (sum, count)) in sums {
            #expect(count >= 4)
            #expect(abs(tree.value[leaf][0] - sum / Double(count)) < 1e-9, "leaf \(leaf)")
        }
    }

    /// Averaging many rows walks packed trees; it gives exactly what walking each tree's arrays row by row gives.
    @Test func packedWalkEqualsTheTreesWalk() throws {
        let (x, classes, _) = Self.data(4_000, seed: 2)
        let trees = try Forest.grow(x, target: .classes(classes), classCount: 3, settings: Self.randomSettings("gini"), trees: 6,
                                    bootstrap: false, seed: 1, control: nil)
        let (q, _, _) = Self.data(5_003, seed: 9)   // new rows, not a multiple of four
        let averaged = TreeAverage.average(trees, q, width: 3)
        for r in 0..<q.rows {
            for c in 0..<3 {
                let direct = trees.reduce(0.0) { $0 + $1.value[$1.leaf(q, row: r)][c] } / Double(trees.count)
                #expect(averaged[r, c] == direct, "row \(r)")
            }
        }
    }

    /// A boosting tree on more rows than the parallel threshold: the leaves' row ranges cover the sample once, and
    /// each row, walked down the tree (missing values by their recorded side), reaches its own leaf.
    @Test func histogramLeavesHoldTheRowsThatReachThem() throws {
        let (x, classes, _) = Self.data(20_000, seed: 4, missing: true)
        var rng = SplitMix64(seed: 1)
        let binner = HistBinner(x, maxBins: 255, rng: &rng)
        let grower = HistTreeGrower(binned: binner.bin(x), rows: x.rows, features: x.columns, thresholds: binner.thresholds,
                                    maxLeafNodes: 31, maxDepth: nil, minSamplesLeaf: 20, l2: 0, learningRate: 0.1)
        let g = classes.map { $0 == 2 ? -0.7 : 0.3 }, h = [Double](repeating: 0.21, count: x.rows)
        let workspace = HistWorkspace(rows: x.rows)
        let sample = (0..<x.rows).filter { $0 % 5 != 0 }
        let grown = try #require(grower.grow(sample, g: g, h: h, workspace: workspace))
        #expect(grown.leaves.count >= 16)
        var seen = [Bool](repeating: false, count: x.rows)
        for leaf in grown.leaves {
            #expect(grown.tree.feature[leaf.node] == -1)
            for i in leaf.range {
                let r = workspace.order[i]
                #expect(!seen[r]); seen[r] = true
                #expect(grown.tree.leaf(x, row: r, missingLeft: grown.missingLeft) == leaf.node, "row \(r)")
            }
        }
        #expect(sample.allSatisfy { seen[$0] })
        #expect(seen.filter { $0 }.count == sample.count)
    }

    /// A forest of eight or more trees is written on all cores: still Foundation's bytes, and it reads back.
    @Test func aForestWrittenInParallelIsTheSameBytes() throws {
        let (model, x) = try ModelCodingTests.fit("extra_trees n_estimators=12 random_state=4", try PipelineParityTests.iris(),
                                                  target: "variety", task: .classification)
        #expect(try ModelFormat.encode(model) == (try ModelJSONWriterTests.foundation(model)))
        try ModelCodingTests.roundTrip(model, x, "extra_trees n_estimators=12")
    }
}
