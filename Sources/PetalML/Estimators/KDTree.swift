/// A k-d tree over the training rows for exact nearest-neighbour queries in few dimensions (scikit-learn's
/// `KDTree`): leaves of at most `leafSize` rows, split at the median of the widest feature (found by selection,
/// not a sort), every node with the tight box around its rows. Each leaf's rows are stored together, feature by
/// feature, so a leaf is scanned four rows at a time in SIMD lanes — each lane sums its row's distance in feature
/// order, the same sum as `NeighbourSearch.distance`. A node is skipped only when its box is strictly farther than
/// the k-th neighbour kept, so the results are those of the brute-force scan, ties included.
struct KDTree: QuerySearch {
    static let leafSize = 32
    let columns: Int
    /// Per node, in depth-first order (a node's lower child follows it): its rows `start..<end` of `order`, its
    /// upper child (-1 for a leaf), its box (`columns` lows then `columns` highs), and for a leaf where its rows
    /// start in `leafPoints` (-1 for an inner node).
    private let start: [Int], end: [Int], upper: [Int], box: [Double], leafOffset: [Int]
    /// Row of the training matrix at each tree position.
    private let order: [Int]
    /// Each leaf's rows, its count rounded up to a multiple of 4 (`stride`): feature j of its b-th row at
    /// `offset + j·stride + b`.
    private let leafPoints: [Double]
    private let depth: Int

    init(_ x: Matrix) {
        var b = Builder(x: x)
        x.values.withUnsafeBufferPointer { xb in
            guard let xp = xb.baseAddress else { return }
            b.build(xp, 0, x.rows, level: 0)
        }
        columns = x.columns
        start = b.start; end = b.end; upper = b.upper; box = b.box; order = b.order; depth = b.depth
        // Leaves' rows, feature-major within each leaf.
        var offsets = [Int](repeating: -1, count: b.start.count), total = 0
        for node in offsets.indices where b.upper[node] < 0 {
            offsets[node] = total
            total += (b.end[node] - b.start[node] + 3) / 4 * 4 * x.columns
        }
        var points = [Double](repeating: 0, count: total)
        for node in offsets.indices where b.upper[node] < 0 {
            let count = b.end[node] - b.start[node], stride = (count + 3) / 4 * 4
            for i in 0..<count {
                let row = b.order[b.start[node] + i]
                for j in 0..<x.columns { points[offsets[node] + j * stride + i] = x[row, j] }
            }
        }
        leafOffset = offsets; leafPoints = points
    }

    func search(_ q: Matrix, rows: Range<Int>, k: Int, manhattan: Bool, into sink: NeighbourSink) {
        let m = columns
        var heap = NeighbourHeap(k: k)
        defer { heap.deallocate() }
        // Nodes still to visit, with their boxes' distances; depth-first holds at most one per level and one more.
        var stackNode = [Int](repeating: 0, count: depth + 2), stackBound = [Double](repeating: 0, count: depth + 2)
        q.values.withUnsafeBufferPointer { qb in
        start.withUnsafeBufferPointer { startB in
        end.withUnsafeBufferPointer { endB in
        upper.withUnsafeBufferPointer { upperB in
        box.withUnsafeBufferPointer { boxB in
        leafOffset.withUnsafeBufferPointer { offsetB in
        order.withUnsafeBufferPointer { orderB in
        leafPoints.withUnsafeBufferPointer { pointsB in
            guard let qp = qb.baseAddress, let bx = boxB.baseAddress, let pts = pointsB.baseAddress else { return }
            for r in rows {
                let query = qp + r * m
                /// The distance from the query to the nearest point of `node`'s box.
                func boxDistance(_ node: Int) -> Double {
                    let low = bx + node * 2 * m, high = low + m
                    var s = 0.0
                    for j in 0..<m {
                        let v = query[j]
                        let gap = v < low[j] ? low[j] - v : (v > high[j] ? v - high[j] : 0)
                        s += manhattan ? gap : gap * gap
                    }
                    return s
                }
                var top = 1
                stackNode[0] = 0; stackBound[0] = boxDistance(0)
                while top > 0 {
                    top -= 1
                    let node = stackNode[top]
                    // Strictly farther than the k-th kept: nothing inside can enter (an equal distance may, by row).
                    if stackBound[top] > heap.worst { continue }
                    let up = upperB[node]
                    if up < 0 {
                        Self.scanLeaf(query, pts + offsetB[node], count: endB[node] - startB[node], m: m, manhattan: manhattan,
                                      rows: orderB.baseAddress.map { $0 + startB[node] }, heap: &heap)
                        continue
                    }
                    let lower = node + 1
                    let lowerBound = boxDistance(lower), upperBound = boxDistance(up)
                    let worst = heap.worst
                    // The nearer child is pushed last, so visited first.
                    if lowerBound <= upperBound {
                        if upperBound <= worst { stackNode[top] = up; stackBound[top] = upperBound; top += 1 }
                        stackNode[top] = lower; stackBound[top] = lowerBound; top += 1
                    } else {
                        if lowerBound <= worst { stackNode[top] = lower; stackBound[top] = lowerBound; top += 1 }
                        stackNode[top] = up; stackBound[top] = upperBound; top += 1
                    }
                }
                sink.write(r, &heap)
            }
        }}}}}}}}
    }

