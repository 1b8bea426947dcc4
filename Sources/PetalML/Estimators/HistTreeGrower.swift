import Foundation
import PetalData

/// Feature values mapped to at most 255 bins per feature (scikit-learn's `_BinMapper`): thresholds are the
/// midpoints between distinct values when there are few, else midpoint percentiles; NaN goes to bin 255.
struct HistBinner {
    static let missingBin = 255
    /// Per feature: ascending thresholds; a value goes to the first bin whose threshold it does not exceed.
    var thresholds: [[Double]]

    /// Thresholds from (up to 200,000 sampled) rows of `x`.
    init(_ x: Matrix, maxBins: Int, rng: inout SplitMix64) {
        var rows = Array(0..<x.rows)
        if x.rows > 200_000 { rows.shuffle(using: &rng); rows = Array(rows.prefix(200_000)) }
        let sampled = rows
        thresholds = (0..<x.columns).map { f -> [Double] in Self.thresholds(sampled.map { x[$0, f] }, maxBins: maxBins) }
    }

    /// Bin thresholds of one feature's values (NaN ignored).
    static func thresholds(_ column: [Double], maxBins: Int) -> [Double] {
        let values = column.filter { !$0.isNaN }.sorted()
        var distinct: [Double] = []
        for v in values where distinct.last != v { distinct.append(v) }
        if distinct.count <= maxBins {
            guard distinct.count >= 2 else { return [] }
            return (0..<(distinct.count - 1)).map { (i: Int) -> Double in distinct[i] / 2 + distinct[i + 1] / 2 }
        }
        // numpy's percentile(method="midpoint") at linspace(0, 100, maxBins + 1)[1:-1], then unique.
        var out: [Double] = []
        let last = Double(values.count - 1)
        for i in 1..<maxBins {
            let index: Double = Double(i) / Double(maxBins) * last
            let low: Double = values[Int(index.rounded(.down))], high: Double = values[Int(index.rounded(.up))]
            let v = low / 2 + high / 2
            if out.last != v { out.append(v) }
        }
        return out
    }

    /// Bin codes, feature-major ([feature × rows + row]).
    func bin(_ x: Matrix) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: x.rows * x.columns)
        for f in 0..<x.columns {
            let t = thresholds[f]
            for r in 0..<x.rows {
                let v = x[r, f]
                if v.isNaN { out[f * x.rows + r] = UInt8(Self.missingBin); continue }
                var lo = 0, hi = t.count
                while lo < hi { let mid = (lo + hi) / 2; if v <= t[mid] { hi = mid } else { lo = mid + 1 } }
                out[f * x.rows + r] = UInt8(lo)
            }
        }
        return out
    }
}

/// Grows one tree of histogram gradient boosting leaf-wise (best gain first) on binned features, as
/// scikit-learn's `TreeGrower`: split gain GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ), rows with a missing value tried on
/// either side, leaf values −lr·G/(H+λ).
struct HistTreeGrower {
    let binned: [UInt8]
    let rows: Int
    let features: Int
    let thresholds: [[Double]]
    let maxLeafNodes: Int?
    let maxDepth: Int?
    let minSamplesLeaf: Int
    let l2: Double
    let learningRate: Double

    struct Node {
        var rows: [Int]
        var g: Double, h: Double
        var depth: Int
        var id: Int
        /// Per feature, per bin (256): gradient sum, hessian sum, row count.
        var hist: [Double]
        var split: (feature: Int, bin: Int, missingLeft: Bool, gain: Double)?
    }

    /// The gradient/hessian/count histogram of `sample`'s rows, features in parallel when there are many rows.
    func histogram(_ sample: [Int], g: [Double], h: [Double]) -> [Double] {
        let box = ConcurrentSlots<[Double]>(features)
        let build: @Sendable (Int) -> Void = { [binned, rows] f in
            var out = [Double](repeating: 0, count: 256 * 3)
            let base = f * rows
            for r in sample { let b = Int(binned[base + r]) * 3; out[b] += g[r]; out[b + 1] += h[r]; out[b + 2] += 1 }
            box.set(f, out)
        }
        if sample.count >= 20_000 { DispatchQueue.concurrentPerform(iterations: features, execute: build) } else { for f in 0..<features { build(f) } }
        return box.values.flatMap { $0 }
    }

