import Testing
import PetalTestSupport
import CKernels
import PetalData
@testable import PetalML

/// Gaussian mixtures against scikit-learn (fixture: Tests/Fixtures/sklearn/gaussian_mixture.py). EM starts from
/// scikit-learn's own k-means clusters, so every covariance type must take scikit-learn's steps: the same labels
/// (numbering included), the same number of iterations, and weights, means and mean log-likelihood equal up to
/// rounding — on small data and on 40 features, where the E- and M-steps run as blocked matrix products.
@Suite struct GaussianMixtureParityTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("gaussian_mixture.json")

    static func fit(_ x: Matrix, k: Int, type: String, seed: Int) throws -> GaussianMixture.Fitted {
        let recipe = GaussianMixture(try ParameterValues([("n_components", String(k)), ("covariance_type", type), ("random_state", String(seed))],
                                                         step: GaussianMixture.name, descriptors: GaussianMixture.parameters))
        return try #require(try recipe.fit(x, target: .none(rows: x.rows), context: FitContext(classCount: 0)) as? GaussianMixture.Fitted)
    }

    @Test(arguments: [true, false])
    func everyCovarianceTypeTakesScikitLearnsSteps(wide: Bool) throws {
        try KernelVersionLock.exclusive {
            petal_kernels_use_wide(wide ? 1 : 0)
            defer { petal_kernels_use_wide(1) }
            let data = try #require(Self.fixture["data"] as? [String: Any])
            let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
            #expect(cases.count >= 20)
            for c in cases {
                let name = try #require(c["data"] as? String), k = try #require(c["k"] as? Int)
                let type = try #require(c["covariance_type"] as? String), seed = try #require(c["seed"] as? Int)
                let x = try FamilyParityTests.matrix(data[name])
                let label = "\(name) k=\(k) \(type) random_state=\(seed)"
                let fitted = try Self.fit(x, k: k, type: type, seed: seed)
                #expect(fitted.assign(x).labels == (c["labels"] as? [Int]), "\(label): labels")
                #expect(fitted.iterations == (c["n_iter"] as? Int), "\(label): \(fitted.iterations) iterations")
                #expect(fitted.converged == (c["converged"] as? Bool), "\(label): converged")
                let weights = try #require(c["weights"] as? [Double]), means = try #require(c["means"] as? [[Double]])
                for (a, b) in zip(fitted.weights, weights) { #expect(abs(a - b) <= 1e-7, "\(label): weight \(a) against \(b)") }
                for (r, row) in means.enumerated() {
                    for (j, b) in row.enumerated() { #expect(abs(fitted.means[r, j] - b) <= 1e-6 * max(1, abs(b)), "\(label): mean [\(r), \(j)]") }
                }
                let score = try #require(c["score"] as? Double)
                let mine = fitted.expectation(x).0
                #expect(abs(mine - score) <= 1e-8 * abs(score), "\(label): mean log-likelihood \(mine) against \(score)")
            }
        }
    }
}

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
}
