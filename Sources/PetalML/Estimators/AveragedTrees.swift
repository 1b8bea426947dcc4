import Foundation
import PetalData

/// A fitted model that averages the leaf values of its trees: a decision tree (one tree) or a random forest.
/// Leaves hold class proportions (classification) or the mean target (regression).
public protocol AveragedTrees: FittedClassifier, FittedRegressor, ImpurityImportances {
    var trees: [TreeModel] { get }
    var regression: Bool { get }
    var classCount: Int { get }
}

extension AveragedTrees {
    public var task: LearningTask { regression ? .regression : .classification }

    public func predictProba(_ x: Matrix) -> Matrix { TreeAverage.average(trees, x, width: classCount) }

    public func predictValues(_ x: Matrix) -> [Double] { TreeAverage.average(trees, x, width: 1).values }

    public var impurityImportances: [Double] {
        var total = [Double](repeating: 0, count: trees.first?.importance.count ?? 0)
        for t in trees { for j in total.indices { total[j] += t.importance[safe: j] ?? 0 } }
        let s = total.reduce(0, +)
        return s > 0 ? total.map { $0 / s } : total
    }

    public func validate(width: Int, classes: Int) throws {
        guard !trees.isEmpty else { throw PetalError("it has no trees") }
        try Check.count(classCount, classes, "the class count")
        for t in trees { try t.validate(features: width, width: regression ? 1 : classCount) }
    }
}

/// Averaging trees' leaf values.
enum TreeAverage {
    /// The mean of the trees' leaf values per row; many rows × trees are split into blocks of rows on all cores
    /// (each row's sum still adds the trees in order, so the result does not depend on the split). A block of many
    /// rows walks each tree packed (`PackedTree`); a few rows walk the tree's arrays directly (packing costs a pass
    /// over the nodes).
    static func average(_ trees: [TreeModel], _ x: Matrix, width: Int) -> Matrix {
        let blocks = x.rows * trees.count >= 100_000 ? max(1, min(ProcessInfo.processInfo.activeProcessorCount, x.rows / 1_000)) : 1
        let per = (x.rows + blocks - 1) / max(1, blocks)
        var out = Matrix(rows: x.rows, columns: width)
        out.values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let sink = RowSink(values: base)
            let work: @Sendable (Int) -> Void = { b in
                let rows = (b * per)..<min(x.rows, (b + 1) * per)
                guard !rows.isEmpty else { return }
                for tree in trees {
                    if rows.count * 16 >= tree.feature.count {
                        PackedTree(tree, width: width).accumulate(x, rows: rows, into: sink.values, width: width)
                    } else {
                        tree.accumulate(x, rows: rows, into: sink.values, width: width)
                    }
                }
            }
            if blocks > 1 { DispatchQueue.concurrentPerform(iterations: blocks, execute: work) } else { work(0) }
        }
        let n = Double(max(1, trees.count))
        for i in out.values.indices { out.values[i] /= n }
        return out
    }
}

/// The output rows of `TreeAverage.average`, each written by exactly one worker (the blocks' rows do not overlap).
struct RowSink: @unchecked Sendable {
    let values: UnsafeMutablePointer<Double>
}

/// A tree packed for walking many rows: a node's feature, threshold and children in one 24-byte record (one memory
/// fetch per level instead of one per array), the leaves' values in one flat array, `width` per node. Children
/// that do not point further down the arrays (a damaged tree that skipped validation) make the node a leaf.
struct PackedTree {
    struct Node {
        var threshold: Double
        var feature: Int32
        var left: Int32
        var right: Int32
        /// Where a NaN goes (histogram boosting's trees learn it; other trees send it right, as `NaN <= t` is false).
        var missingLeft = false
    }
    var nodes: [Node]
    var values: [Double]

    /// - Parameter missingLeft: per node, whether a NaN goes left (histogram boosting); nil: right.
    init(_ tree: TreeModel, width: Int, missingLeft: [Bool]? = nil) {
        let n = min(tree.feature.count, tree.threshold.count, tree.left.count, tree.right.count, tree.value.count, Int(Int32.max))
        nodes = [Node](repeating: Node(threshold: 0, feature: -1, left: 0, right: 0), count: max(1, n))
        values = [Double](repeating: 0, count: max(1, n) * width)
        for i in 0..<n {
            let f = tree.feature[i], l = tree.left[i], r = tree.right[i]
            if f >= 0, f <= Int(Int32.max), l > i, l < n, r > i, r < n {
                nodes[i] = Node(threshold: tree.threshold[i], feature: Int32(f), left: Int32(l), right: Int32(r),
                                missingLeft: missingLeft?[safe: i] ?? false)
            }
            let v = tree.value[i]
            for c in 0..<min(width, v.count) { values[i * width + c] = v[c] }
        }
    }

