import Foundation
import PetalData

/// Buffers for growing histogram-boosting trees, made once per fit and reused by every tree: the sample's rows
/// in node order (a node is a range of them, partitioned in place as it splits), scratch for the partition, the
/// tree's gradients and hessians as fixed-point integers by row (`HistFixedPoint`), and a node's gathered into its
/// order (so the histogram's eight or so passes over a node read them contiguously, as scikit-learn's
/// `ordered_gradients`).
final class HistWorkspace: @unchecked Sendable {
    let capacity: Int
    let order: UnsafeMutableBufferPointer<Int>
    let spare: UnsafeMutableBufferPointer<Int>
    let rowG: UnsafeMutableBufferPointer<Int64>
    let rowH: UnsafeMutableBufferPointer<Int64>
    let g: UnsafeMutableBufferPointer<Int64>
    let h: UnsafeMutableBufferPointer<Int64>

    /// Histogram buffers, reused by every node of every tree: a fresh array per node was, on wide data, a 0.6 MB
    /// allocation the kernel mapped, faulted in and zeroed each time (a third of the fit's time went to the kernel).
    /// Every buffer holds `histogramCount` values.
    private var spareHistograms: [UnsafeMutablePointer<Int64>] = []
    private var histogramCount = 0

    /// A histogram buffer of `count` values (not zeroed: `histogram` clears each feature's part as it fills it), to
    /// be given back with `giveBack`.
    func takeHistogram(count: Int) -> UnsafeMutablePointer<Int64> {
        if count != histogramCount {
            for p in spareHistograms { p.deallocate() }
            spareHistograms = []
            histogramCount = count
        }
        return spareHistograms.popLast() ?? UnsafeMutablePointer<Int64>.allocate(capacity: max(1, count))
    }

    /// Returns a buffer from `takeHistogram` for reuse.
    func giveBack(_ p: UnsafeMutablePointer<Int64>, count: Int) {
        if count == histogramCount { spareHistograms.append(p) } else { p.deallocate() }
    }

    init(rows: Int) {
        capacity = max(1, rows)
        order = .allocate(capacity: capacity); order.initialize(repeating: 0)
        spare = .allocate(capacity: capacity); spare.initialize(repeating: 0)
        rowG = .allocate(capacity: capacity); rowG.initialize(repeating: 0)
        rowH = .allocate(capacity: capacity); rowH.initialize(repeating: 0)
        g = .allocate(capacity: capacity); g.initialize(repeating: 0)
        h = .allocate(capacity: capacity); h.initialize(repeating: 0)
    }

    deinit {
        order.deallocate(); spare.deallocate(); rowG.deallocate(); rowH.deallocate(); g.deallocate(); h.deallocate()
        for p in spareHistograms { p.deallocate() }
    }
}

