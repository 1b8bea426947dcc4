/// Brute-force euclidean search where a tree does not prune (many features), in the manner of a GEMM kernel:
/// ‖q − x‖² = ‖q‖² + ‖x‖² − 2·q·x with the training rows' norms computed once, and the dot products of four query
/// rows against a panel of training rows (copied feature-major, so four rows' values sit side by side) computed in
/// SIMD registers, 4 × 4 at a time.
///
/// That expansion rounds differently from the direct sum, so it only filters: a row whose expanded distance,
/// less a bound on the rounding of both forms, exceeds the k-th kept distance cannot enter; any other row gets its
/// distance summed directly (`NeighbourSearch.distance`), as the scan and the k-d tree do. The results are
/// theirs exactly, ties included; only a few rows per query pass the filter.
struct BlockedSearch: QuerySearch {
    let x: Matrix
    /// ‖x_i‖² of each training row.
    let norms: [Double]
    /// Training rows per panel (a multiple of 4): a panel of them, feature by feature, stays in cache while a
    /// range of query rows sweeps it.
    let panelRows: Int

    init(_ x: Matrix) {
        self.x = x
        let m = x.columns
        norms = x.values.withUnsafeBufferPointer { xb in
            guard let xp = xb.baseAddress else { return [Double](repeating: 0, count: x.rows) }
            return (0..<x.rows).map { VectorKernels.sumOfSquares(xp + $0 * m, m) }
        }
        panelRows = max(4, min(512, 16_384 / max(1, m)) / 4 * 4)
    }

    func search(_ q: Matrix, rows: Range<Int>, k: Int, manhattan: Bool, into sink: NeighbourSink) {
        let m = x.columns, n = x.rows, tb = panelRows
        // |expanded − direct| ≤ (2m + 5)·u·(‖q‖² + ‖x‖²) for each form against the exact value (u = 2⁻⁵³); twice
        // that, with ulpOfOne = 2u, is a safe margin for both together.
        let slack = Double(4 * m + 16) * Double.ulpOfOne
        let panel = UnsafeMutablePointer<Double>.allocate(capacity: tb * m)
        let dots = UnsafeMutablePointer<Double>.allocate(capacity: 4 * tb)
        var heaps = rows.map { _ in NeighbourHeap(k: k) }
        defer { panel.deallocate(); dots.deallocate(); for h in heaps { h.deallocate() } }
        q.values.withUnsafeBufferPointer { qb in
        x.values.withUnsafeBufferPointer { xb in
        norms.withUnsafeBufferPointer { nb in
            guard let qp = qb.baseAddress, let xp = xb.baseAddress, let nx = nb.baseAddress else { return }
            let queryNorms = rows.map { VectorKernels.sumOfSquares(qp + $0 * m, m) }
            var p0 = 0
            while p0 < n {
                let count = min(tb, n - p0), padded = (count + 3) / 4 * 4
                // The panel, feature-major: feature j of panel row b at j·tb + b; padding rows are zeros.
                for j in 0..<m {
                    let column = panel + j * tb
                    for b in 0..<count { column[b] = xp[(p0 + b) * m + j] }
                    for b in count..<padded { column[b] = 0 }
                }
                var a = 0
                while a < rows.count {
                    let group = min(4, rows.count - a)
                    // Rows past the end of the range repeat the last one; their dot products are not read.
                    let q0 = qp + (rows.lowerBound + a) * m
                    let q1 = qp + (rows.lowerBound + a + min(1, group - 1)) * m
                    let q2 = qp + (rows.lowerBound + a + min(2, group - 1)) * m
                    let q3 = qp + (rows.lowerBound + a + min(3, group - 1)) * m
                    Self.dots4(q0, q1, q2, q3, panel: panel, stride: tb, columns: padded, m: m, into: dots)
                    for g in 0..<group {
                        let r = rows.lowerBound + a + g, query = qp + r * m
                        let nq = queryNorms[a + g], row = dots + g * tb
                        var worst = heaps[a + g].worst
                        for b in 0..<count {
                            let s = nq + nx[p0 + b]
                            if s - 2 * row[b] - slack * s > worst { continue }
                            heaps[a + g].offer(NeighbourSearch.distance(query, xp + (p0 + b) * m, m, manhattan: false), p0 + b)
                            worst = heaps[a + g].worst
                        }
                    }
                    a += 4
                }
                p0 += count
            }
            for (a, r) in rows.enumerated() { sink.write(r, &heaps[a]) }
        }}}
    }

    /// dots[g·stride + b] = q_g · (panel row b) for the four query rows and panel rows 0..<columns (a multiple of 4):
    /// a 4 × 4 block of sums at a time in SIMD registers, each sum taken in feature order.
    @inline(__always)
    private static func dots4(_ q0: UnsafePointer<Double>, _ q1: UnsafePointer<Double>, _ q2: UnsafePointer<Double>,
                              _ q3: UnsafePointer<Double>, panel: UnsafePointer<Double>, stride: Int, columns: Int, m: Int,
                              into dots: UnsafeMutablePointer<Double>) {
        let raw = UnsafeRawPointer(panel), out = UnsafeMutableRawPointer(dots)
        let step = stride * MemoryLayout<Double>.stride
        var b = 0
        while b < columns {
            var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
            var offset = b * MemoryLayout<Double>.stride
            for j in 0..<m {
                let v = raw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
                s0 += SIMD4(repeating: q0[j]) * v
                s1 += SIMD4(repeating: q1[j]) * v
                s2 += SIMD4(repeating: q2[j]) * v
                s3 += SIMD4(repeating: q3[j]) * v
                offset += step
            }
            let at = b * MemoryLayout<Double>.stride, row = stride * MemoryLayout<Double>.stride
            out.storeBytes(of: s0, toByteOffset: at, as: SIMD4<Double>.self)
            out.storeBytes(of: s1, toByteOffset: at + row, as: SIMD4<Double>.self)
            out.storeBytes(of: s2, toByteOffset: at + 2 * row, as: SIMD4<Double>.self)
            out.storeBytes(of: s3, toByteOffset: at + 3 * row, as: SIMD4<Double>.self)
            b += 4
        }
    }
}
