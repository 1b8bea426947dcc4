import Foundation
import PetalData

/// Brute-force k-nearest-neighbour search: a bounded max-heap per query (O(n·log k), no full sort), queries
/// split across all cores. Ties at equal distance keep the earlier training row, as a stable sort would.
enum NeighbourSearch {
    /// For each query row, the indices of its k nearest training rows (closest first) and their distances
    /// (squared euclidean, or manhattan).
    static func nearest(_ q: Matrix, in x: Matrix, k: Int, manhattan: Bool) -> (indices: [[Int]], distances: [[Double]]) {
        // A k-d tree pays in few dimensions on many rows (as scikit-learn's 'auto' choice); else scan.
        let tree = x.columns <= 15 && x.rows >= 512 && q.rows >= 16 ? KDTree(x) : nil
        let chunks = max(1, min(q.rows, ProcessInfo.processInfo.activeProcessorCount * 4))
        let slots = ConcurrentSlots<[(Int, [Int], [Double])]>(chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = q.rows * c / chunks, hi = q.rows * (c + 1) / chunks
            var results: [(Int, [Int], [Double])] = []
            var heapD = [Double](), heapI = [Int]()
            heapD.reserveCapacity(k); heapI.reserveCapacity(k)
            for r in lo..<hi {
                let (i, d) = tree?.nearest(q, row: r, k: k, manhattan: manhattan)
                    ?? scan(q, row: r, in: x, k: k, manhattan: manhattan, heapD: &heapD, heapI: &heapI)
                results.append((r, i, d))
            }
            slots.set(c, results)
        }
        var indices = [[Int]](repeating: [], count: q.rows), distances = [[Double]](repeating: [], count: q.rows)
        for chunk in slots.values { for (r, i, d) in chunk { indices[r] = i; distances[r] = d } }
        return (indices, distances)
    }

    /// The k nearest training rows to query row `r` by scanning them all.
    static func scan(_ q: Matrix, row r: Int, in x: Matrix, k: Int, manhattan: Bool,
                     heapD: inout [Double], heapI: inout [Int]) -> ([Int], [Double]) {
        heapD.removeAll(keepingCapacity: true); heapI.removeAll(keepingCapacity: true)
        for i in 0..<x.rows {
            var d = 0.0
            for j in 0..<x.columns {
                let t = q[r, j] - x[i, j]
                d += manhattan ? abs(t) : t * t
            }
            if heapD.count < k { push(&heapD, &heapI, d, i) } else if greater(heapD[0], heapI[0], d, i) { replaceTop(&heapD, &heapI, d, i) }
        }
        return sortedNeighbours(heapD, heapI)
    }

    /// Heap contents in (distance, row) order.
    static func sortedNeighbours(_ heapD: [Double], _ heapI: [Int]) -> ([Int], [Double]) {
        let order = heapD.indices.sorted { heapD[$0] != heapD[$1] ? heapD[$0] < heapD[$1] : heapI[$0] < heapI[$1] }
        return (order.map { heapI[$0] }, order.map { heapD[$0] })
    }

    /// Max-heap on (distance, index): the root is the farthest (and, on ties, the latest) kept neighbour.
    @inline(__always)
    static func greater(_ d1: Double, _ i1: Int, _ d2: Double, _ i2: Int) -> Bool { d1 != d2 ? d1 > d2 : i1 > i2 }

    static func push(_ d: inout [Double], _ ix: inout [Int], _ dist: Double, _ i: Int) {
        d.append(dist); ix.append(i)
        var c = d.count - 1
        while c > 0 {
            let p = (c - 1) / 2
            guard greater(d[c], ix[c], d[p], ix[p]) else { break }
            d.swapAt(c, p); ix.swapAt(c, p); c = p
        }
    }

    static func replaceTop(_ d: inout [Double], _ ix: inout [Int], _ dist: Double, _ i: Int) {
        d[0] = dist; ix[0] = i
        var p = 0
        let n = d.count
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < n && greater(d[l], ix[l], d[m], ix[m]) { m = l }
            if r < n && greater(d[r], ix[r], d[m], ix[m]) { m = r }
            if m == p { break }
            d.swapAt(p, m); ix.swapAt(p, m); p = m
        }
    }
}