/// Grows one tree of histogram gradient boosting leaf-wise (best gain first) on binned features, as
/// scikit-learn's `TreeGrower`: split gain GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ), rows with a missing value tried on
/// either side, leaf values −lr·G/(H+λ). Both cores work inside each tree (scikit-learn's OpenMP loops): a large
/// node's histogram is built features in parallel and its rows partitioned in two halves at once; only the smaller
/// child's histogram is built, the larger one's is the parent's minus it. The children's gradient and hessian sums
/// are read off the split's histogram bins (no serial pass over the rows, as scikit-learn's `SplitInfo`). Every
/// sum is of fixed-point integers (`HistFixedPoint`), exact in any order, so the trees depend neither on the
/// number of cores nor on the order anything is added in, and equal gains are equal to the last bit.
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
    /// Nodes with at least this many rows × features build their histogram's features in parallel.
    static let parallelCells = 32_768
    /// Per feature, per bin (256): gradient sum, hessian sum (fixed point), row count.
    static let featureStride = 256 * 3

    /// A split and its left child's gradient and hessian sums (read off the histogram, as scikit-learn's
    /// `SplitInfo`, so no pass over the node's rows is needed for them).
    typealias Split = (feature: Int, bin: Int, missingLeft: Bool, gain: Double, gl: Int64, hl: Int64)

    /// A tree's fixed-point scales (gradients, hessians).
    struct Units { let g: HistFixedPoint, h: HistFixedPoint }

    struct Node {
        var start: Int, end: Int
        var g: Int64, h: Int64
        var depth: Int
        var id: Int
        /// The node's histogram, a workspace buffer (`histogramCount` values), given back when the node is split or
        /// the tree is done.
        var hist: UnsafeMutablePointer<Int64>
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

    /// Builds into `out` the gradient/hessian/count histogram of the rows `start..<end` of `ws.order` (with
    /// `identity`, the root of a tree grown on every row, whose order is 0, 1, 2, …: the rows are read directly,
    /// without gathering), turns `parent` (when given) into `parent` − `out`, and then finds the best split of each of
    /// `nodes` (whose histograms are complete by then): all three feature by feature, with the features shared out
    /// once per split of the tree. (Handing out the histogram, the subtraction and each child's search separately
    /// left a core idle at every hand-out: a fifth of a wide fit.)
    func buildAndSearch(_ start: Int, _ end: Int, into out: UnsafeMutablePointer<Int64>, _ ws: HistWorkspace, identity: Bool = false,
                        parent: UnsafeMutablePointer<Int64>? = nil, nodes: [Node], units: Units) -> [Split?] {
        let n = rows, stride = Self.featureStride, parallel = end - start >= Self.parallelRows
        let searched = nodes.map { searchTarget($0, units) }
        let results = UnsafeMutableBufferPointer<Split?>.allocate(capacity: max(1, features * nodes.count))
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        // Features in parallel once a node has enough (row, feature) cells to share out, or many features to search:
        // on wide data a node of a few hundred rows is already more work than starting the workers.
        let parallelFeatures = parallel || (end - start) * features >= Self.parallelCells || features >= Self.parallelFeatures
        binned.withUnsafeBufferPointer { bb in
            guard let b = bb.baseAddress, let op = ws.order.baseAddress, let gp = ws.g.baseAddress, let hp = ws.h.baseAddress,
                  let rg = ws.rowG.baseAddress, let rh = ws.rowH.baseAddress, let rp = results.baseAddress else {
                out.initialize(repeating: 0, count: histogramCount)   // no rows: every bin empty
                return
            }
            let shared = HistPointers(out: out, binned: b, order: op, rowG: rg, rowH: rh, g: gp, h: hp)
            // `build(f, two)`: feature f's histogram, and f + 1's in the same pass over the rows when `two` (each row's
            // order, gradient and hessian read once for both).
            let build: @Sendable (Int, Bool) -> Void
            if identity && start == 0 && end <= min(ws.capacity, n) {
                build = { f, two in
                    let hist = shared.out + f * stride, column = shared.binned + f * n
                    hist.initialize(repeating: 0, count: two ? 2 * stride : stride)
                    if two {
                        let next = hist + stride, nextColumn = column + n
                        for i in 0..<end {
                            let g = shared.rowG[i], h = shared.rowH[i], k = Int(column[i]) &* 3, j = Int(nextColumn[i]) &* 3
                            hist[k] &+= g; hist[k + 1] &+= h; hist[k + 2] &+= 1
                            next[j] &+= g; next[j + 1] &+= h; next[j + 2] &+= 1
                        }
                    } else {
                        for i in 0..<end {
                            let k = Int(column[i]) &* 3
                            hist[k] &+= shared.rowG[i]; hist[k + 1] &+= shared.rowH[i]; hist[k + 2] &+= 1
                        }
                    }
                }
            } else {
                // The node's gradients and hessians gathered into its order (two halves at once for a large node).
                let gather: @Sendable (Range<Int>) -> Void = { range in
                    for i in range { let r = shared.order[i]; shared.g[i] = shared.rowG[r]; shared.h[i] = shared.rowH[r] }
                }
                let mid = start + (end - start) / 2
                if parallel { DispatchQueue.concurrentPerform(iterations: 2) { gather($0 == 0 ? start..<mid : mid..<end) } } else { gather(start..<end) }
                build = { f, two in
                    let hist = shared.out + f * stride, column = shared.binned + f * n
                    hist.initialize(repeating: 0, count: two ? 2 * stride : stride)
                    if two {
                        let next = hist + stride, nextColumn = column + n
                        for i in start..<end {
                            let r = shared.order[i], g = shared.g[i], h = shared.h[i], k = Int(column[r]) &* 3, j = Int(nextColumn[r]) &* 3
                            hist[k] &+= g; hist[k + 1] &+= h; hist[k + 2] &+= 1
                            next[j] &+= g; next[j + 1] &+= h; next[j + 2] &+= 1
                        }
                    } else {
                        for i in start..<end {
                            let k = Int(column[shared.order[i]]) &* 3
                            hist[k] &+= shared.g[i]; hist[k + 1] &+= shared.h[i]; hist[k + 2] &+= 1
                        }
                    }
                }
            }
            let large = parent.map { HistogramPointer(values: $0) }
            let features = self.features, slots = SplitSlots(values: rp)
            // Features two at a time.
            let perPair: @Sendable (Int) -> Void = { pair in
                let first = 2 * pair, count = min(2, features - first)
                build(first, count == 2)
                if let large {
                    let l = large.values + first * stride, s = shared.out + first * stride
                    for i in 0..<(count * stride) { l[i] &-= s[i] }
                }
                for f in first..<(first + count) {
                    for (j, target) in searched.enumerated() {
                        if let target { slots.values[j * features + f] = self.search(f, target) }
                    }
                }
            }
            let pairs = (features + 1) / 2
            if parallelFeatures { DispatchQueue.concurrentPerform(iterations: pairs, execute: perPair) } else { for p in 0..<pairs { perPair(p) } }
        }
        // Of equal gains (equal to the last bit: the sums are exact) the first in scan order wins: lower feature first,
        // so a later feature's best replaces the best so far only with a strictly larger gain, as in one scan.
        return nodes.indices.map { j in
            var best: Split?
            for f in 0..<features {
                if let found = results[j * features + f], found.gain > (best?.gain ?? -.infinity) { best = found }
            }
            return best
        }
    }

    /// Values in one node's histogram.
    var histogramCount: Int { features * Self.featureStride }

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

    /// The tree for gradients `g` and hessians `h` (by row) of `sample`'s rows (its leaves' rows in `ws.order`); nil
    /// when a gradient or hessian is not a finite number.
    func grow(_ sample: [Int], g: [Double], h: [Double], workspace ws: HistWorkspace) -> Grown? {
        guard g.count <= ws.capacity, h.count <= ws.capacity, g.count >= min(sample.count, ws.capacity), let rowG = ws.rowG.baseAddress,
              let rowH = ws.rowH.baseAddress, let gUnit = HistFixedPoint.quantize(g, into: rowG), let hUnit = HistFixedPoint.quantize(h, into: rowH) else { return nil }
        return grow(sample, units: Units(g: gUnit, h: hUnit), workspace: ws)
    }

    /// The tree for the gradients and hessians already in `ws.rowG` and `ws.rowH` (fixed point, in `units`).
    func grow(_ sample: [Int], units: Units, workspace ws: HistWorkspace) -> Grown {
        guard let rowG = ws.rowG.baseAddress, let rowH = ws.rowH.baseAddress else {
            return Grown(tree: TreeModel(), missingLeft: [], leaves: [])
        }
        var tree = TreeModel()
        tree.importance = [Double](repeating: 0, count: features)
        var missingLeft: [Bool] = []
        func add(_ value: Double) -> Int {
            tree.feature.append(-1); tree.threshold.append(0); tree.left.append(-1); tree.right.append(-1); tree.value.append([value])
            missingLeft.append(true)
            return tree.feature.count - 1
        }
        func leafValue(_ gs: Int64, _ hs: Int64) -> Double { -learningRate * units.g.value(gs) / (units.h.value(hs) + l2 + 1e-15) }
        let m = min(sample.count, ws.capacity)
        var identity = true
        for i in 0..<m { ws.order[i] = sample[i]; identity = identity && sample[i] == i }
        // The root's sums from its rows (the split search needs them as the histogram is built).
        var gRoot: Int64 = 0, hRoot: Int64 = 0
        for i in 0..<m { gRoot &+= rowG[ws.order[i]]; hRoot &+= rowH[ws.order[i]] }
        let rootHist = ws.takeHistogram(count: histogramCount)
        var open: [Node] = [Node(start: 0, end: m, g: gRoot, h: hRoot, depth: 0, id: add(leafValue(gRoot, hRoot)), hist: rootHist)]
        open[0].split = buildAndSearch(0, m, into: rootHist, ws, identity: identity, nodes: open, units: units)[0]
        var leaves = 1
        while maxLeafNodes.map({ leaves < $0 }) ?? true {
            // The open leaf of largest gain; of equal gains, the first opened.
            guard let pick = open.indices.filter({ open[$0].split != nil }).max(by: { (open[$0].split?.gain ?? 0) < (open[$1].split?.gain ?? 0) }),
                  let split = open[pick].split else { break }
            let node = open.remove(at: pick)
            let leftCount = partition(node.start, node.end, split, ws)
            let mid = node.start + leftCount
            let gl = split.gl, hl = split.hl, gr = node.g &- gl, hr = node.h &- hl
            tree.feature[node.id] = split.feature
            tree.threshold[node.id] = thresholds[split.feature][safe: split.bin] ?? .infinity
            missingLeft[node.id] = split.missingLeft
            tree.importance[split.feature] += split.gain
            let l = add(leafValue(gl, hl)), r = add(leafValue(gr, hr))
            tree.left[node.id] = l; tree.right[node.id] = r
            leaves += 1
            // The smaller child's histogram from its rows; the larger one's by subtraction from the parent's.
            let leftSmaller = leftCount <= node.end - mid
            let small = ws.takeHistogram(count: histogramCount)
            let large = node.hist   // the parent's buffer becomes the larger child's
            var children = [Node(start: node.start, end: mid, g: gl, h: hl, depth: node.depth + 1, id: l, hist: leftSmaller ? small : large),
                            Node(start: mid, end: node.end, g: gr, h: hr, depth: node.depth + 1, id: r, hist: leftSmaller ? large : small)]
            let splits = leftSmaller ? buildAndSearch(node.start, mid, into: small, ws, parent: large, nodes: children, units: units)
                                     : buildAndSearch(mid, node.end, into: small, ws, parent: large, nodes: children, units: units)
            for k in 0..<2 { children[k].split = splits[k]; open.append(children[k]) }
        }
        for node in open { ws.giveBack(node.hist, count: histogramCount) }
        let sum = tree.importance.reduce(0, +)
        if sum > 0 { tree.importance = tree.importance.map { $0 / sum } }
        for node in tree.feature.indices where tree.feature[node] >= 0 { tree.value[node] = [] }   // leaves keep values (`TreeModel.value`)
        return Grown(tree: tree, missingLeft: missingLeft, leaves: open.map { ($0.id, $0.start..<$0.end) })   // what is still open is a leaf
    }

    /// What the split search needs of a node, or nil when it cannot split (depth or size).
    struct SearchTarget: @unchecked Sendable {
        let hist: UnsafePointer<Int64>
        let n: Int, g: Int64, h: Int64
        let parentGain: Double
        let units: Units
    }

    func searchTarget(_ node: Node, _ units: Units) -> SearchTarget? {
        if let maxDepth, node.depth >= maxDepth { return nil }
        guard node.count >= 2 * minSamplesLeaf else { return nil }
        let gNode = units.g.value(node.g), hNode = units.h.value(node.h)
        return SearchTarget(hist: UnsafePointer(node.hist), n: node.count, g: node.g, h: node.h, parentGain: gNode * gNode / (hNode + l2), units: units)
    }

    /// The best (bin, missing side) split of feature `f` of a node, or nil (no positive gain). Of equal gains (equal
    /// to the last bit: the sums are exact) the first in scan order wins: missing values right before left, lower bin.
    func search(_ f: Int, _ t: SearchTarget) -> Split? {
        let hist = t.hist, n = t.n, nodeG = t.g, nodeH = t.h, parent = t.parentGain, units = t.units
        var best: Split?
        let o = f * Self.featureStride
        let bins = thresholds[f].count + 1, missing = o + HistBinner.missingBin * 3
        let mg = hist[missing], mh = hist[missing + 1], mc = Int(hist[missing + 2])
        // Missing rows on the right (scan left to right), then on the left; with none, the larger child takes them.
        for missingLeft in [false, true] where mc > 0 || !missingLeft {
            var gl: Int64 = missingLeft ? mg : 0, hl: Int64 = missingLeft ? mh : 0, cl = missingLeft ? mc : 0
            for b in 0..<(bins - 1) {
                // An empty bin moves nothing left (its sums are 0 too): the same split as bin b − 1, which was
                // already weighed (small nodes on wide data have most bins empty).
                let count = hist[o + b * 3 + 2]
                if count == 0 && b > 0 { continue }
                gl &+= hist[o + b * 3]; hl &+= hist[o + b * 3 + 1]; cl += Int(count)
                let cr = n - cl
                guard cl >= minSamplesLeaf else { continue }
                if cr < minSamplesLeaf { break }
                let gL = units.g.value(gl), hL = units.h.value(hl), gR = units.g.value(nodeG &- gl), hR = units.h.value(nodeH &- hl)
                guard hL >= 1e-3, hR >= 1e-3 else { continue }
                let gain = gL * gL / (hL + l2) + gR * gR / (hR + l2) - parent
                if gain > (best?.gain ?? 1e-12) { best = (f, b, mc > 0 ? missingLeft : cl > cr, gain, gl, hl) }
            }
        }
        return best
    }

    /// Nodes of data with at least this many features share out their features even when small.
    static let parallelFeatures = 32
}

/// The histogram's buffers as seen by parallel workers (each writes only its own features' part of `out`, or its own
/// rows of the gathered `g` and `h`).
struct HistPointers: @unchecked Sendable {
    let out: UnsafeMutablePointer<Int64>
    let binned: UnsafePointer<UInt8>
    let order: UnsafeMutablePointer<Int>
    let rowG: UnsafeMutablePointer<Int64>
    let rowH: UnsafeMutablePointer<Int64>
    let g: UnsafeMutablePointer<Int64>
    let h: UnsafeMutablePointer<Int64>
}

/// Each (node, feature)'s best split, written by the feature's worker.
struct SplitSlots: @unchecked Sendable {
    let values: UnsafeMutablePointer<HistTreeGrower.Split?>
}

/// A node's histogram as written by the subtraction's workers.
struct HistogramPointer: @unchecked Sendable {
    let values: UnsafeMutablePointer<Int64>
}

/// The partition's buffers as seen by its two workers (each works on its own half of a node's range).
struct PartitionPointers: @unchecked Sendable {
    let binned: UnsafePointer<UInt8>
    let order: UnsafeMutablePointer<Int>
    let spare: UnsafeMutablePointer<Int>
}
