import Foundation
import Testing
@testable import PetalML

/// The blocked loss and gradient (`LogisticKernels`) against a direct per-row computation, on shapes that leave
/// remainders everywhere (odd rows and models, features not a multiple of four, more rows than one block), and the
/// L-BFGS stop at scikit-learn's scaled tolerance.
@Suite struct LogisticKernelTests {
    /// C·Σ w·(−log p_y) + ½‖W‖² and its gradient, one row at a time, straight from the definition.
    static func reference(_ theta: [Double], _ x: Matrix, _ y: [Int], k: Int, c: Double, weights: [Double]?) -> (Double, [Double]) {
        let d = x.columns, width = d + 1, m = k == 2 ? 1 : k, offset = m == 1 ? 1 : 0
        var loss = 0.0, g = [Double](repeating: 0, count: m * width)
        for i in 0..<x.rows {
            var z = [Double](repeating: 0, count: k)
            for a in 0..<m {
                var s = theta[a * width + d]
                for j in 0..<d { s += theta[a * width + j] * x[i, j] }
                z[a + offset] = s
            }
            let top = z.max() ?? 0
            let e = z.map { exp($0 - top) }, sum = e.reduce(0, +)
            let p = e.map { $0 / sum }
            let w = weights?[i] ?? 1
            loss -= c * w * log(p[y[i]])
            for a in 0..<m {
                let r = c * w * (p[a + offset] - (y[i] == a + offset ? 1 : 0))
                for j in 0..<d { g[a * width + j] += r * x[i, j] }
                g[a * width + d] += r
            }
        }
        for a in 0..<m { for j in 0..<d { loss += 0.5 * theta[a * width + j] * theta[a * width + j]; g[a * width + j] += theta[a * width + j] } }
        return (loss, g)
    }

    @Test(arguments: [(classes: 2, features: 7), (classes: 5, features: 13), (classes: 3, features: 4), (classes: 7, features: 1)])
    func blockedMatchesDirect(shape: (classes: Int, features: Int)) throws {
        let (x, y) = LogisticRegressionSolverTests.blobs(rows: 9_001, features: shape.features, classes: shape.classes, seed: 3)
        let m = shape.classes == 2 ? 1 : shape.classes
        let theta = (0..<(m * (shape.features + 1))).map { sin(Double($0) * 1.7) * 0.3 }
        let weights = (0..<x.rows).map { 0.5 + Double($0 % 3) * 0.25 }
        let recipe = LogisticRegression(try ParameterValues([("C", "0.7")], step: "logistic_regression", descriptors: LogisticRegression.parameters))
        for w in [nil, weights] {
            let (loss, g) = recipe.lossAndGradient(theta, x, y, k: shape.classes, m: m, weights: w)
            let (expectedLoss, expected) = Self.reference(theta, x, y, k: shape.classes, c: 0.7, weights: w)
            #expect(abs(loss - expectedLoss) <= 1e-9 * abs(expectedLoss), "loss \(loss) against \(expectedLoss)")
            let scale = expected.map(abs).max() ?? 1
            let worst = zip(g, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-9 * scale, "largest gradient difference \(worst) (scale \(scale))")
        }
    }

    /// With the default tol L-BFGS stops where scikit-learn's lbfgs would: the gradient of the mean loss (this
    /// objective ÷ C·n) at most 1e-4 — and not far below it, so it did not run on to a tighter optimum.
    @Test func lbfgsStopsAtScaledTolerance() throws {
        let (x, y) = LogisticRegressionSolverTests.blobs(rows: 2_000, features: 40, classes: 8, seed: 5)
        let recipe = LogisticRegression(try ParameterValues([], step: "logistic_regression", descriptors: LogisticRegression.parameters))
        let fitted = try recipe.fit(x, labels: y, classCount: 8)
        var theta: [Double] = []
        for a in 0..<8 { theta += fitted.coefficients[a] + [fitted.intercepts[a]] }
        let (_, g) = recipe.lossAndGradient(theta, x, y, k: 8, m: 8)
        let scaled = (g.map(abs).max() ?? 0) / Double(x.rows)
        #expect(scaled <= 1e-4, "mean-loss gradient \(scaled)")
        #expect(scaled > 1e-7, "mean-loss gradient \(scaled): L-BFGS ran far past scikit-learn's stop")
    }

    /// The same data and parameters give the same model, bit for bit, run after run.
    @Test func deterministic() throws {
        let (x, y) = LogisticRegressionSolverTests.blobs(rows: 9_000, features: 33, classes: 9, seed: 8)  // two row blocks of at least 4,096 rows: the parallel path
        let recipe = LogisticRegression(try ParameterValues([], step: "logistic_regression", descriptors: LogisticRegression.parameters))
        let a = try recipe.fit(x, labels: y, classCount: 9), b = try recipe.fit(x, labels: y, classCount: 9)
        #expect(a.coefficients == b.coefficients && a.intercepts == b.intercepts)
    }
}
