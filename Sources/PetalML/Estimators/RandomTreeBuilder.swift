import Foundation
import PetalData

/// Buffers for growing extremely randomised trees, reused for every tree one worker grows (no allocation per
/// node or per tree). The data are kept in node order: every feature's values, the class codes or targets and the
/// row weights are permuted together as nodes split, so a node is the same range `start..<end` of each, and the
/// splitter's passes read contiguous memory instead of gathering rows from the whole matrix (those gathers were
/// most of the time an extra-trees fit took).
final class RandomTreeWorkspace {
    let capacity: Int
    let features: Int
    /// Feature values, feature-major: feature f of the node-ordered row i is `columns[f * rows + i]`.
    let columns: UnsafeMutableBufferPointer<Double>
    /// Class codes (classification) in node order.
    let labels: UnsafeMutableBufferPointer<Int32>
    /// Targets (regression) in node order.
    let targets: UnsafeMutableBufferPointer<Double>
    /// Row weights in node order (used only when the tree has weights).
    let weights: UnsafeMutableBufferPointer<Double>
    /// Scratch for the stable partition, and each row's side (1: left) for the chosen split.
    let spare: UnsafeMutableBufferPointer<Double>
    let spareLabels: UnsafeMutableBufferPointer<Int32>
    let side: UnsafeMutableBufferPointer<UInt8>

    init(rows: Int, features: Int) {
        capacity = max(1, rows); self.features = max(1, features)
        columns = .allocate(capacity: capacity * self.features); columns.initialize(repeating: 0)
        labels = .allocate(capacity: capacity); labels.initialize(repeating: 0)
        targets = .allocate(capacity: capacity); targets.initialize(repeating: 0)
        weights = .allocate(capacity: capacity); weights.initialize(repeating: 1)
        spare = .allocate(capacity: capacity); spare.initialize(repeating: 0)
        spareLabels = .allocate(capacity: capacity); spareLabels.initialize(repeating: 0)
        side = .allocate(capacity: capacity); side.initialize(repeating: 0)
    }

    deinit {
        columns.deallocate(); labels.deallocate(); targets.deallocate(); weights.deallocate()
        spare.deallocate(); spareLabels.deallocate(); side.deallocate()
    }

    /// Moves the entries of `start..<end` whose `side` is 1 to the front of the range, both sides keeping their
    /// order (branch-free: every entry is written to both destinations, only one index advances).
    @inline(__always)
    static func partition<T>(_ a: UnsafeMutablePointer<T>, _ start: Int, _ end: Int, side: UnsafeMutablePointer<UInt8>, spare: UnsafeMutablePointer<T>) {
        var l = start, r = 0
        for i in start..<end {
            let v = a[i], s = Int(side[i])
            a[l] = v; spare[r] = v
            l &+= s; r &+= 1 &- s
        }
        (a + l).update(from: spare, count: r)
    }
}

