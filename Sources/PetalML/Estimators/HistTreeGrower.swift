import Foundation
import PetalData

/// Buffers for growing histogram-boosting trees, made once per fit and reused by every tree: the sample's rows
/// in node order (a node is a range of them, partitioned in place as it splits), scratch for the partition, and the
/// node's gradients and hessians gathered into that order (so the histogram's eight or so passes over a node read
/// them contiguously, as scikit-learn's `ordered_gradients`).
final class HistWorkspace: @unchecked Sendable {
    let capacity: Int
    let order: UnsafeMutableBufferPointer<Int>
    let spare: UnsafeMutableBufferPointer<Int>
    let g: UnsafeMutableBufferPointer<Double>
    let h: UnsafeMutableBufferPointer<Double>

    init(rows: Int) {
        capacity = max(1, rows)
        order = .allocate(capacity: capacity); order.initialize(repeating: 0)
        spare = .allocate(capacity: capacity); spare.initialize(repeating: 0)
        g = .allocate(capacity: capacity); g.initialize(repeating: 0)
        h = .allocate(capacity: capacity); h.initialize(repeating: 0)
    }

    deinit { order.deallocate(); spare.deallocate(); g.deallocate(); h.deallocate() }
}

/// Grows one tree of histogram gradient boosting leaf-wise (best gain first) on binned features, as
/// scikit-learn's `TreeGrower`: split gain GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ), rows with a missing value tried on
/// either side, leaf values −lr·G/(H+λ). Both cores work inside each tree (scikit-learn's OpenMP loops): a large
/// node's histogram is built features in parallel and its rows partitioned in two halves at once; only the smaller
/// child's histogram is built, the larger one's is the parent's minus it. The children's gradient and hessian sums
/// are read off the split's histogram bins (no serial pass over the rows, as scikit-learn's `SplitInfo`). Every
/// sum adds in a fixed order (rows in the node's order, bins in bin order), so the trees do not depend on the
/// number of cores.
struct HistTreeGrower: Sendable {
    let binned: [UInt8]
    let rows: Int
    let features: Int
    let thresholds: [[Double]]
    let maxLeafNodes: Int?
    let maxDepth: Int?
    let minSamplesLeaf: Int
    let l2: Double
    let learningRate: Double
    /// Nodes with at least this many rows build histograms and partition in parallel.
    static let parallelRows = 4_096
    /// Per feature, per bin (256): gradient sum, hessian sum, row count.
    static let featureStride = 256 * 3

    /// A split and its left child's gradient and hessian sums (read off the histogram, as scikit-learn's
    /// `SplitInfo`, so no pass over the node's rows is needed for them).
    typealias Split = (feature: Int, bin: Int, missingLeft: Bool, gain: Double, gl: Double, hl: Double)

    struct Node {
        var start: Int, end: Int
        var g: Double, h: Double
        var depth: Int
        var id: Int
        var hist: [Double]
        var split: Split?
        var count: Int { end - start }
    }

    /// A grown tree: thresholds as numbers and missing-value directions, and each leaf's node and range of
    /// `workspace.order` (its rows, so the caller moves the training rows' scores without walking the tree).
    struct Grown {
        var tree: TreeModel
        var missingLeft: [Bool]
        var leaves: [(node: Int, range: Range<Int>)]
    }

    /// The gradient/hessian/count histogram of the rows `start..<end` of `ws.order`; with `identity` (the root of a
    /// tree grown on every row, whose order is 0, 1, 2, …) the rows are read directly, without gathering.
    func histogram(_ start: Int, _ end: Int, g: [Double], h: [Double], _ ws: HistWorkspace, identity: Bool = false) -> [Double] {
        var out = [Double](repeating: 0, count: features * Self.featureStride)
        let n = rows, stride = Self.featureStride, parallel = end - start >= Self.parallelRows
        out.withUnsafeMutableBufferPointer { ob in
            binned.withUnsafeBufferPointer { bb in
                guard let o = ob.baseAddress, let b = bb.baseAddress, let op = ws.order.baseAddress, let gp = ws.g.baseAddress, let hp = ws.h.baseAddress else { return }
                let shared = HistPointers(out: o, binned: b, order: op, g: gp, h: hp)
                // The node's gradients and hessians gathered into its order (two halves at once for a large node).
                g.withUnsafeBufferPointer { gb in
                    h.withUnsafeBufferPointer { hb in
                        guard let gs = gb.baseAddress, let hs = hb.baseAddress else { return }
                        let source = GradientPointers(g: UnsafeMutablePointer(mutating: gs), h: UnsafeMutablePointer(mutating: hs))
                        let build: @Sendable (Int) -> Void
                        if identity && start == 0 && end <= min(gb.count, hb.count, n) {
                            build = { f in
                                let hist = shared.out + f * stride, column = shared.binned + f * n
                                for i in 0..<end {
                                    let k = Int(column[i]) * 3
                                    hist[k] += source.g[i]; hist[k + 1] += source.h[i]; hist[k + 2] += 1
                                }
                            }
                        } else {
                            let gather: @Sendable (Range<Int>) -> Void = { range in
                                for i in range { let r = shared.order[i]; shared.g[i] = source.g[r]; shared.h[i] = source.h[r] }
                            }
                            let mid = start + (end - start) / 2
                            if parallel { DispatchQueue.concurrentPerform(iterations: 2) { gather($0 == 0 ? start..<mid : mid..<end) } } else { gather(start..<end) }
                            build = { f in
                                let hist = shared.out + f * stride, column = shared.binned + f * n
                                for i in start..<end {
                                    let k = Int(column[shared.order[i]]) * 3
                                    hist[k] += shared.g[i]; hist[k + 1] += shared.h[i]; hist[k + 2] += 1
                                }
                            }
                        }
                        if parallel { DispatchQueue.concurrentPerform(iterations: features, execute: build) } else { for f in 0..<features { build(f) } }
                    }
                }
            }
        }
        return out
    }

