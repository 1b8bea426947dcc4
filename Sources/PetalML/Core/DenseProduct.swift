import Dispatch
import CKernels
import PetalData

/// Matrix products through CKernels' `petal_dgemm` (a packed, register-blocked GEMM with an AVX2 + FMA version):
/// what the estimators use where a loop would be a matrix product (BLAS level 3). The views are row-major with
/// their own row strides; `Workspace` is the packing memory one thread reuses across products.
enum DenseProduct {
    /// Packing memory for products of at most these sizes; one per thread (a block of rows in a parallel loop).
    struct Workspace {
        var values: [Double]
        let m: Int, n: Int, k: Int
        init(m: Int, n: Int, k: Int) {
            self.m = m; self.n = n; self.k = k
            // Packing writes every value it reads (padding included), so the memory need not be cleared first.
            values = [Double](unsafeUninitializedCapacity: workspaceSize(m: m, n: n, k: k)) { _, count in
                count = workspaceSize(m: m, n: n, k: k)
            }
        }
    }

    /// c = op(a)·op(b) (or c += op(a)·op(b) with `accumulate`): op(a) is m × k (`a` itself, m rows with stride
    /// `lda`, or with `transposeA` the transpose of a k-row `a`), op(b) is k × n (`b`, k rows with stride `ldb`, or
    /// with `transposeB` the transpose of an n-row `b`), c is m × n (stride `ldc`). The caller passes pointers into
    /// buffers that hold those rows; the sizes must fit the workspace.
    /// With `upperOnly`, only c's entries on and above the diagonal are sure to be made (a symmetric product: the
    /// tiles wholly below it are skipped, half the work), each with the value the full product gives it.
    static func multiply(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                         b: UnsafePointer<Double>, ldb: Int, accumulate: Bool = false, upperOnly: Bool = false, c: UnsafeMutablePointer<Double>,
                         ldc: Int, workspace: inout Workspace) {
        precondition(m <= workspace.m && n <= workspace.n && k <= workspace.k, "a \(m)×\(k)·\(k)×\(n) product needs a larger workspace")
        workspace.values.withUnsafeMutableBufferPointer { w in
            guard let work = w.baseAddress else { return }
            multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, accumulate: accumulate,
                     upperOnly: upperOnly, c: c, ldc: ldc, work: work)
        }
    }

    /// `multiply` with packing memory the caller holds: `work` has room for `workspaceSize(m:n:k:)` doubles (or
    /// that of a product at least as large in every dimension).
    static func multiply(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                         b: UnsafePointer<Double>, ldb: Int, accumulate: Bool = false, upperOnly: Bool = false, c: UnsafeMutablePointer<Double>,
                         ldc: Int, work: UnsafeMutablePointer<Double>) {
        if upperOnly {
            petal_dgemm_upper(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, a, lda, b, ldb, accumulate ? 1 : 0, c, ldc, work)
        } else {
            petal_dgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, a, lda, b, ldb, accumulate ? 1 : 0, c, ldc, work)
        }
    }

    /// The doubles of packing memory an m × k · k × n product needs (it grows with each of the three).
    static func workspaceSize(m: Int, n: Int, k: Int) -> Int { max(1, petal_dgemm_workspace(m, n, k)) }

    /// A sum over the rows 0..<n of `count` numbers (a Gram or scatter matrix): `body(rows, partial)` adds the
    /// rows' share into a zeroed `partial`, for fixed chunks of rows on every core, and the partials are added in
    /// chunk order — the chunks depend only on n and count, so the result does not depend on the core count.
    /// At most ~32 MB of partials are in flight, whatever the size.
    static func sumOverRowChunks(rows n: Int, count: Int, _ body: @escaping @Sendable (Range<Int>, UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        var total = [Double](repeating: 0, count: count)
        guard n > 0, count > 0 else { return total }
        let most = max(1, 4_194_304 / count)
        let chunkRows = max(2048, (n + most - 1) / most), chunks = (n + chunkRows - 1) / chunkRows
        let slots = ConcurrentSlots<[Double]>(chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var partial = [Double](repeating: 0, count: count)
            partial.withUnsafeMutableBufferPointer { p in
                guard let out = p.baseAddress else { return }
                body((chunk * chunkRows)..<min(n, (chunk + 1) * chunkRows), out)
            }
            slots.set(chunk, partial)
        }
        for partial in slots.values { for i in total.indices { total[i] += partial[i] } }
        return total
    }

    /// MᵀM (columns × columns, row-major, exactly symmetric): a Gram or scatter matrix as matrix products over row
    /// chunks on every core (`sumOverRowChunks`), only the upper triangle computed and then mirrored.
    static func gram(of m: Matrix) -> [Double] {
        let d = m.columns
        guard m.values.count >= m.rows * d else { return [Double](repeating: .nan, count: d * d) }
        var g = sumOverRowChunks(rows: m.rows, count: d * d) { rows, out in
            var workspace = Workspace(m: d, n: d, k: rows.count)
            m.values.withUnsafeBufferPointer { mb in
                guard let base = mb.baseAddress else { return }
                let first = base + rows.lowerBound * d
                multiply(transposeA: true, m: d, n: d, k: rows.count, a: first, lda: d, b: first, ldb: d, accumulate: true, upperOnly: true,
                         c: out, ldc: d, workspace: &workspace)
            }
        }
        for a in 0..<d { for b in 0..<a { g[a * d + b] = g[b * d + a] } }
        return g
    }

    /// The rows of the k dimension `petal_dgemm` sums in one slab (gemm.c's KC) before adding to c.
    static let depthSlab = 256

    /// AᵀA (width × width, row-major, exactly symmetric) of a matrix A of n rows that is never stored whole:
    /// `fill(rows, into)` writes rows `rows` of A (at most `depthSlab`, row-major, `width` values each) into a small
    /// buffer, one slab after another, and each slab is multiplied in on every core (`sumOverRowChunks`). Each
    /// product covers one of the GEMM's own depth slabs, so the sums are those of `gram(of:)` of A made whole —
    /// without its n × width new values, whose pages the kernel faults in and zeroes (as long as the product itself
    /// on wide data).
    static func gram(rows n: Int, width e: Int, slabs fill: @escaping @Sendable (Range<Int>, UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        var g = sumOverRowChunks(rows: n, count: e * e) { rows, out in
            let most = min(rows.count, depthSlab)
            let slab = UnsafeMutablePointer<Double>.allocate(capacity: max(1, most * e))
            defer { slab.deallocate() }
            var workspace = Workspace(m: e, n: e, k: most)
            var start = rows.lowerBound
            while start < rows.upperBound {
                let end = min(rows.upperBound, start + depthSlab)
                fill(start..<end, slab)
                multiply(transposeA: true, m: e, n: e, k: end - start, a: slab, lda: e, b: slab, ldb: e, accumulate: true, upperOnly: true,
                         c: out, ldc: e, workspace: &workspace)
                start = end
            }
        }
        for a in 0..<e { for b in 0..<a { g[a * e + b] = g[b * e + a] } }
        return g
    }

    /// The sums of centred least squares, from [X − 1μᵀ | t]ᵀ[X − 1μᵀ | t] for X of d columns and the target `t`
    /// (n values, already centred by the caller) beside the rows as one more column: one pass over the rows gives
    /// `gram` = (X−μ)ᵀ(X−μ) (d × d, row-major, symmetric), `xty` = (X−μ)ᵀt and `tt` = ‖t‖² — least squares' and
    /// coordinate descent's sums, on every core, a slab of centred rows at a time (no centred copy of X).
    static func centredGram(_ x: Matrix, means: [Double], target t: UnsafePointer<Double>) -> (gram: [Double], xty: [Double], tt: Double) {
        let d = x.columns, e = d + 1
        precondition(x.values.count == x.rows * d && means.count == d)
        let g = centredRowsGram(x, means: means, target: t)
        var gram = [Double](repeating: 0, count: d * d)
        for a in 0..<d { for b in 0..<d { gram[a * d + b] = g[a * e + b] } }
        return (gram, (0..<d).map { g[$0 * e + d] }, g[d * e + d])
    }

    private struct Target: @unchecked Sendable { let values: UnsafePointer<Double>? }

    /// `gram(rows:width:slabs:)` of the rows of `x` less `means`, with `target`'s value beside each row as one
    /// more column when there is one: each slab of rows centred into the product's own buffer.
    private static func centredRowsGram(_ x: Matrix, means: [Double], target: UnsafePointer<Double>?) -> [Double] {
        let d = x.columns, e = d + (target == nil ? 0 : 1), extra = Target(values: target)
        return gram(rows: x.rows, width: e) { rows, slab in
            x.values.withUnsafeBufferPointer { v in
                means.withUnsafeBufferPointer { mu in
                    guard let from = v.baseAddress, let m = mu.baseAddress else { return }
                    for (r, i) in rows.enumerated() {
                        let row = from + i * d, to = slab + r * e
                        for j in 0..<d { to[j] = row[j] - m[j] }
                        if let t = extra.values { to[d] = t[i] }
                    }
                }
            }
        }
    }

    /// The mean of each of `x`'s columns: the rows added in fixed blocks on every core (`RowBlocks.sums`: the blocks'
    /// sums are added in block order, so the means do not depend on the number of cores), then divided by the rows.
    static func columnMeans(_ x: Matrix) -> [Double] {
        let n = x.rows, d = x.columns
        guard n > 0, d > 0, x.values.count >= n * d else { return [Double](repeating: 0, count: d) }
        let values = x.values
        var sums = RowBlocks.sums(rows: n, width: d) { rows, into in
            values.withUnsafeBufferPointer { v in
                guard let base = v.baseAddress else { return }
                for i in rows {
                    let row = base + i * d
                    for j in 0..<d { into[j] += row[j] }
                }
            }
        }
        for j in 0..<d { sums[j] /= Double(n) }
        return sums
    }

    /// (M − 1μᵀ)ᵀ(M − 1μᵀ): `gram(of:)` of the rows of `m` less `means`, the same values, centred a slab of rows
    /// at a time (`gram(rows:width:slabs:)`) instead of into a centred copy of the whole matrix.
    static func gram(of m: Matrix, centredBy means: [Double]) -> [Double] {
        let d = m.columns
        guard m.values.count >= m.rows * d, means.count == d else { return [Double](repeating: .nan, count: d * d) }
        return centredRowsGram(m, means: means, target: nil)
    }
}