extension TreeBuilder {
    /// An extremely randomised tree on `rows` (scikit-learn's random splitter): at each node, features in a random
    /// order until `maxFeatures` non-constant ones have been tried, one threshold drawn uniformly in [min, max) of
    /// the node's values, the split lowering the impurity most kept. Per candidate feature one pass finds the
    /// minimum and maximum and one counts the rows (and classes or target sums) at or below the threshold; the
    /// node is partitioned once, for the chosen split. The trees equal the ones an index-gathering splitter grows
    /// from the same seed: nodes are visited in the same order, draw the same numbers and sum rows in the same order.
    mutating func buildRandom(rows: [Int], workspace ws: RandomTreeWorkspace) -> TreeModel {
        let m = rows.count, d = x.columns, n = x.rows
        var tree = TreeModel()
        tree.importance = [Double](repeating: 0, count: d)
        guard m > 0, d > 0, ws.capacity >= m, ws.features >= d else { return tree }
        let col = ws.columns.baseAddress!, lab = ws.labels.baseAddress!, tgt = ws.targets.baseAddress!
        let wt = ws.weights.baseAddress!, spare = ws.spare.baseAddress!, spareL = ws.spareLabels.baseAddress!, side = ws.side.baseAddress!
        // Node-ordered copies of the rows' features, classes or targets, and weights.
        x.values.withUnsafeBufferPointer { xv in
            for (i, r) in rows.enumerated() where r >= 0 && r < n {
                for f in 0..<d { col[f * m + i] = xv[r * d + f] }
            }
        }
        let classification = labels != nil
        if let labels { for (i, r) in rows.enumerated() { lab[i] = Int32(truncatingIfNeeded: labels[r]) } }
        if let values { for (i, r) in rows.enumerated() { tgt[i] = values[r] } }
        let weighted = weights != nil
        if let weights { for (i, r) in rows.enumerated() { wt[i] = weights[r] } }
        let k = max(classCount, 1), entropy = settings.criterion == "entropy", minLeaf = settings.minSamplesLeaf
        var counts = [Double](repeating: 0, count: k), left = counts, right = counts
        var order = Array(0..<d)
        let wanted = settings.maxFeatures.map { max(1, min($0, d)) } ?? d
        var rootWeight = 0.0
        var stack: [(start: Int, end: Int, depth: Int, parent: Int, isLeft: Bool)] = [(0, m, 0, -1, false)]
        while let (start, end, depth, parent, isLeft) = stack.popLast() {
            let count = end - start
            let id = tree.feature.count
            if parent >= 0 { if isLeft { tree.left[parent] = id } else { tree.right[parent] = id } }
            // The node's weight, value and impurity (the sums in row order, as before).
            var total = 0.0, impurity = 0.0, sumTotal = 0.0, sqTotal = 0.0
            var value: [Double]
            if weighted { for i in start..<end { total += wt[i] } } else { total = Double(count) }
            if classification {
                for c in 0..<k { counts[c] = 0 }
                if weighted { for i in start..<end { counts[Int(lab[i])] += wt[i] } } else { for i in start..<end { counts[Int(lab[i])] += 1 } }
                impurity = self.impurity(counts, total, entropy: entropy)
                value = counts.map { $0 / total }
            } else {
                var s = 0.0
                for i in start..<end { s += (weighted ? wt[i] : 1) * tgt[i] }
                let mean = s / total
                var v = 0.0
                for i in start..<end { v += (weighted ? wt[i] : 1) * (tgt[i] - mean) * (tgt[i] - mean) }
                impurity = v / total
                value = [mean]
                for i in start..<end { let w = weighted ? wt[i] : 1, y = tgt[i]; sumTotal += w * y; sqTotal += w * y * y }
            }
            if parent < 0 { rootWeight = total }
            tree.feature.append(-1); tree.threshold.append(0); tree.left.append(-1); tree.right.append(-1); tree.value.append(value)
            let canSplit = count >= settings.minSamplesSplit && count >= 2 * minLeaf
                && (settings.maxDepth.map { depth < $0 } ?? true) && impurity > 1e-12
            guard canSplit else { continue }
            // The random splitter.
            for f in 0..<d { order[f] = f }
            order.shuffle(using: &rng)
            var best: (feature: Int, threshold: Double, decrease: Double)?
            var tried = 0
            for f in order where tried < wanted {
                let column = col + f * m
                var lo = Double.infinity, hi = -Double.infinity
                for i in start..<end { let v = column[i]; lo = v < lo ? v : lo; hi = v > hi ? v : hi }
                guard lo < hi else { continue }
                tried += 1
                var threshold = lo + Double(rng.next() >> 11) / Double(UInt64(1) << 53) * (hi - lo)
                if threshold >= hi { threshold = lo }
                var countLeft = 0, nl = 0.0, sumLeft = 0.0, sqLeft = 0.0
                if classification {
                    for c in 0..<k { left[c] = 0 }
                    left.withUnsafeMutableBufferPointer { l in
                        if weighted {
                            for i in start..<end where column[i] <= threshold { countLeft += 1; let w = wt[i]; nl += w; l[Int(lab[i])] += w }
                        } else {
                            // Branch-free: adding 0 or 1 keeps the counts exact.
                            for i in start..<end { let s = column[i] <= threshold ? 1 : 0; countLeft &+= s; l[Int(lab[i])] += Double(s) }
                            nl = Double(countLeft)
                        }
                    }
                } else {
                    for i in start..<end where column[i] <= threshold {
                        countLeft += 1
                        let w = weighted ? wt[i] : 1, y = tgt[i]
                        nl += w; sumLeft += w * y; sqLeft += w * y * y
                    }
                }
                guard countLeft >= minLeaf, count - countLeft >= minLeaf, nl > 0, total - nl > 0 else { continue }
                let nr = total - nl
                let decrease: Double
                if classification {
                    for c in 0..<k { right[c] = counts[c] - left[c] }
                    decrease = impurity - (nl / total) * self.impurity(left, nl, entropy: entropy) - (nr / total) * self.impurity(right, nr, entropy: entropy)
                } else {
                    let varLeft = sqLeft / nl - (sumLeft / nl) * (sumLeft / nl)
                    let sumRight = sumTotal - sumLeft, sqRight = sqTotal - sqLeft
                    let varRight = sqRight / nr - (sumRight / nr) * (sumRight / nr)
                    decrease = impurity - (nl / total) * varLeft - (nr / total) * varRight
                }
                if decrease > (best?.decrease ?? 1e-12) { best = (f, threshold, decrease) }
            }
            guard let split = best else { continue }
            tree.feature[id] = split.feature
            tree.threshold[id] = split.threshold
            tree.importance[split.feature] += total / rootWeight * split.decrease
            // Partition every node-ordered array once, by the chosen split.
            let chosen = col + split.feature * m
            var leftCount = 0
            for i in start..<end { let s: UInt8 = chosen[i] <= split.threshold ? 1 : 0; side[i] = s; leftCount &+= Int(s) }
            for f in 0..<d { RandomTreeWorkspace.partition(col + f * m, start, end, side: side, spare: spare) }
            if classification { RandomTreeWorkspace.partition(lab, start, end, side: side, spare: spareL) } else { RandomTreeWorkspace.partition(tgt, start, end, side: side, spare: spare) }
            if weighted { RandomTreeWorkspace.partition(wt, start, end, side: side, spare: spare) }
            stack.append((start + leftCount, end, depth + 1, id, false))
            stack.append((start, start + leftCount, depth + 1, id, true))
        }
        let sum = tree.importance.reduce(0, +)
        if sum > 0 { tree.importance = tree.importance.map { $0 / sum } }
        return tree
    }
}
