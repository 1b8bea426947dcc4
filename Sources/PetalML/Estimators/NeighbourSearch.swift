import Foundation
import PetalData

/// The k nearest training rows of each query row, closest first: row r's are at `r*k ..< (r+1)*k` of `indices`,
/// with their distances (squared euclidean, or manhattan) at the same places. Ties at equal distance keep the
/// lower training row, as a stable sort would.
struct Neighbours: Sendable {
    let k: Int
    var indices: [Int]
    var distances: [Double]

    func indices(of r: Int) -> ArraySlice<Int> { indices[(r * k)..<((r + 1) * k)] }
    func distances(of r: Int) -> ArraySlice<Double> { distances[(r * k)..<((r + 1) * k)] }
}

/// Exact k-nearest-neighbour search, the algorithm picked by shape as scikit-learn's `algorithm='auto'` does: a
/// k-d tree in few dimensions, else brute force (blocked matrix products for euclidean distances). Every method
/// returns the same neighbours: the same distance sums, and the same (distance, row) order.
enum NeighbourSearch {
    enum Method: CaseIterable, Sendable { case kdTree, blocked, scan }

    /// scikit-learn's `auto`: a k-d tree with at most 15 features when k is below half the training rows; brute
    /// force otherwise — blocked matrix products for euclidean distances, a plain scan for manhattan ones. Tiny
    /// problems (a few hundred rows, a handful of queries) scan: there a tree does not pay for its building.
    static func method(rows: Int, columns: Int, queries: Int, k: Int, manhattan: Bool) -> Method {
        if columns >= 1, columns <= 15, k < rows / 2, rows >= 512, queries >= 16 { return .kdTree }
        return manhattan || columns == 0 || rows * queries < 4096 ? .scan : .blocked
    }

    /// The k nearest rows of `x` to every row of `q`, by `method` (default: by shape). Query rows are split
    /// across all cores; each row's result does not depend on the split.
    static func nearest(_ q: Matrix, in x: Matrix, k: Int, manhattan: Bool, method: Method? = nil) -> Neighbours {
        let k = max(0, min(k, x.rows))
        var indices = [Int](repeating: 0, count: q.rows * k), distances = [Double](repeating: .infinity, count: q.rows * k)
        // Widths are checked before a model predicts (`validate`, `checkInput`); a mismatch finds nothing.
        guard q.rows > 0, k > 0, q.columns == x.columns else { return Neighbours(k: k, indices: indices, distances: distances) }
        let chosen = method ?? Self.method(rows: x.rows, columns: x.columns, queries: q.rows, k: k, manhattan: manhattan)
        let search: any QuerySearch
        switch chosen {
        case .kdTree: search = KDTree(x)
        case .blocked where !manhattan: search = BlockedSearch(x)
        case .blocked, .scan: search = ScanSearch(x: x)
        }
        // Ranges of whole blocks of rows, several per core so a slow range does not leave a core idle.
        let block = 64
        let blocks = (q.rows + block - 1) / block
        let ranges = max(1, min(blocks, ProcessInfo.processInfo.activeProcessorCount * 8))
        indices.withUnsafeMutableBufferPointer { ib in
            distances.withUnsafeMutableBufferPointer { db in
                guard let ip = ib.baseAddress, let dp = db.baseAddress else { return }
                let sink = NeighbourSink(indices: ip, distances: dp, k: k)
                DispatchQueue.concurrentPerform(iterations: ranges) { c in
                    let lo = min(q.rows, blocks * c / ranges * block), hi = min(q.rows, blocks * (c + 1) / ranges * block)
                    if lo < hi { search.search(q, rows: lo..<hi, k: k, manhattan: manhattan, into: sink) }
                }
            }
        }
        return Neighbours(k: k, indices: indices, distances: distances)
    }

    /// Σ (a[j] - b[j])², or Σ |a[j] - b[j]|, summed in feature order: the one distance every method computes, so
    /// equal distances are equal bit for bit whichever method found them.
    @inline(__always)
    static func distance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ m: Int, manhattan: Bool) -> Double {
        var s = 0.0
        if manhattan {
            for j in 0..<m { s += abs(a[j] - b[j]) }
        } else {
            for j in 0..<m { let t = a[j] - b[j]; s += t * t }
        }
        return s
    }

    /// The euclidean `distance` from `a` to four rows at once: each sum in feature order, bit for bit the one
    /// `distance` gives, the four independent so their adds overlap (one sum waits on each add's latency).
    @inline(__always)
    static func distances4(_ a: UnsafePointer<Double>, _ b0: UnsafePointer<Double>, _ b1: UnsafePointer<Double>,
                           _ b2: UnsafePointer<Double>, _ b3: UnsafePointer<Double>, _ m: Int) -> (Double, Double, Double, Double) {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        for j in 0..<m {
            let t0 = a[j] - b0[j], t1 = a[j] - b1[j], t2 = a[j] - b2[j], t3 = a[j] - b3[j]
            s0 += t0 * t0; s1 += t1 * t1; s2 += t2 * t2; s3 += t3 * t3
        }
        return (s0, s1, s2, s3)
    }
}

