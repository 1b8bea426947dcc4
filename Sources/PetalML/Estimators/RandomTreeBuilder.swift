import Foundation
import PetalData

/// Buffers for growing extremely randomised trees, reused for every tree one worker grows (no allocation per
/// node or per tree). The data are kept in node order: every feature's values, the class codes or targets and the
/// row weights are permuted together as nodes split, so a node is the same range `start..<end` of each, and the
/// splitter's passes read contiguous memory instead of gathering rows from the whole matrix (those gathers were
/// most of the time an extra-trees fit took).
///
/// With many features and few tried per node (`gathering`), the features stay in the root's order (one copy) and a
/// node-ordered index moves instead: a split moves one array instead of d, and a node gathers only the features it
/// tries (on 50k × 100 with √100 tried, a third less CPU for an extra-trees fit).
///
/// Each other array has two copies. A node at depth k reads copy k % 2, and its split moves its rows into the other copy
/// at the same range, where its children (depth k + 1) read them: a row's place is worked out once per node
/// (`destination`) and every array is then one scatter pass, instead of an in-place stable partition per array
/// (two stores per value and a copy back). The range in the other copy is free: it held this node's ancestor's
/// rows, already split, and no node still to visit overlaps it.
final class RandomTreeWorkspace {
    let capacity: Int
    let features: Int
    /// Feature values, feature-major, two copies: feature f of the node-ordered row i of copy c is
    /// `columns[c * capacity * features + f * rows + i]`.
    let columns: UnsafeMutableBufferPointer<Double>
    /// Class codes (classification) in node order, two copies (`c * capacity + i`).
    let labels: UnsafeMutableBufferPointer<Int32>
    /// Targets (regression) in node order, two copies.
    let targets: UnsafeMutableBufferPointer<Double>
    /// Row weights in node order, two copies (used only when the tree has weights).
    let weights: UnsafeMutableBufferPointer<Double>
    /// Where each row of the node being split goes in the other copy.
    let destination: UnsafeMutableBufferPointer<Int>
    /// Gathering mode (`gathers`): each node-ordered row's place in the root's order (copy 0 of `columns` then
    /// stays in the root's order), two copies; and one candidate feature's values for the node, gathered.
    let index: UnsafeMutableBufferPointer<Int>
    let gathered: UnsafeMutableBufferPointer<Double>

    /// Gather a node's candidate features through `index` instead of moving every feature's values at each split
    /// when the features outnumber the candidates tried per node this many times: a split then moves one index
    /// array instead of d feature arrays, and a node reads only the features it tries.
    static let gatherRatio = 4

    /// Whether a tree over `features` features trying `tried` per node gathers them.
    static func gathers(features: Int, tried: Int) -> Bool { features >= gatherRatio * max(1, tried) }

    /// Whether the trees grown with this workspace gather their candidate features (then `columns` has one copy).
    let gathering: Bool
    /// In gathering mode, the rows whose features copy 0 of `columns` holds (it is only read there): the next tree
    /// on the same rows (extra trees without a bootstrap grow every tree on every row) skips copying them again.
    var rootRows: [Int]?

    init(rows: Int, features: Int, settings: TreeSettings) {
        let width = max(1, features)
        capacity = max(1, rows); self.features = width
        let tried = settings.maxFeatures.map { max(1, min($0, width)) } ?? width
        gathering = settings.gatherFeatures ?? Self.gathers(features: width, tried: tried)
        columns = .allocate(capacity: (gathering ? 1 : 2) * capacity * self.features); columns.initialize(repeating: 0)
        labels = .allocate(capacity: 2 * capacity); labels.initialize(repeating: 0)
        targets = .allocate(capacity: 2 * capacity); targets.initialize(repeating: 0)
        weights = .allocate(capacity: 2 * capacity); weights.initialize(repeating: 1)
        destination = .allocate(capacity: capacity); destination.initialize(repeating: 0)
        index = .allocate(capacity: 2 * capacity); index.initialize(repeating: 0)
        gathered = .allocate(capacity: capacity); gathered.initialize(repeating: 0)
    }

