import CKernels

/// Brute-force euclidean search where a tree does not prune (many features), in the manner of a GEMM kernel:
/// ‖q − x‖² = ‖q‖² + ‖x‖² − 2·q·x with the training rows' norms computed once, and the dot products of three query
/// rows against a block of training rows computed by `petal_dots3f` (CKernels: 6 × 48 sums in AVX-512 registers or
/// 3 × 24 in AVX2 ones, with FMA, where the CPU has them, else portably) in single precision, twice the products per
/// instruction of doubles. The training rows are packed once, as floats in blocks of `petal_dots_width()` rows
/// feature by feature (so the kernel reads memory in order), and shared by every worker.
///
/// That expansion only filters: a row whose expanded distance, less a bound on its rounding, exceeds the k-th kept
/// distance cannot enter; any other row gets its distance summed directly in double (`NeighbourSearch.distance`),
/// as the scan and the k-d tree do. The results are theirs exactly, ties included; only a few rows per query pass
/// the filter. For the bound to hold at any magnitude, every row (training or query) is scaled by a power of two
/// (exact) so its largest value is in [0.5, 1) before it is rounded to floats: no float overflows, and what
/// underflows is negligible against the row's norm (see `slack`).
struct BlockedSearch: QuerySearch {
    let x: Matrix
    /// ‖x_i‖² of each training row.
    let norms: [Double]
    /// Training row i's packed values times 2^e: the power of two that undoes its scaling, or NaN for a row whose
    /// norm is not finite (the filter passes it; its distance is summed directly).
    let scales: [Double]
    /// The scaled training rows as floats: feature j of row i = t·W + l at (t·m + j)·W + l, W = `width`; padding
    /// rows are zeros.
    let packed: [Float]
    /// Training rows per packed block: the kernel's preferred width when the rows were packed.
    let width: Int
    /// Training rows per panel (a multiple of the kernel's block width): a panel of them stays in cache while a
    /// range of query rows sweeps it.
    let panelRows: Int

    init(_ x: Matrix) {
        self.x = x
        let m = x.columns, n = x.rows, w = petal_dots_width()
        let blocks = (n + w - 1) / w
        var norms = [Double](repeating: 0, count: n), scales = [Double](repeating: 1, count: n)
        var packed = [Float](repeating: 0, count: blocks * m * w)
        x.values.withUnsafeBufferPointer { xb in
            guard let xp = xb.baseAddress else { return }
            packed.withUnsafeMutableBufferPointer { pb in
                guard let pp = pb.baseAddress else { return }
                for i in 0..<n {
                    let row = xp + i * m, block = pp + (i / w) * m * w + i % w
                    norms[i] = VectorKernels.sumOfSquares(row, m)
                    scales[i] = Self.scale(row, m, norm: norms[i])
                    let s = scales[i].isNaN ? 1 : scales[i]
                    for j in 0..<m { block[j * w] = Float(row[j] / s) }
                }
            }
        }
        self.norms = norms; self.scales = scales; self.packed = packed; width = w
        panelRows = max(w, min(1032, 32_768 / max(1, m)) / w * w)
    }

    /// The power of two 2^e with max|row[j]| / 2^e in [0.5, 1) (1 for a row of zeros), or NaN when the row's
    /// squared norm is not finite (then no float scaling bounds its rounding). A finite norm keeps e ≤ 512.
    static func scale(_ row: UnsafePointer<Double>, _ m: Int, norm: Double) -> Double {
        guard norm.isFinite else { return .nan }
        var top = 0.0
        for j in 0..<m { top = max(top, abs(row[j])) }
        guard top > 0 else { return 1 }
        return Double(sign: .plus, exponent: top.exponent + 1, significand: 1)
    }

