import Testing
import PetalTestSupport
import CKernels
import PetalData
@testable import PetalML

/// The packed GEMM (`petal_dgemm` through `DenseProduct`) against a plain triple loop, both versions, with sizes
/// around every block edge (the 6 × 8 tile, the 256-deep k slab, the 72-row A block), A or Aᵀ times B or Bᵀ,
/// overwrite and add.
@Suite struct DenseProductTests {
    @Test(arguments: [true, false])
    func productsMatchTheDefinition(wide: Bool) {
        try KernelVersionLock.exclusive {
            petal_kernels_use_wide(wide ? 1 : 0)
            defer { petal_kernels_use_wide(1) }
            var rng = SplitMix64(seed: 3)
            let sizes = [(1, 1, 1), (5, 7, 3), (6, 8, 256), (7, 9, 257), (73, 17, 300), (144, 100, 100), (13, 1, 600), (1, 33, 5)]
            for (m, n, k) in sizes {
                for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                    for accumulate in [false, true] {
                        let a = (0..<(m * k)).map { _ in Double.random(in: -1...1, using: &rng) }, b = (0..<(k * n)).map { _ in Double.random(in: -1...1, using: &rng) }
                        let start = (0..<(m * n)).map { _ in Double.random(in: 0..<1, using: &rng) }
                        var c = start
                        var workspace = DenseProduct.Workspace(m: m, n: n, k: k)
                        a.withUnsafeBufferPointer { ab in
                            b.withUnsafeBufferPointer { bb in
                                c.withUnsafeMutableBufferPointer { cb in
                                    DenseProduct.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: ab.baseAddress!,
                                                          lda: transposeA ? m : k, b: bb.baseAddress!, ldb: transposeB ? k : n, accumulate: accumulate, c: cb.baseAddress!, ldc: n, workspace: &workspace)
                                }
                            }
                        }
                        var worst = 0.0
                        for i in 0..<m {
                            for j in 0..<n {
                                var s = accumulate ? start[i * n + j] : 0
                                for p in 0..<k { s += (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]) }
                                worst = max(worst, abs(s - c[i * n + j]))
                            }
                        }
                        #expect(worst <= 1e-12 * Double(k + 1), "m=\(m) n=\(n) k=\(k) transposeA=\(transposeA) transposeB=\(transposeB) accumulate=\(accumulate): off by \(worst)")
                    }
                }
            }
        }
    }

    /// The product of the upper triangle only gives each entry on or above the diagonal the full product's value.
    @Test(arguments: [1, 5, 6, 7, 8, 9, 72, 73, 101])
    func upperTriangleIsTheFullProducts(width d: Int) {
        var rng = SplitMix64(seed: UInt64(d))
        let k = 300
        let a = (0..<(k * d)).map { _ in Double.random(in: -1...1, using: &rng) }
        var full = [Double](repeating: 0, count: d * d), upper = full
        var workspace = DenseProduct.Workspace(m: d, n: d, k: k)
        a.withUnsafeBufferPointer { ab in
            guard let p = ab.baseAddress else { return }
            full.withUnsafeMutableBufferPointer { c in
                guard let out = c.baseAddress else { return }
                DenseProduct.multiply(transposeA: true, m: d, n: d, k: k, a: p, lda: d, b: p, ldb: d, c: out, ldc: d, workspace: &workspace)
            }
            upper.withUnsafeMutableBufferPointer { c in
                guard let out = c.baseAddress else { return }
                DenseProduct.multiply(transposeA: true, m: d, n: d, k: k, a: p, lda: d, b: p, ldb: d, upperOnly: true, c: out, ldc: d,
                                      workspace: &workspace)
            }
        }
        for i in 0..<d { for j in i..<d { #expect(upper[i * d + j] == full[i * d + j], "entry \(i), \(j)") } }
    }

    /// The Gram matrix of rows centred a slab at a time is the one of a centred copy, to the last bit (the slabs are
    /// the GEMM's own depth slabs), for row counts around the slab and chunk edges.
    @Test(arguments: [1, 255, 256, 257, 2048, 2049, 5000])
    func slabGramIsTheCentredCopysGram(rows n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        let d = 7
        let x = Matrix(rows: n, columns: d, values: (0..<(n * d)).map { _ in Double.random(in: -3...5, using: &rng) })
        var means = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { means[j] += x[i, j] } }
        for j in 0..<d { means[j] /= Double(n) }
        var centred = x
        for i in 0..<n { for j in 0..<d { centred[i, j] -= means[j] } }
        #expect(DenseProduct.gram(of: x, centredBy: means) == DenseProduct.gram(of: centred))
    }

    /// A rows × columns matrix of values in [-1, 1) inside a buffer `stride` wide (the padding holds NaN, which
    /// a product that read it would carry into its result).
    static func matrix(_ rows: Int, _ columns: Int, stride: Int, rng: inout SplitMix64) -> [Double] {
        var m = [Double](repeating: .nan, count: rows * stride)
        for r in 0..<rows { for c in 0..<columns { m[r * stride + c] = Double(rng.next() >> 11) / Double(UInt64(1) << 52) - 1 } }
        return m
    }

    /// Views into wider buffers (row strides past the matrices' widths, padded with NaN): whole panels of 6 rows
    /// or 8 columns are packed without a test per value, and must read only the view's values.
    @Test(arguments: [(1, 1, 1), (5, 7, 3), (6, 8, 256), (13, 17, 257), (72, 9, 40), (73, 33, 600), (200, 64, 100)])
    func stridedViewsMatchTheDefinition(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var rng = SplitMix64(seed: UInt64(m * 1_000_000 + n * 1000 + k))
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                for accumulate in [false, true] {
                    // Stored shapes: A is m × k (or k × m), B is k × n (or n × k); each with 3 extra columns of padding.
                    let (ar, ac) = transposeA ? (k, m) : (m, k), (br, bc) = transposeB ? (n, k) : (k, n)
                    let lda = ac + 3, ldb = bc + 3, ldc = n + 3
                    let a = Self.matrix(ar, ac, stride: lda, rng: &rng), b = Self.matrix(br, bc, stride: ldb, rng: &rng)
                    let start = Self.matrix(m, n, stride: ldc, rng: &rng)
                    var c = start
                    var workspace = DenseProduct.Workspace(m: m, n: n, k: k)
                    a.withUnsafeBufferPointer { ap in
                        b.withUnsafeBufferPointer { bp in
                            c.withUnsafeMutableBufferPointer { cp in
                                DenseProduct.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: ap.baseAddress!, lda: lda,
                                                      b: bp.baseAddress!, ldb: ldb, accumulate: accumulate, c: cp.baseAddress!, ldc: ldc,
                                                      workspace: &workspace)
                            }
                        }
                    }
                    var worst = 0.0
                    for i in 0..<m {
                        for j in 0..<n {
                            var s = accumulate ? start[i * ldc + j] : 0
                            for p in 0..<k {
                                let x = transposeA ? a[p * lda + i] : a[i * lda + p], y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                                s += x * y
                            }
                            worst = max(worst, abs(c[i * ldc + j] - s))
                        }
                        // C's padding is left alone.
                        for j in n..<ldc { #expect(c[i * ldc + j].isNaN) }
                    }
                    #expect(worst <= 1e-12 * Double(k), "m \(m) n \(n) k \(k) transposeA \(transposeA) transposeB \(transposeB): off by \(worst)")
                }
            }
        }
    }

    /// C's rows cut into bands, each its own product (A's rows, or Aᵀ's columns, offset), give every entry the
    /// bits the whole product gives it.
    @Test(arguments: [false, true]) func bandsOfRowsGiveTheWholeProductsBits(_ transposeA: Bool) {
        let (m, n, k) = (101, 19, 300)
        var rng = SplitMix64(seed: 7)
        let (ar, ac) = transposeA ? (k, m) : (m, k)
        let a = Self.matrix(ar, ac, stride: ac, rng: &rng), b = Self.matrix(k, n, stride: n, rng: &rng)
        func product(_ rows: Range<Int>, into c: inout [Double]) {
            var workspace = DenseProduct.Workspace(m: m, n: n, k: k)
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        let first = transposeA ? ap.baseAddress! + rows.lowerBound : ap.baseAddress! + rows.lowerBound * ac
                        DenseProduct.multiply(transposeA: transposeA, m: rows.count, n: n, k: k, a: first, lda: ac, b: bp.baseAddress!, ldb: n,
                                              c: cp.baseAddress! + rows.lowerBound * n, ldc: n, workspace: &workspace)
                    }
                }
            }
        }
        var whole = [Double](repeating: 0, count: m * n), banded = whole
        product(0..<m, into: &whole)
        for band in [0..<1, 1..<7, 7..<50, 50..<101] { product(band, into: &banded) }
        #expect(whole.map(\.bitPattern) == banded.map(\.bitPattern))
    }
}
