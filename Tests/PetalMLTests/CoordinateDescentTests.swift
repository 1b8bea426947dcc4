import Testing
import PetalData
@testable import PetalML

/// The two ways coordinate descent reads the data — the residual kept explicitly (O(n) a coordinate) and the Gram
/// matrix (O(d) a coordinate, used when rows outnumber features) — are the same iterations, so they must agree.
@Suite struct CoordinateDescentTests {
    /// A seeded data set with correlated features and a noisy linear target, centred as `fit` centres it.
    static func problem(rows n: Int, features d: Int, seed: UInt64) -> (columns: [Double], y: [Double]) {
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) - 0.5 }
        var columns = [Double](repeating: 0, count: n * d), y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let shared = uniform()
            for j in 0..<d { columns[j * n + i] = uniform() + (j % 2 == 0 ? shared : 0) }
            y[i] = 3 * columns[i] - 2 * columns[n + i] + 0.1 * uniform()
        }
        for j in 0..<d {
            let m = (0..<n).reduce(0) { $0 + columns[j * n + $1] } / Double(n)
            for i in 0..<n { columns[j * n + i] -= m }
        }
        let my = y.reduce(0, +) / Double(n)
        return (columns, y.map { $0 - my })
    }

    static func solve(gram: Bool, rows n: Int, features d: Int, alpha: Double, l1Ratio: Double, seed: UInt64) -> ([Double], Int) {
        var (columns, y) = problem(rows: n, features: d, seed: seed)
        return columns.withUnsafeMutableBufferPointer { cb in
            y.withUnsafeMutableBufferPointer { yb in
                guard let c = cb.baseAddress, let yc = yb.baseAddress else { return ([], 0) }
                let problem = CoordinateDescent.Problem(alpha: alpha * l1Ratio * Double(n), beta: alpha * (1 - l1Ratio) * Double(n),
                                                        tol: 1e-10 * VectorKernels.sumOfSquares(yc, n), relativeTol: 1e-10, maxIter: 10_000)
                var w = [Double](repeating: 0, count: d)
                if gram {
                    // The Gram state reads rows (centred already: the means are 0).
                    var rows = Matrix(rows: n, columns: d)
                    for i in 0..<n { for j in 0..<d { rows[i, j] = c[j * n + i] } }
                    var state = GramState(rows, means: [Double](repeating: 0, count: d), yc: yc)
                    defer { state.release() }
                    let passes = problem.solve(&state, &w)
                    return (w, passes)
                }
                var state = ResidualState(columns: c, yc: yc, n: n, d: d)
                defer { state.release() }
                let passes = problem.solve(&state, &w)
                return (w, passes)
            }
        }
    }

    @Test(arguments: [(200, 6, 0.01, 1.0), (200, 6, 0.05, 0.5), (40, 12, 0.02, 0.7), (500, 3, 0.0, 0.5), (300, 8, 0.5, 1.0)])
    func gramAndResidualAgree(_ shape: (Int, Int, Double, Double)) {
        let (n, d, alpha, ratio) = shape
        let (viaResidual, passes) = Self.solve(gram: false, rows: n, features: d, alpha: alpha, l1Ratio: ratio, seed: UInt64(n * d))
        let (viaGram, _) = Self.solve(gram: true, rows: n, features: d, alpha: alpha, l1Ratio: ratio, seed: UInt64(n * d))
        #expect(passes > 0)
        #expect(viaGram.count == d && viaResidual.count == d)
        for j in 0..<min(viaGram.count, viaResidual.count) {
            #expect(abs(viaGram[j] - viaResidual[j]) <= 1e-7 * max(1, abs(viaResidual[j])), "coefficient \(j): \(viaGram[j]) vs \(viaResidual[j])")
        }
    }
}