    /// Moves the rows of `start..<end` that go left of `split` to the front, both sides keeping their order; returns
    /// how many went left. A large node's two halves are partitioned at once, then the first half's right rows and
    /// the second half's left rows trade places.
    func partition(_ start: Int, _ end: Int, _ split: Split, _ ws: HistWorkspace) -> Int {
        guard let op = ws.order.baseAddress, let sp = ws.spare.baseAddress else { return 0 }
        return binned.withUnsafeBufferPointer { bb -> Int in
            guard let b = bb.baseAddress else { return 0 }
            let shared = PartitionPointers(binned: b + split.feature * rows, order: op, spare: sp)
            let bin = split.bin, missingLeft = split.missingLeft
            @Sendable func run(_ lo: Int, _ hi: Int) -> Int {
                var l = lo, r = lo
                for i in lo..<hi {
                    let row = shared.order[i], code = Int(shared.binned[row])
                    let s = (code == HistBinner.missingBin ? missingLeft : code <= bin) ? 1 : 0
                    shared.order[l] = row; shared.spare[r] = row
                    l &+= s; r &+= 1 &- s
                }
                (shared.order + l).update(from: shared.spare + lo, count: r - lo)
                return l - lo
            }
            guard end - start >= Self.parallelRows else { return run(start, end) }
            let mid = start + (end - start) / 2
            let lefts = ConcurrentSlots<Int>(2)
            DispatchQueue.concurrentPerform(iterations: 2) { half in lefts.set(half, half == 0 ? run(start, mid) : run(mid, end)) }
            let counts = lefts.slots
            let l0 = counts[0] ?? 0, l1 = counts[1] ?? 0, r0 = mid - start - l0
            // [L0 R0 L1 R1] → [L0 L1 R0 R1] (L1 moves down over R0, which waits in the scratch rows).
            sp.update(from: op + start + l0, count: r0)
            memmove(op + start + l0, op + mid, l1 * MemoryLayout<Int>.stride)
            (op + start + l0 + l1).update(from: sp, count: r0)
            return l0 + l1
        }
    }