    /// The filter's relative margin on ‖q‖² + ‖x‖². The float dot product of the scaled, rounded rows is within
    /// (m + 2)·2⁻²⁴·Σ|q_j·x_j| ≤ (m + 2)·2⁻²⁴·(‖q‖² + ‖x‖²)/2 of the exact one (rounding the inputs: 2·2⁻²⁴; m
    /// roundings of the sum), plus at most 3m·2⁻¹²⁶ in scaled units for subnormals, which the scaling (both rows'
    /// norms ≥ 1/4 scaled) makes ≤ 3m·2⁻¹²⁵ of ‖q‖² + ‖x‖²; the double norms, the direct sum and the test itself
    /// round by O(m·2⁻⁵³) of it. Four times the float bound covers them all.
    static func slack(columns m: Int) -> Double { Double(m + 4) * 0x1p-22 }

    /// An absolute margin on the comparison for squares that underflow in double (values below ~1e-154): each
    /// of the O(m) double operations behind the norms, the direct sum and the test can lose at most 2⁻¹⁰⁷⁴ to it.
    static func underflowSlack(columns m: Int) -> Double { Double(4 * m + 16) * 0x1p-1074 }

    /// Query rows whose dot products are computed together (a multiple of 6, the AVX-512 kernel's rows): their
    /// floats (19 KB at 100 features) and one block of training rows (9.6 KB, or 19 KB 48 wide) stay in L1 while
    /// the kernel sweeps them.
    static let chunkRows = 48

    func search(_ q: Matrix, rows: Range<Int>, k: Int, manhattan: Bool, into sink: NeighbourSink) {
        var heaps = rows.map { _ in NeighbourHeap(k: k) }
        defer { for h in heaps { h.deallocate() } }
        let m = x.columns
        sweep(q, rows: rows) { a, p0, count, query, xp, next in
            var b = next(0, heaps[a].worst, count)
            while b < count {
                // The rows one at a time would be: offer b, then the next row that passes against the
                // bound after that offer, and so on. The next three that pass against the bound before
                // it are found first, and the four exact distances summed side by side (each bit for bit
                // `NeighbourSearch.distance`; four independent sums keep the adds busy). The bound only
                // falls, so the rows between them fail either way, and each of the three is offered only
                // if it still passes when its turn comes: the same offers, in the same order, as one at
                // a time. Should the bound not have fallen (NaN), the search goes on one at a time.
                let bound = heaps[a].worst
                let b1 = next(b + 1, bound, count)
                let b2 = b1 < count ? next(b1 + 1, bound, count) : count
                let b3 = b2 < count ? next(b2 + 1, bound, count) : count
                let first = xp + (p0 + b) * m
                func at(_ c: Int) -> UnsafePointer<Double> { c < count ? xp + (p0 + c) * m : first }
                let d = NeighbourSearch.distances4(query, first, at(b1), at(b2), at(b3), m)
                heaps[a].offer(d.0, p0 + b)
                var from = b + 1, inStep = true
                func take(_ c: Int, _ distance: Double) {
                    guard inStep, c < count else { return }
                    let now = heaps[a].worst
                    guard now <= bound else { inStep = false; return }
                    if next(c, now, c + 1) == c { heaps[a].offer(distance, p0 + c) }
                    from = c + 1
                }
                take(b1, d.1); take(b2, d.2); take(b3, d.3)
                b = inStep && b3 == count ? count : next(from, heaps[a].worst, count)
            }
        }
        for (a, r) in rows.enumerated() { sink.write(r, &heaps[a]) }
    }

    /// Every training row whose squared euclidean distance (`NeighbourSearch.distance`) to query row r of `rows` is
    /// at most `radius`, as `found(r, i)`, i ascending for each r: the rows a direct scan comparing each distance
    /// with `radius` finds. The filter passes every row that could be that close (its bound as in `search`, with
    /// `radius` as the k-th distance), and each row it passes has its distance summed directly.
    func within(_ q: Matrix, rows: Range<Int>, radius: Double, _ found: (Int, Int) -> Void) {
        let m = x.columns
        sweep(q, rows: rows) { a, p0, count, query, xp, next in
            var b = next(0, radius, count)
            while b < count {
                if NeighbourSearch.distance(query, xp + (p0 + b) * m, m, manhattan: false) <= radius { found(rows.lowerBound + a, p0 + b) }
                b = next(b + 1, radius, count)
            }
        }
    }