    /// Offers a leaf's rows to the heap, four at a time: lane b sums row b's distance feature by feature.
    @inline(__always)
    private static func scanLeaf(_ query: UnsafePointer<Double>, _ leaf: UnsafePointer<Double>, count: Int, m: Int, manhattan: Bool,
                                 rows: UnsafePointer<Int>?, heap: inout NeighbourHeap) {
        guard let rows else { return }
        let stride = (count + 3) / 4 * 4
        let raw = UnsafeRawPointer(leaf)
        var b = 0
        while b < count {
            var s = SIMD4<Double>()
            for j in 0..<m {
                let t = SIMD4<Double>(repeating: query[j]) - raw.loadUnaligned(fromByteOffset: (j * stride + b) * 8, as: SIMD4<Double>.self)
                s += manhattan ? pointwiseMax(t, -t) : t * t
            }
            let worst = heap.worst
            for lane in 0..<min(4, count - b) where s[lane] <= worst || s[lane].isNaN {
                heap.offer(s[lane], rows[b + lane])
            }
            b += 4
        }
    }

    /// Builds the nodes depth-first.
    private struct Builder {
        let m: Int
        var order: [Int]
        var keys: [Double]
        var start: [Int] = [], end: [Int] = [], upper: [Int] = [], box: [Double] = []
        var depth = 0

        init(x: Matrix) { m = x.columns; order = Array(0..<x.rows); keys = [Double](repeating: 0, count: x.rows) }

        mutating func build(_ x: UnsafePointer<Double>, _ lo: Int, _ hi: Int, level: Int) {
            let id = start.count
            depth = max(depth, level)
            start.append(lo); end.append(hi); upper.append(-1)
            let base = box.count
            box.append(contentsOf: repeatElement(Double.infinity, count: m))
            box.append(contentsOf: repeatElement(-Double.infinity, count: m))
            for i in lo..<hi {
                let row = x + order[i] * m
                for j in 0..<m { box[base + j] = min(box[base + j], row[j]); box[base + m + j] = max(box[base + m + j], row[j]) }
            }
            guard hi - lo > KDTree.leafSize, m > 0 else { return }
            var widest = 0
            for j in 1..<m where box[base + m + j] - box[base + j] > box[base + m + widest] - box[base + widest] { widest = j }
            // All rows equal: one leaf, however many.
            guard box[base + m + widest] > box[base + widest] else { return }
            let mid = (lo + hi) / 2
            select(x, lo, hi, nth: mid, feature: widest)
            build(x, lo, mid, level: level + 1)
            upper[id] = start.count
            build(x, mid, hi, level: level + 1)
        }

        /// Reorders `order[lo..<hi]` so position `nth` holds a row with the nth smallest value of feature `f`, no
        /// larger one before it and no smaller one after (quickselect; the three-way partition makes runs of equal
        /// values cost nothing).
        mutating func select(_ x: UnsafePointer<Double>, _ lo: Int, _ hi: Int, nth: Int, feature f: Int) {
            for i in lo..<hi { keys[i] = x[order[i] * m + f] }
            var a = lo, b = hi
            while b - a > 1 {
                let p1 = keys[a], p2 = keys[(a + b) / 2], p3 = keys[b - 1]
                let pivot = max(min(p1, p2), min(max(p1, p2), p3))
                var lt = a, i = a, gt = b - 1
                while i <= gt {
                    if keys[i] < pivot {
                        keys.swapAt(lt, i); order.swapAt(lt, i); lt += 1; i += 1
                    } else if keys[i] > pivot {
                        keys.swapAt(i, gt); order.swapAt(i, gt); gt -= 1
                    } else {
                        i += 1
                    }
                }
                if nth < lt { b = lt } else if nth > gt { a = gt + 1 } else { return }
            }
        }
    }
}
