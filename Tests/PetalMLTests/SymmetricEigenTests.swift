import Foundation
import PetalData
import Testing
@testable import PetalML

/// The symmetric eigensolver (PCA's and LDA's): A·v = λ·v for every pair, orthonormal vectors, values in decreasing
/// order and each vector's largest entry positive — on random, repeated-eigenvalue, rank-deficient, diagonal, tiny
/// and wide matrices.
@Suite struct SymmetricEigenTests {
    static func random(_ n: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { let x = Double.random(in: -1...1, using: &rng); a[i * n + j] = x; a[j * n + i] = x } }
        return a
    }

    /// QΛQᵀ with Q orthonormal (Gram–Schmidt of random vectors) and the given eigenvalues.
    static func withValues(_ values: [Double], seed: UInt64) -> [Double] {
        let n = values.count
        var rng = SplitMix64(seed: seed)
        var q: [[Double]] = []
        while q.count < n {
            var v = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
            for u in q { let dot = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }; for k in 0..<n { v[k] -= dot * u[k] } }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 1e-6 { q.append(v.map { $0 / norm }) }
        }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for k in 0..<n { a[i * n + j] += q[k][i] * values[k] * q[k][j] } } }
        return a
    }

    static func check(_ a: [Double], n: Int, _ label: String) {
        let (values, vectors) = SymmetricEigen.decompose(a, n: n)
        #expect(values.count == n && vectors.count == n, "\(label)")
        let scale = max(1, a.map(abs).max() ?? 1)
        for k in 0..<n {
            if k > 0 { #expect(values[k - 1] >= values[k], "\(label): values in decreasing order") }
            let v = vectors[k]
            let big = v.indices.max { abs(v[$0]) < abs(v[$1]) } ?? 0
            #expect(v[big] > 0, "\(label): vector \(k)'s largest entry is positive")
            for i in 0..<n {
                let av = (0..<n).reduce(0) { $0 + a[i * n + $1] * v[$1] }
                #expect(abs(av - values[k] * v[i]) <= 1e-12 * scale * Double(n), "\(label): A·v = λ·v, vector \(k) entry \(i)")
            }
            for j in 0...k {
                let dot = zip(v, vectors[j]).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(dot - (j == k ? 1 : 0)) <= 1e-12 * Double(n), "\(label): vectors \(j) and \(k) orthonormal")
            }
        }
    }

    @Test func decomposesEveryKindOfSymmetricMatrix() {
        for n in [1, 2, 3, 7, 40, 100] { Self.check(Self.random(n, seed: UInt64(n)), n: n, "random \(n)") }
        Self.check(Self.withValues([5, 5, 5, 1, 1, 0.5], seed: 1), n: 6, "repeated eigenvalues")
        Self.check(Self.withValues([3, 2, 0, 0, 0, 0, 0, 0], seed: 2), n: 8, "rank 2")
        Self.check(Self.withValues((0..<30).map { pow(10, -Double($0) / 3) }, seed: 3), n: 30, "ten decades")
        var identity = [Double](repeating: 0, count: 25)
        for i in 0..<5 { identity[i * 5 + i] = 1 }
        Self.check(identity, n: 5, "identity")
        Self.check([Double](repeating: 0, count: 16), n: 4, "zero")
        Self.check([4, 0, 0, 0, -2, 0, 0, 0, 9], n: 3, "diagonal")
        let (values, _) = SymmetricEigen.decompose([4, 0, 0, 0, -2, 0, 0, 0, 9], n: 3)
        #expect(values == [9, 4, -2])
        Self.check([2, 1, 1, 2], n: 2, "2 × 2")
        #expect(SymmetricEigen.decompose([2, 1, 1, 2], n: 2).values.map { ($0 * 1e12).rounded() / 1e12 } == [3, 1])
    }
}