    /// The blocked sweep both searches share: the query rows `rows`, scaled and rounded as the training rows were,
    /// against a panel of training rows at a time, a chunk of query rows at a time, their float dot products made
    /// by `petal_dots3f`; then for each query row (its index a in `rows`) and panel (training rows p0..<p0+count),
    /// `visit(a, p0, count, query, x, next)` with the query row's values, the training rows' and
    /// `next(from, bound, to)`: the first panel row in from..<to (panel-relative) whose distance could be at most
    /// `bound`, or `to`.
    private func sweep(_ q: Matrix, rows: Range<Int>,
                       _ visit: (Int, Int, Int, UnsafePointer<Double>, UnsafePointer<Double>, (Int, Double, Int) -> Int) -> Void) {
        let m = x.columns, n = x.rows, tb = panelRows, w = width, chunk = Self.chunkRows
        let slack = Self.slack(columns: m), tiny = Self.underflowSlack(columns: m)
        // This range's query rows, scaled and rounded as the training rows were (`queryScales` holds 2·2^e), then
        // rows of zeros up to a multiple of 3 for the kernel's last triple.
        let padded = (rows.count + 2) / 3 * 3
        let queries = UnsafeMutablePointer<Float>.allocate(capacity: max(1, padded * m))
        let dots = UnsafeMutablePointer<Float>.allocate(capacity: chunk * tb)
        defer { queries.deallocate(); dots.deallocate() }
        (queries + rows.count * m).initialize(repeating: 0, count: (padded - rows.count) * m)
        q.values.withUnsafeBufferPointer { qb in
        x.values.withUnsafeBufferPointer { xb in
        norms.withUnsafeBufferPointer { nb in
        scales.withUnsafeBufferPointer { sb in
        packed.withUnsafeBufferPointer { pb in
            guard let qp = qb.baseAddress, let xp = xb.baseAddress, let nx = nb.baseAddress, let sx = sb.baseAddress,
                  let panels = pb.baseAddress else { return }
            var queryNorms = [Double](repeating: 0, count: rows.count), queryScales = queryNorms
            for a in 0..<rows.count {
                let row = qp + (rows.lowerBound + a) * m
                queryNorms[a] = VectorKernels.sumOfSquares(row, m)
                let s = Self.scale(row, m, norm: queryNorms[a])
                queryScales[a] = 2 * s
                let scaledBy = s.isNaN ? 1 : s
                for j in 0..<m { queries[a * m + j] = Float(row[j] / scaledBy) }
            }
            var p0 = 0
            while p0 < n {
                let count = min(tb, n - p0), blocks = (count + w - 1) / w
                let panel = panels + (p0 / w) * m * w
                var c0 = 0
                while c0 < rows.count {
                    let size = min(chunk, rows.count - c0)
                    // Dot products of the chunk's rows (row g at dots + g·tb) with each block of the panel.
                    for t in 0..<blocks { petal_dots3f(queries + c0 * m, (size + 2) / 3, m, panel + t * m * w, w, dots + t * w, tb) }
                    for g in 0..<size {
                        let a = c0 + g, query = qp + (rows.lowerBound + a) * m
                        let nq = queryNorms[a], qs = queryScales[a], row = dots + g * tb
                        visit(a, p0, count, query, xp) { from, bound, to in
                            petal_next_candidate(row, sx + p0, nx + p0, qs, nq, slack, bound + tiny, from, to)
                        }
                    }
                    c0 += size
                }
                p0 += count
            }
        }}}}}
    }
}
