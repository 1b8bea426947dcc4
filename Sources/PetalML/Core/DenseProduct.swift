import CKernels

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
            values = [Double](repeating: 0, count: max(1, petal_dgemm_workspace(m, n, k)))
        }
    }

    /// c = op(a)·b (or c += op(a)·b with `accumulate`): op(a) is m × k (`a` itself, m rows with stride `lda`, or,
    /// with `transposeA`, the transpose of a k-row `a`), b is k × n (stride `ldb`), c is m × n (stride `ldc`).
    /// The caller passes pointers into buffers that hold those rows; the sizes must fit the workspace.
    static func multiply(transposeA: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                         b: UnsafePointer<Double>, ldb: Int, accumulate: Bool = false, c: UnsafeMutablePointer<Double>, ldc: Int,
                         workspace: inout Workspace) {
        precondition(m <= workspace.m && n <= workspace.n && k <= workspace.k, "a \(m)×\(k)·\(k)×\(n) product needs a larger workspace")
        workspace.values.withUnsafeMutableBufferPointer { w in
            guard let work = w.baseAddress else { return }
            petal_dgemm(transposeA ? 1 : 0, m, n, k, a, lda, b, ldb, accumulate ? 1 : 0, c, ldc, work)
        }
    }
}
