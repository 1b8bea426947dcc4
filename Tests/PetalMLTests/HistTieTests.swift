import Foundation
import Testing
import PetalData
@testable import PetalML

/// Histogram boosting's split choice does not depend on the order anything is summed in (`HistFixedPoint`): the
/// same rows in another order grow the same tree to the last bit, and two features that part the rows alike tie
/// exactly, the lower feature winning.
@Suite struct HistTieTests {
    /// Gradients and hessians of a log loss at uneven scores (many magnitudes, as after a few rounds).
    static func gradients(_ classes: [Int], seed: UInt64) -> (g: [Double], h: [Double]) {
        var rng = SplitMix64(seed: seed)
        var g: [Double] = [], h: [Double] = []
        for c in classes {
            let score = Double(rng.next() >> 11) / Double(UInt64(1) << 53) * 8 - 4
            let p = 1 / (1 + exp(-score)), y = c == 2 ? 1.0 : 0.0
            g.append(p - y); h.append(max(p * (1 - p), 1e-16))
        }
        return (g, h)
    }

    static func grower(_ x: Matrix) -> HistTreeGrower {
        var rng = SplitMix64(seed: 1)
        let binner = HistBinner(x, maxBins: 255, rng: &rng)
        return HistTreeGrower(binned: binner.bin(x), rows: x.rows, features: x.columns, thresholds: binner.thresholds,
                              maxLeafNodes: 31, maxDepth: nil, minSamplesLeaf: 20, l2: 0, learningRate: 0.1)
    }

    /// Every row, in order (the root read directly) and shuffled (gathered, other bin sums' order, other halves on
    /// the two cores): the same splits, thresholds, missing sides and leaf values, bit for bit.
    @Test func theRowsOrderDoesNotChangeTheTree() throws {
        let (x, classes, _) = TreeBuffersTests.data(20_000, seed: 5, missing: true)
        let grower = Self.grower(x), (g, h) = Self.gradients(classes, seed: 2)
        var rng = SplitMix64(seed: 9)
        var shuffled = Array(0..<x.rows)
        shuffled.shuffle(using: &rng)
        let a = try #require(grower.grow(Array(0..<x.rows), g: g, h: h, workspace: HistWorkspace(rows: x.rows)))
        let b = try #require(grower.grow(shuffled, g: g, h: h, workspace: HistWorkspace(rows: x.rows)))
        #expect(a.tree.feature.count >= 41)
        #expect(a.tree.feature == b.tree.feature)
        #expect(a.tree.threshold == b.tree.threshold)
        #expect(a.missingLeft == b.missingLeft)
        #expect(a.tree.value == b.tree.value)
    }

    /// Feature 2 is feature 1 negated (NaN in the same rows): each of its splits parts the rows as one of feature 1's
    /// does, left and right swapped, and its bins are summed in the other direction. The gains tie exactly, so
    /// feature 1 (scanned first) takes every such split.
    @Test func aMirroredFeatureTiesAndTheLowerFeatureWins() throws {
        var (x, classes, _) = TreeBuffersTests.data(20_000, seed: 6, missing: true)
        for r in 0..<x.rows { x[r, 2] = -x[r, 1] }
        // The class follows feature 1 (and 0), so feature 1 (or its mirror) splits many nodes.
        for r in 0..<x.rows where !x[r, 1].isNaN { classes[r] = x[r, 1] + x[r, 0] / 4 > 1 ? 2 : 0 }
        let grower = Self.grower(x)
        var splitsOnOne = 0
        for seed in UInt64(1)...4 {
            let (g, h) = Self.gradients(classes, seed: seed)
            let grown = try #require(grower.grow(Array(0..<x.rows), g: g, h: h, workspace: HistWorkspace(rows: x.rows)))
            #expect(!grown.tree.feature.contains(2), "seed \(seed): a split on the mirrored feature")
            splitsOnOne += grown.tree.feature.filter { $0 == 1 }.count
        }
        #expect(splitsOnOne >= 8)
    }

    /// A gradient that is not a number, or infinite, grows no tree (the fit says why) instead of trapping.
    @Test func nonFiniteGradientsGrowNoTree() {
        let (x, classes, _) = TreeBuffersTests.data(500, seed: 3)
        let grower = Self.grower(x)
        var (g, h) = Self.gradients(classes, seed: 1)
        g[17] = .infinity
        #expect(grower.grow(Array(0..<x.rows), g: g, h: h, workspace: HistWorkspace(rows: x.rows)) == nil)
        g[17] = .nan
        #expect(grower.grow(Array(0..<x.rows), g: g, h: h, workspace: HistWorkspace(rows: x.rows)) == nil)
    }

    /// The scale keeps any sum of a tree's rows below 2^63 and each value within half a unit, at any magnitude.
    @Test(arguments: [1e-300, 1e-9, 0.25, 1, 3.5e7, 1e300])
    func fixedPointSumsCannotOverflow(_ largest: Double) {
        let n = 70_001
        let values = (0..<n).map { i in (i % 2 == 0 ? largest : -largest) * (i % 3 == 0 ? 1 : 0.999_999) }
        let out = UnsafeMutablePointer<Int64>.allocate(capacity: n)
        defer { out.deallocate() }
        guard let point = HistFixedPoint.quantize(values, into: out) else { Issue.record("no scale for \(largest)"); return }
        var sum: Int64 = 0, overflow = false
        for i in 0..<n {
            let (s, o) = sum.addingReportingOverflow(abs(out[i])); sum = s; overflow = overflow || o
            #expect(abs(point.value(out[i]) - values[i]) <= point.unit / 2, "row \(i)")
        }
        #expect(!overflow)
        #expect(point.value(sum) > largest * Double(n) * 0.9)
    }
}
