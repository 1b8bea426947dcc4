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
    /// (each row's sum still adds the trees in order, so the result does not depend on the split).
    static func average(_ trees: [TreeModel], _ x: Matrix, width: Int) -> Matrix {
        let blocks = x.rows * trees.count >= 100_000 ? max(1, min(ProcessInfo.processInfo.activeProcessorCount, x.rows / 1_000)) : 1
        let per = (x.rows + blocks - 1) / max(1, blocks)
        let box = ConcurrentSlots<Matrix>(blocks)
        let work: @Sendable (Int) -> Void = { b in
            let part = blocks == 1 ? x : x.rows(Array((b * per)..<min(x.rows, (b + 1) * per)))
            var out = Matrix(rows: part.rows, columns: width)
            for tree in trees { tree.accumulate(part, into: &out) }
            box.set(b, out)
        }
        if blocks > 1 { DispatchQueue.concurrentPerform(iterations: blocks, execute: work) } else { work(0) }
        var out = Matrix(rows: x.rows, columns: width, values: box.values.flatMap(\.values))
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