    /// Adds the leaf value of each row in `rows` of `x` to `out` (`width` values per row, row r's at
    /// `out + (r - firstOutRow) * (stride ?? width)`). Four rows walk the tree together, so their nodes' memory
    /// fetches overlap.
    func accumulate(_ x: Matrix, rows: Range<Int>, into out: UnsafeMutablePointer<Double>, width: Int, stride: Int? = nil, firstOutRow: Int = 0) {
        let stride = stride ?? width
        let d = x.columns
        guard d > 0, x.values.count >= x.rows * d else { return }
        nodes.withUnsafeBufferPointer { nb in
            values.withUnsafeBufferPointer { vb in
                x.values.withUnsafeBufferPointer { xb in
                    guard let node = nb.baseAddress, let value = vb.baseAddress, let xv = xb.baseAddress else { return }
                    /// One step down from `i` for row `r` (a leaf stays put); features beyond the row's width end the walk.
                    @inline(__always) func step(_ i: Int32, _ r: Int) -> Int32 {
                        let nd = node[Int(i)]
                        guard nd.feature >= 0, Int(nd.feature) < d else { return i }
                        let v = xv[r * d + Int(nd.feature)]
                        return v <= nd.threshold || (nd.missingLeft && v.isNaN) ? nd.left : nd.right
                    }
                    @inline(__always) func add(_ leaf: Int32, _ r: Int) {
                        let v = value + Int(leaf) * width, o = out + (r - firstOutRow) * stride
                        for c in 0..<width { o[c] += v[c] }
                    }
                    @inline(__always) func isLeaf(_ i: Int32) -> Bool { let f = node[Int(i)].feature; return f < 0 || Int(f) >= d }
                    var r = rows.lowerBound
                    while r + 4 <= rows.upperBound {
                        var a: Int32 = 0, b: Int32 = 0, c: Int32 = 0, e: Int32 = 0
                        while !(isLeaf(a) && isLeaf(b) && isLeaf(c) && isLeaf(e)) {
                            a = step(a, r); b = step(b, r + 1); c = step(c, r + 2); e = step(e, r + 3)
                        }
                        add(a, r); add(b, r + 1); add(c, r + 2); add(e, r + 3)
                        r += 4
                    }
                    while r < rows.upperBound {
                        var a: Int32 = 0
                        while !isLeaf(a) { a = step(a, r) }
                        add(a, r)
                        r += 1
                    }
                }
            }
        }
    }
}

extension TreeModel {
    /// Adds the leaf value of each row in `rows` of `x` to `out` (`width` per row, row r at `out + r * width`).
    func accumulate(_ x: Matrix, rows: Range<Int>, into out: UnsafeMutablePointer<Double>, width: Int) {
        for r in rows {
            let v = value[leaf(x, row: r)], o = out + r * width
            for c in 0..<min(width, v.count) { o[c] += v[c] }
        }
    }

    /// Adds each row's leaf value to that row of `out` (no per-row allocation).
    func accumulate(_ x: Matrix, into out: inout Matrix, scale: Double = 1, column: Int? = nil) {
        for r in 0..<x.rows {
            let node = leaf(x, row: r)
            let v = value[node]
            if let column { out[r, column] += scale * (v.first ?? 0); continue }
            for c in 0..<min(out.columns, v.count) { out[r, c] += scale * v[c] }
        }
    }

    /// Throws unless the arrays agree in length, every split names a feature below `features`, every child
    /// index points further down the arrays (so a walk always ends at a leaf), and every leaf holds `width` values.
    func validate(features: Int, width: Int) throws {
        let n = feature.count
        guard n > 0 else { throw PetalError("a tree has no nodes") }
        guard threshold.count == n, left.count == n, right.count == n, value.count == n else {
            throw PetalError("a tree's node arrays differ in length (feature \(n), threshold \(threshold.count), left \(left.count), right \(right.count), value \(value.count))")
        }
        for node in 0..<n {
            if feature[node] >= 0 {
                guard feature[node] < features else { throw PetalError("tree node \(node) splits on feature \(feature[node]); the model has \(features)") }
                guard left[node] > node, left[node] < n, right[node] > node, right[node] < n else {
                    throw PetalError("tree node \(node) has children \(left[node]) and \(right[node]), outside \(node + 1)..<\(n)")
                }
            } else {
                guard feature[node] == -1 else { throw PetalError("tree node \(node) has feature \(feature[node])") }
                guard value[node].count >= width else { throw PetalError("tree leaf \(node) holds \(value[node].count) values, not \(width)") }
            }
        }
    }
}