    /// The tree for gradients `g` and hessians `h` of `sample`'s rows (its leaves' rows in `ws.order`).
    func grow(_ sample: [Int], g: [Double], h: [Double], workspace ws: HistWorkspace) -> Grown {
        var tree = TreeModel()
        tree.importance = [Double](repeating: 0, count: features)
        var missingLeft: [Bool] = []
        func add(_ value: Double) -> Int {
            tree.feature.append(-1); tree.threshold.append(0); tree.left.append(-1); tree.right.append(-1); tree.value.append([value])
            missingLeft.append(true)
            return tree.feature.count - 1
        }
        func leafValue(_ gs: Double, _ hs: Double) -> Double { -learningRate * gs / (hs + l2 + 1e-15) }
        let m = min(sample.count, ws.capacity)
        var identity = true
        for i in 0..<m { ws.order[i] = sample[i]; identity = identity && sample[i] == i }
        let rootHist = histogram(0, m, g: g, h: h, ws, identity: identity)
        // The root's sums from its first feature's bins (every row is in one of them), in bin order.
        var gRoot = 0.0, hRoot = 0.0
        if features > 0 { for b in 0..<256 { gRoot += rootHist[b * 3]; hRoot += rootHist[b * 3 + 1] } }
        var open: [Node] = [Node(start: 0, end: m, g: gRoot, h: hRoot, depth: 0, id: add(leafValue(gRoot, hRoot)), hist: rootHist)]
        open[0].split = bestSplit(open[0])
        var leaves = 1
        while maxLeafNodes.map({ leaves < $0 }) ?? true {
            guard let pick = open.indices.filter({ open[$0].split != nil }).max(by: { (open[$0].split?.gain ?? 0) < (open[$1].split?.gain ?? 0) }),
                  let split = open[pick].split else { break }
            var node = open.remove(at: pick)
            let leftCount = partition(node.start, node.end, split, ws)
            let mid = node.start + leftCount
            let gl = split.gl, hl = split.hl, gr = node.g - gl, hr = node.h - hl
            tree.feature[node.id] = split.feature
            tree.threshold[node.id] = thresholds[split.feature][safe: split.bin] ?? .infinity
            missingLeft[node.id] = split.missingLeft
            tree.importance[split.feature] += split.gain
            let l = add(leafValue(gl, hl)), r = add(leafValue(gr, hr))
            tree.left[node.id] = l; tree.right[node.id] = r
            leaves += 1
            // The smaller child's histogram from its rows; the larger one's by subtraction from the parent's.
            let leftSmaller = leftCount <= node.end - mid
            let small = leftSmaller ? histogram(node.start, mid, g: g, h: h, ws) : histogram(mid, node.end, g: g, h: h, ws)
            var large = node.hist
            node.hist = []
            for i in large.indices { large[i] -= small[i] }
            for child in [Node(start: node.start, end: mid, g: gl, h: hl, depth: node.depth + 1, id: l, hist: leftSmaller ? small : large),
                          Node(start: mid, end: node.end, g: gr, h: hr, depth: node.depth + 1, id: r, hist: leftSmaller ? large : small)] {
                var c = child
                c.split = bestSplit(c)
                open.append(c)
            }
        }
        let sum = tree.importance.reduce(0, +)
        if sum > 0 { tree.importance = tree.importance.map { $0 / sum } }
        for node in tree.feature.indices where tree.feature[node] >= 0 { tree.value[node] = [] }   // leaves keep values (`TreeModel.value`)
        return Grown(tree: tree, missingLeft: missingLeft, leaves: open.map { ($0.id, $0.start..<$0.end) })   // what is still open is a leaf
    }

    /// The best (feature, bin, missing side) split of a node, or nil (depth, size, or no positive gain).
    func bestSplit(_ node: Node) -> Split? {
        if let maxDepth, node.depth >= maxDepth { return nil }
        let n = node.count
        guard n >= 2 * minSamplesLeaf else { return nil }
        let parent = node.g * node.g / (node.h + l2)
        var best: Split?
        node.hist.withUnsafeBufferPointer { hist in
            for f in 0..<features {
                let o = f * Self.featureStride
                let bins = thresholds[f].count + 1, missing = o + HistBinner.missingBin * 3
                let mg = hist[missing], mh = hist[missing + 1], mc = Int(hist[missing + 2].rounded())
                // Missing rows on the right (scan left to right), then on the left; with none, the larger child takes them.
                for missingLeft in [false, true] where mc > 0 || !missingLeft {
                    var gl = missingLeft ? mg : 0, hl = missingLeft ? mh : 0, cl = missingLeft ? mc : 0
                    for b in 0..<(bins - 1) {
                        gl += hist[o + b * 3]; hl += hist[o + b * 3 + 1]; cl += Int(hist[o + b * 3 + 2].rounded())
                        let cr = n - cl
                        guard cl >= minSamplesLeaf else { continue }
                        if cr < minSamplesLeaf { break }
                        let hr = node.h - hl, gr = node.g - gl
                        guard hl >= 1e-3, hr >= 1e-3 else { continue }
                        let gain = gl * gl / (hl + l2) + gr * gr / (hr + l2) - parent
                        if gain > (best?.gain ?? 1e-12) { best = (f, b, mc > 0 ? missingLeft : cl > cr, gain, gl, hl) }
                    }
                }
            }
        }
        return best
    }
}

/// The histogram's buffers as seen by parallel workers (each writes only its own features' part of `out`).
struct HistPointers: @unchecked Sendable {
    let out: UnsafeMutablePointer<Double>
    let binned: UnsafePointer<UInt8>
    let order: UnsafeMutablePointer<Int>
    let g: UnsafeMutablePointer<Double>
    let h: UnsafeMutablePointer<Double>
}

/// The partition's buffers as seen by its two workers (each works on its own half of a node's range).
struct PartitionPointers: @unchecked Sendable {
    let binned: UnsafePointer<UInt8>
    let order: UnsafeMutablePointer<Int>
    let spare: UnsafeMutablePointer<Int>
}