    /// The tree (thresholds as numbers, missing-value directions) for gradients `g` and hessians `h` of `sample`,
    /// and each leaf's node and rows (so the caller moves the training rows' scores without walking the tree).
    func grow(_ sample: [Int], g: [Double], h: [Double]) -> (tree: TreeModel, missingLeft: [Bool], leaves: [(node: Int, rows: [Int])]) {
        var tree = TreeModel()
        tree.importance = [Double](repeating: 0, count: features)
        var missingLeft: [Bool] = []
        func add(_ value: Double) -> Int {
            tree.feature.append(-1); tree.threshold.append(0); tree.left.append(-1); tree.right.append(-1); tree.value.append([value])
            missingLeft.append(true)
            return tree.feature.count - 1
        }
        func leafValue(_ gs: Double, _ hs: Double) -> Double { -learningRate * gs / (hs + l2 + 1e-15) }
        let gRoot = sample.reduce(0) { $0 + g[$1] }, hRoot = sample.reduce(0) { $0 + h[$1] }
        var open: [Node] = [Node(rows: sample, g: gRoot, h: hRoot, depth: 0, id: add(leafValue(gRoot, hRoot)), hist: histogram(sample, g: g, h: h))]
        open[0].split = bestSplit(open[0])
        var leaves = 1
        while maxLeafNodes.map({ leaves < $0 }) ?? true {
            guard let pick = open.indices.filter({ open[$0].split != nil }).max(by: { (open[$0].split?.gain ?? 0) < (open[$1].split?.gain ?? 0) }),
                  let split = open[pick].split else { break }
            let node = open.remove(at: pick)
            var leftRows: [Int] = [], rightRows: [Int] = []
            var gl = 0.0, hl = 0.0
            for r in node.rows {
                let b = Int(binned[split.feature * rows + r])
                if b == HistBinner.missingBin ? split.missingLeft : b <= split.bin { leftRows.append(r); gl += g[r]; hl += h[r] } else { rightRows.append(r) }
            }
            let gr = node.g - gl, hr = node.h - hl
            tree.feature[node.id] = split.feature
            tree.threshold[node.id] = thresholds[split.feature][safe: split.bin] ?? .infinity
            missingLeft[node.id] = split.missingLeft
            tree.importance[split.feature] += split.gain
            let l = add(leafValue(gl, hl)), r = add(leafValue(gr, hr))
            tree.left[node.id] = l; tree.right[node.id] = r
            leaves += 1
            // The smaller child's histogram from its rows; the larger one's by subtraction from the parent's.
            let leftSmaller = leftRows.count <= rightRows.count
            let small = histogram(leftSmaller ? leftRows : rightRows, g: g, h: h)
            var large = node.hist
            for i in large.indices { large[i] -= small[i] }
            for child in [Node(rows: leftRows, g: gl, h: hl, depth: node.depth + 1, id: l, hist: leftSmaller ? small : large),
                          Node(rows: rightRows, g: gr, h: hr, depth: node.depth + 1, id: r, hist: leftSmaller ? large : small)] {
                var c = child
                c.split = bestSplit(c)
                open.append(c)
            }
        }
        let sum = tree.importance.reduce(0, +)
        if sum > 0 { tree.importance = tree.importance.map { $0 / sum } }
        return (tree, missingLeft, open.map { ($0.id, $0.rows) })   // what is still open is a leaf
    }

    /// The best (feature, bin, missing side) split of a node, or nil (depth, size, or no positive gain).
    func bestSplit(_ node: Node) -> (feature: Int, bin: Int, missingLeft: Bool, gain: Double)? {
        if let maxDepth, node.depth >= maxDepth { return nil }
        let n = node.rows.count
        guard n >= 2 * minSamplesLeaf else { return nil }
        let parent = node.g * node.g / (node.h + l2)
        var best: (feature: Int, bin: Int, missingLeft: Bool, gain: Double)?
        var hg = [Double](repeating: 0, count: 256), hh = hg, hc = [Int](repeating: 0, count: 256)
        for f in 0..<features {
            for b in 0..<256 {
                let o = (f * 256 + b) * 3
                hg[b] = node.hist[o]; hh[b] = node.hist[o + 1]; hc[b] = Int(node.hist[o + 2].rounded())
            }
            let bins = thresholds[f].count + 1
            let mg = hg[HistBinner.missingBin], mh = hh[HistBinner.missingBin], mc = hc[HistBinner.missingBin]
            // Missing rows on the right (scan left to right), then on the left; with none, the larger child takes them.
            for missingLeft in mc > 0 ? [false, true] : [false] {
                var gl = missingLeft ? mg : 0, hl = missingLeft ? mh : 0, cl = missingLeft ? mc : 0
                for b in 0..<(bins - 1) {
                    gl += hg[b]; hl += hh[b]; cl += hc[b]
                    let cr = n - cl
                    guard cl >= minSamplesLeaf else { continue }
                    if cr < minSamplesLeaf { break }
                    let hr = node.h - hl, gr = node.g - gl
                    guard hl >= 1e-3, hr >= 1e-3 else { continue }
                    let gain = gl * gl / (hl + l2) + gr * gr / (hr + l2) - parent
                    if gain > (best?.gain ?? 1e-12) { best = (f, b, mc > 0 ? missingLeft : cl > cr, gain) }
                }
            }
        }
        return best
    }
}
