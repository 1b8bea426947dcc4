import Foundation

/// A k-d tree over the training rows for exact nearest-neighbour queries in low dimensions: leaves of up to
/// 32 rows, split at the median of the widest feature. Search keeps the same (distance, row) order as the
/// brute-force scan, so results are identical to it, ties included.
final class KDTree: @unchecked Sendable {
    private let x: Matrix
    private var order: [Int]
    // Nodes: for a leaf, `start..<end` of `order`; for an inner node, split feature/value and children.
    private var start: [Int] = [], end: [Int] = [], feature: [Int] = [], split: [Double] = [], lower: [Int] = [], upper: [Int] = []
    private var boxLow: [[Double]] = [], boxHigh: [[Double]] = []
    static let leafSize = 32

    init(_ x: Matrix) {
        self.x = x
        order = Array(0..<x.rows)
        _ = build(0, x.rows)
    }

    private func build(_ lo: Int, _ hi: Int) -> Int {
        let id = start.count
        start.append(lo); end.append(hi); feature.append(-1); split.append(0); lower.append(-1); upper.append(-1)
        var low = [Double](repeating: .infinity, count: x.columns), high = [Double](repeating: -.infinity, count: x.columns)
        for i in lo..<hi { let r = order[i]; for j in 0..<x.columns { low[j] = min(low[j], x[r, j]); high[j] = max(high[j], x[r, j]) } }
        boxLow.append(low); boxHigh.append(high)
        guard hi - lo > KDTree.leafSize else { return id }
        var widest = 0
        for j in 1..<max(1, x.columns) where high[j] - low[j] > high[widest] - low[widest] { widest = j }
        guard high[widest] > low[widest] else { return id }
        let f = widest
        order[lo..<hi].sort { x[$0, f] < x[$1, f] }
        let mid = (lo + hi) / 2
        feature[id] = f
        split[id] = x[order[mid], f]
        let l = build(lo, mid)
        let u = build(mid, hi)
        lower[id] = l; upper[id] = u
        return id
    }

    /// The k nearest rows to query row `r` of `q`, closest first, with their (squared euclidean or manhattan) distances.
    func nearest(_ q: Matrix, row r: Int, k: Int, manhattan: Bool) -> ([Int], [Double]) {
        var heapD: [Double] = [], heapI: [Int] = []
        heapD.reserveCapacity(k); heapI.reserveCapacity(k)
        var stack = [0]
        while let node = stack.popLast() {
            // Lower bound on the distance from the query to anything in the node's box.
            var bound = 0.0
            for j in 0..<x.columns {
                let v = q[r, j]
                let gap = v < boxLow[node][j] ? boxLow[node][j] - v : (v > boxHigh[node][j] ? v - boxHigh[node][j] : 0)
                bound += manhattan ? gap : gap * gap
            }
            // Strictly farther than the current k-th: nothing inside can enter (equal distances may, by row order).
            if heapD.count == k, let worst = heapD.first, bound > worst { continue }
            if feature[node] < 0 {
                for i in start[node]..<end[node] {
                    let t = order[i]
                    var d = 0.0
                    for j in 0..<x.columns { let diff = q[r, j] - x[t, j]; d += manhattan ? abs(diff) : diff * diff }
                    if heapD.count < k { NeighbourSearch.push(&heapD, &heapI, d, t) }
                    else if NeighbourSearch.greater(heapD[0], heapI[0], d, t) { NeighbourSearch.replaceTop(&heapD, &heapI, d, t) }
                }
                continue
            }
            // Visit the nearer child first (pushed last).
            if q[r, feature[node]] <= split[node] { stack.append(upper[node]); stack.append(lower[node]) }
            else { stack.append(lower[node]); stack.append(upper[node]) }
        }
        return NeighbourSearch.sortedNeighbours(heapD, heapI)
    }
}