    deinit {
        columns.deallocate(); labels.deallocate(); targets.deallocate(); weights.deallocate(); destination.deallocate()
        index.deallocate(); gathered.deallocate()
    }

    /// The rows of `start..<end` per class (with `column`, only those whose value is at most `threshold`) as
    /// `out[0..<k]`; returns how many. Four interleaved tables of `tables` (room for `4 * k`) take neighbouring rows,
    /// so rows of one class do not each wait for the previous one's store (that chain was most of a counting pass).
    /// Counts are whole numbers: the result does not depend on the order they are added in.
    @inline(__always)
    static func countClasses(_ lab: UnsafeMutablePointer<Int32>, _ start: Int, _ end: Int, k: Int, column: UnsafeMutablePointer<Double>?,
                             threshold: Double, tables: UnsafeMutablePointer<Int>, into out: UnsafeMutablePointer<Double>) -> Int {
        tables.update(repeating: 0, count: 4 * k)
        let t1 = tables + k, t2 = tables + 2 * k, t3 = tables + 3 * k
        var i = start, counted = 0
        if let column {
            while i + 4 <= end {
                let s0 = column[i] <= threshold ? 1 : 0, s1 = column[i + 1] <= threshold ? 1 : 0
                let s2 = column[i + 2] <= threshold ? 1 : 0, s3 = column[i + 3] <= threshold ? 1 : 0
                tables[Int(lab[i])] &+= s0; t1[Int(lab[i + 1])] &+= s1; t2[Int(lab[i + 2])] &+= s2; t3[Int(lab[i + 3])] &+= s3
                counted &+= s0 &+ s1 &+ s2 &+ s3
                i += 4
            }
            while i < end { let s = column[i] <= threshold ? 1 : 0; tables[Int(lab[i])] &+= s; counted &+= s; i += 1 }
        } else {
            while i + 4 <= end {
                tables[Int(lab[i])] &+= 1; t1[Int(lab[i + 1])] &+= 1; t2[Int(lab[i + 2])] &+= 1; t3[Int(lab[i + 3])] &+= 1
                i += 4
            }
            while i < end { tables[Int(lab[i])] &+= 1; i += 1 }
            counted = end - start
        }
        for c in 0..<k { out[c] = Double(tables[c] &+ t1[c] &+ t2[c] &+ t3[c]) }
        return counted
    }

    /// Copies `from[i]` to `to[destination[i]]` for i in `start..<end`.
    @inline(__always)
    static func scatter<T>(_ from: UnsafeMutablePointer<T>, _ to: UnsafeMutablePointer<T>, _ start: Int, _ end: Int, destination: UnsafeMutablePointer<Int>) {
        for i in start..<end { to[destination[i]] = from[i] }
    }
}