/// One search method over fixed training rows: finds the neighbours of query rows `rows` and writes them to `sink`.
protocol QuerySearch: Sendable {
    func search(_ q: Matrix, rows: Range<Int>, k: Int, manhattan: Bool, into sink: NeighbourSink)
}

/// Where the searches write: the result buffers of `NeighbourSearch.nearest`, each query row written by exactly
/// one worker (its rows' ranges do not overlap).
struct NeighbourSink: @unchecked Sendable {
    let indices: UnsafeMutablePointer<Int>
    let distances: UnsafeMutablePointer<Double>
    let k: Int

    /// Empties `heap` into query row `r`'s places, closest first.
    func write(_ r: Int, _ heap: inout NeighbourHeap) { heap.drain(into: indices + r * k, distances + r * k) }
}

/// Brute force by a direct scan of every training row (manhattan distances, and tiny problems).
struct ScanSearch: QuerySearch {
    let x: Matrix

    func search(_ q: Matrix, rows: Range<Int>, k: Int, manhattan: Bool, into sink: NeighbourSink) {
        var heap = NeighbourHeap(k: k)
        defer { heap.deallocate() }
        let m = x.columns, n = x.rows
        q.values.withUnsafeBufferPointer { qb in
            x.values.withUnsafeBufferPointer { xb in
                guard let qp = qb.baseAddress, let xp = xb.baseAddress else {
                    // No features: every row is at distance 0, the first k rows win.
                    for r in rows { for i in 0..<n { heap.offer(0, i) }; sink.write(r, &heap) }
                    return
                }
                for r in rows {
                    let row = qp + r * m
                    for i in 0..<n { heap.offer(NeighbourSearch.distance(row, xp + i * m, m, manhattan: manhattan), i) }
                    sink.write(r, &heap)
                }
            }
        }
    }
}

/// A bounded max-heap of (distance, row) for one query (O(n·log k), no full sort): the root is the farthest kept
/// neighbour and, among equally far ones, the latest row; a row enters when it is closer than the root, or as
/// close and earlier. The buffers are the caller's to `deallocate`.
struct NeighbourHeap {
    let k: Int
    private(set) var count = 0
    private let d: UnsafeMutablePointer<Double>
    private let ix: UnsafeMutablePointer<Int>

    init(k: Int) {
        self.k = k
        d = .allocate(capacity: max(1, k)); ix = .allocate(capacity: max(1, k))
    }

    func deallocate() { d.deallocate(); ix.deallocate() }

    /// The distance a row may not exceed to enter: the root's once k rows are kept, infinity before.
    var worst: Double { count < k ? .infinity : d[0] }

    @inline(__always)
    static func greater(_ d1: Double, _ i1: Int, _ d2: Double, _ i2: Int) -> Bool { d1 != d2 ? d1 > d2 : i1 > i2 }

    /// Keeps row `i` at `dist` if it is among the k nearest so far.
    @inline(__always)
    mutating func offer(_ dist: Double, _ i: Int) {
        if count < k {
            var c = count
            count += 1
            while c > 0 {
                let p = (c - 1) / 2
                guard Self.greater(dist, i, d[p], ix[p]) else { break }
                d[c] = d[p]; ix[c] = ix[p]; c = p
            }
            d[c] = dist; ix[c] = i
        } else if Self.greater(d[0], ix[0], dist, i) {
            siftDown(dist, i, count: count)
        }
    }

    /// Puts (dist, i) at the root of the first `n` entries and moves it down to its place.
    private func siftDown(_ dist: Double, _ i: Int, count n: Int) {
        var p = 0
        while true {
            let l = 2 * p + 1
            guard l < n else { break }
            var c = l
            if l + 1 < n, Self.greater(d[l + 1], ix[l + 1], d[l], ix[l]) { c = l + 1 }
            guard Self.greater(d[c], ix[c], dist, i) else { break }
            d[p] = d[c]; ix[p] = ix[c]; p = c
        }
        d[p] = dist; ix[p] = i
    }

    /// Writes the kept rows in (distance, row) order to `indices`/`distances` (a heap sort) and empties the heap.
    mutating func drain(into indices: UnsafeMutablePointer<Int>, _ distances: UnsafeMutablePointer<Double>) {
        while count > 0 {
            let last = count - 1
            indices[last] = ix[0]; distances[last] = d[0]
            count = last
            if last > 0 { siftDown(d[last], ix[last], count: last) }
        }
    }
}
