import CKernels

/// Brute-force euclidean search where a tree does not prune (many features), in the manner of a GEMM kernel:
/// ‖q − x‖² = ‖q‖² + ‖x‖² − 2·q·x with the training rows' norms computed once, and the dot products of three query
/// rows against a panel of training rows (packed in blocks of `PETAL_PANEL_WIDTH` rows, feature by feature, so the
/// kernel reads memory in order) computed by `petal_dots3` (CKernels: 3 × 12 sums in AVX2 registers with FMA
/// where the CPU has them, else portably).
///
/// That expansion rounds differently from the direct sum, so it only filters: a row whose expanded distance,
/// less a bound on the rounding of both forms, exceeds the k-th kept distance cannot enter; any other row gets its
/// distance summed directly (`NeighbourSearch.distance`), as the scan and the k-d tree do. The results are
/// theirs exactly, ties included; only a few rows per query pass the filter.
struct BlockedSearch: QuerySearch {
    let x: Matrix
    /// ‖x_i‖² of each training row.
    let norms: [Double]
    /// Training rows per panel (a multiple of the kernel's block width): a panel of them stays in cache while a
    /// range of query rows sweeps it.
    let panelRows: Int

    init(_ x: Matrix) {
        self.x = x
        let m = x.columns
        norms = x.values.withUnsafeBufferPointer { xb in
            guard let xp = xb.baseAddress else { return [Double](repeating: 0, count: x.rows) }
            return (0..<x.rows).map { VectorKernels.sumOfSquares(xp + $0 * m, m) }
        }
        let w = Int(PETAL_PANEL_WIDTH)
        panelRows = max(w, min(516, 16_384 / max(1, m)) / w * w)
    }

    func search(_ q: Matrix, rows: Range<Int>, k: Int, manhattan: Bool, into sink: NeighbourSink) {
        let m = x.columns, n = x.rows, tb = panelRows
        // |expanded − direct| ≤ (2m + 5)·u·(‖q‖² + ‖x‖²) for each form against the exact value (u = 2⁻⁵³); twice
        // that, with ulpOfOne = 2u, is a safe margin for both together.
        let slack = Double(4 * m + 16) * Double.ulpOfOne
        let panel = UnsafeMutablePointer<Double>.allocate(capacity: tb * m)
        let dots = UnsafeMutablePointer<Double>.allocate(capacity: 3 * tb)
        var heaps = rows.map { _ in NeighbourHeap(k: k) }
        defer { panel.deallocate(); dots.deallocate(); for h in heaps { h.deallocate() } }
        q.values.withUnsafeBufferPointer { qb in
        x.values.withUnsafeBufferPointer { xb in
        norms.withUnsafeBufferPointer { nb in
            guard let qp = qb.baseAddress, let xp = xb.baseAddress, let nx = nb.baseAddress else { return }
            let queryNorms = rows.map { VectorKernels.sumOfSquares(qp + $0 * m, m) }
            var p0 = 0
            while p0 < n {
                let w = Int(PETAL_PANEL_WIDTH)
                let count = min(tb, n - p0), blocks = (count + w - 1) / w
                // Packed: feature j of panel row b = t·w + l at (t·m + j)·w + l; padding rows are zeros.
                for t in 0..<blocks {
                    let block = panel + t * m * w
                    for l in 0..<w {
                        let b = t * w + l
                        if b < count {
                            let row = xp + (p0 + b) * m
                            for j in 0..<m { block[j * w + l] = row[j] }
                        } else {
                            for j in 0..<m { block[j * w + l] = 0 }
                        }
                    }
                }
                var a = 0
                while a < rows.count {
                    let group = min(3, rows.count - a)
                    // Rows past the end of the range repeat the last one; their dot products are not read.
                    let q0 = qp + (rows.lowerBound + a) * m
                    let q1 = qp + (rows.lowerBound + a + min(1, group - 1)) * m
                    let q2 = qp + (rows.lowerBound + a + min(2, group - 1)) * m
                    petal_dots3(q0, q1, q2, panel, m, blocks, dots, tb)
                    for g in 0..<group {
                        let r = rows.lowerBound + a + g, query = qp + r * m
                        let nq = queryNorms[a + g], row = dots + g * tb, norms = nx + p0
                        var b = petal_next_candidate(row, norms, nq, slack, heaps[a + g].worst, 0, count)
                        while b < count {
                            heaps[a + g].offer(NeighbourSearch.distance(query, xp + (p0 + b) * m, m, manhattan: false), p0 + b)
                            b = petal_next_candidate(row, norms, nq, slack, heaps[a + g].worst, b + 1, count)
                        }
                    }
                    a += 3
                }
                p0 += count
            }
            for (a, r) in rows.enumerated() { sink.write(r, &heaps[a]) }
        }}}
    }
}