extension TreeBuilder {
    /// An extremely randomised tree on `rows` (scikit-learn's random splitter): at each node, features in a random
    /// order until `maxFeatures` non-constant ones have been tried, one threshold drawn uniformly in [min, max) of
    /// the node's values, the split lowering the impurity most kept. Per candidate feature one pass finds the
    /// minimum and maximum and one counts the rows (and classes or target sums) at or below the threshold; the
    /// node's rows move once, for the chosen split (into the other copy, `RandomTreeWorkspace`). The trees equal the ones an index-gathering splitter grows
    /// from the same seed: nodes are visited in the same order, draw the same numbers and sum rows in the same order.
    mutating func buildRandom(rows: [Int], workspace ws: RandomTreeWorkspace) -> TreeModel {
        let m = rows.count, d = x.columns, n = x.rows
        var tree = TreeModel()
        tree.importance = [Double](repeating: 0, count: d)
        guard m > 0, d > 0, ws.capacity >= m, ws.features >= d else { return tree }
        let col0 = ws.columns.baseAddress!, lab0 = ws.labels.baseAddress!, tgt0 = ws.targets.baseAddress!, wt0 = ws.weights.baseAddress!
        let dest = ws.destination.baseAddress!, idx0 = ws.index.baseAddress!, gat = ws.gathered.baseAddress!
        let columnCopy = ws.capacity * ws.features, copy = ws.capacity
        // Node-ordered copies (copy 0, where the root reads) of the rows' features, classes or targets, and weights.
        if !(ws.gathering && ws.rootRows == rows) {
            x.values.withUnsafeBufferPointer { xv in
                for (i, r) in rows.enumerated() where r >= 0 && r < n {
                    for f in 0..<d { col0[f * m + i] = xv[r * d + f] }
                }
            }
            ws.rootRows = ws.gathering ? rows : nil
        }
        let classification = labels != nil
        if let labels { for (i, r) in rows.enumerated() { lab0[i] = Int32(truncatingIfNeeded: labels[r]) } }
        if let values { for (i, r) in rows.enumerated() { tgt0[i] = values[r] } }
        let weighted = weights != nil
        if let weights { for (i, r) in rows.enumerated() { wt0[i] = weights[r] } }
        let k = max(classCount, 1), entropy = settings.criterion == "entropy", minLeaf = settings.minSamplesLeaf
        var counts = [Double](repeating: 0, count: k), left = counts, right = counts
        let tables = UnsafeMutablePointer<Int>.allocate(capacity: 4 * k); tables.initialize(repeating: 0, count: 4 * k)
        defer { tables.deallocate() }
        var order = Array(0..<d)
        let wanted = settings.maxFeatures.map { max(1, min($0, d)) } ?? d
        // Many features and few tried per node: gather the tried ones through a node-ordered index (only it moves).
        let gather = ws.gathering
        if gather { for i in 0..<m { idx0[i] = i } }
        var rootWeight = 0.0
        var stack: [(start: Int, end: Int, depth: Int, parent: Int, isLeft: Bool)] = [(0, m, 0, -1, false)]
        while let (start, end, depth, parent, isLeft) = stack.popLast() {
            let count = end - start
            // This depth's copy of the node-ordered arrays, and the other one (where the children go).
            let here = depth & 1, there = 1 - here
            let col = col0 + here * columnCopy, lab = lab0 + here * copy, tgt = tgt0 + here * copy, wt = wt0 + here * copy
            let ix = idx0 + here * copy
            /// Feature f's values for this node's rows (indices start..<end): in place, or gathered from the root's order.
            func values(of f: Int) -> UnsafeMutablePointer<Double> {
                guard gather else { return col + f * m }
                let source = col0 + f * m
                for i in start..<end { gat[i] = source[ix[i]] }
                return gat
            }
            /// `values(of: f)` and their smallest and largest (NaN skipped), in the same pass when gathering: the
            /// comparisons' chain then runs while the scattered loads are waited for, not after them.
            func valuesAndRange(of f: Int) -> (UnsafeMutablePointer<Double>, lo: Double, hi: Double) {
                var lo = Double.infinity, hi = -Double.infinity
                guard gather else {
                    let column = col + f * m
                    for i in start..<end { let v = column[i]; lo = v < lo ? v : lo; hi = v > hi ? v : hi }
                    return (column, lo, hi)
                }
                let source = col0 + f * m
                for i in start..<end { let v = source[ix[i]]; gat[i] = v; lo = v < lo ? v : lo; hi = v > hi ? v : hi }
                return (gat, lo, hi)
            }
            let id = tree.feature.count
            if parent >= 0 { if isLeft { tree.left[parent] = id } else { tree.right[parent] = id } }
            // The node's weight, value and impurity (the sums in row order, as before).
            var total = 0.0, impurity = 0.0, sumTotal = 0.0, sqTotal = 0.0, mean = 0.0
            if weighted { for i in start..<end { total += wt[i] } } else { total = Double(count) }
            if classification {
                for c in 0..<k { counts[c] = 0 }
                if weighted {
                    for i in start..<end { counts[Int(lab[i])] += wt[i] }
                } else {
                    _ = counts.withUnsafeMutableBufferPointer { c in
                        RandomTreeWorkspace.countClasses(lab, start, end, k: k, column: nil, threshold: 0, tables: tables, into: c.baseAddress!)
                    }
                }
                impurity = self.impurity(counts, total, entropy: entropy)
            } else {
                var s = 0.0
                for i in start..<end { s += (weighted ? wt[i] : 1) * tgt[i] }
                mean = s / total
                var v = 0.0
                for i in start..<end { v += (weighted ? wt[i] : 1) * (tgt[i] - mean) * (tgt[i] - mean) }
                impurity = v / total
                for i in start..<end { let w = weighted ? wt[i] : 1, y = tgt[i]; sumTotal += w * y; sqTotal += w * y * y }
            }
            if parent < 0 { rootWeight = total }
            // A node's value is kept only if it stays a leaf (nothing reads an inner node's; `TreeModel.value`).
            tree.feature.append(-1); tree.threshold.append(0); tree.left.append(-1); tree.right.append(-1); tree.value.append([])
            let canSplit = count >= settings.minSamplesSplit && count >= 2 * minLeaf
                && (settings.maxDepth.map { depth < $0 } ?? true) && impurity > 1e-12
            guard canSplit else { tree.value[id] = classification ? counts.map { $0 / total } : [mean]; continue }
            // The random splitter.
            for f in 0..<d { order[f] = f }
            order.shuffle(using: &rng)
            var best: (feature: Int, threshold: Double, decrease: Double, countLeft: Int)?
            var tried = 0
            for f in order where tried < wanted {
                let (column, lo, hi) = valuesAndRange(of: f)
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
                            countLeft = RandomTreeWorkspace.countClasses(lab, start, end, k: k, column: column, threshold: threshold, tables: tables, into: l.baseAddress!)
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
                if decrease > (best?.decrease ?? 1e-12) { best = (f, threshold, decrease, countLeft) }
            }
            guard let split = best else { tree.value[id] = classification ? counts.map { $0 / total } : [mean]; continue }
            tree.feature[id] = split.feature
            tree.threshold[id] = split.threshold
            tree.importance[split.feature] += total / rootWeight * split.decrease
            // Every node-ordered array moved once into the other copy, by the chosen split: the rows at or below the
            // threshold first, both sides keeping their order (the count is the splitter's, from the same comparisons).
            let chosen = values(of: split.feature), leftCount = split.countLeft
            var l = start, r = start + leftCount
            for i in start..<end { let s = chosen[i] <= split.threshold ? 1 : 0; dest[i] = s &* l &+ (1 &- s) &* r; l &+= s; r &+= 1 &- s }
            if gather {
                RandomTreeWorkspace.scatter(ix, idx0 + there * copy, start, end, destination: dest)
            } else {
                for f in 0..<d { RandomTreeWorkspace.scatter(col + f * m, col0 + there * columnCopy + f * m, start, end, destination: dest) }
            }
            if classification { RandomTreeWorkspace.scatter(lab, lab0 + there * copy, start, end, destination: dest) } else { RandomTreeWorkspace.scatter(tgt, tgt0 + there * copy, start, end, destination: dest) }
            if weighted { RandomTreeWorkspace.scatter(wt, wt0 + there * copy, start, end, destination: dest) }
            stack.append((start + leftCount, end, depth + 1, id, false))
            stack.append((start, start + leftCount, depth + 1, id, true))
        }
        let sum = tree.importance.reduce(0, +)
        if sum > 0 { tree.importance = tree.importance.map { $0 / sum } }
        return tree
    }
}
