import Foundation
import PetalData

/// Elastic net (scikit-learn's `ElasticNet`): least squares with a mix of L1 and L2 penalties,
/// 1/(2n)‖y − Xw − b‖² + α·ρ‖w‖₁ + ½α(1 − ρ)‖w‖², by cyclic coordinate descent with scikit-learn's stopping rule
/// (the duality gap below `tol`·‖y‖²) and its gap-safe screening. Fitted values: `coefficients`, `intercept`.
public struct ElasticNet: EstimatorRecipe {
    public static let name = "elastic_net"
    public static let summary = "elastic net: least squares with L1 and L2 penalties (some coefficients become exactly 0)"
    public static let alpha = Param<Double>("alpha", 0...1e12, default: 1.0, help: "penalty strength: larger alpha, smaller coefficients", search: .double(0.0001...100, log: true))
    public static let l1Ratio = Param<Double>("l1_ratio", 0...1, default: 0.5, help: "share of the L1 penalty: 1 is the lasso, 0 ridge", search: .double(0.05...0.95, log: false))
    public static let maxIter = Param<Int>("max_iter", 1...1_000_000, default: 1000, help: "coordinate descent passes at most")
    public static let tol = Param<Double>("tol", 0...1, default: 1e-4, help: "stop when the duality gap is below tol × ‖y‖²")
    public static let parameters = [alpha.descriptor, l1Ratio.descriptor, maxIter.descriptor, tol.descriptor]
    public static let tasks: Set<Task> = [.regression]
    /// One penalty is fair to every feature only on one scale.
    public static let featureScaling = FeatureScaling.standard
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard case .values(let y) = target else { throw PetalError("elastic_net predicts numbers; it needs a numeric target") }
        let (w, b, _) = CoordinateDescent.fit(x, y, alpha: self[Self.alpha], l1Ratio: self[Self.l1Ratio],
                                              maxIter: self[Self.maxIter], tol: self[Self.tol])
        return Fitted(coefficients: w, intercept: b)
    }

    public struct Fitted: LinearPredictor {
        public static let kind = "elastic_net"
        public var coefficients: [Double]
        public var intercept: Double
    }
}

/// scikit-learn's `enet_coordinate_descent` on centred data (its `fit_intercept=True`, `selection="cyclic"`).
enum CoordinateDescent {
    /// Coefficients, intercept and the passes made.
    static func fit(_ x: Matrix, _ y: [Double], alpha a: Double, l1Ratio: Double, maxIter: Int, tol tolerance: Double)
        -> (coefficients: [Double], intercept: Double, iterations: Int) {
        let n = x.rows, d = x.columns
        guard n > 0, d > 0 else { return ([Double](repeating: 0, count: d), 0, 0) }
        // Centre the columns (column-major copy for the inner loops) and the target. The loops run on raw buffers
        // owned here, with the shared SIMD kernels (dot/axpy as BLAS does): this is where the time goes.
        var means = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { means[j] += x[i, j] } }
        for j in 0..<d { means[j] /= Double(n) }
        let yMean = y.reduce(0, +) / Double(n)
        let columns = UnsafeMutablePointer<Double>.allocate(capacity: n * d)
        defer { columns.deallocate() }
        for i in 0..<n { for j in 0..<d { columns[j * n + i] = x[i, j] - means[j] } }
        let yc = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { yc.deallocate() }
        for i in 0..<n { yc[i] = y[i] - yMean }
        let r = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { r.deallocate() }
        r.update(from: yc, count: n)
        let alpha = a * l1Ratio * Double(n), beta = a * (1 - l1Ratio) * Double(n)
        var norm2 = [Double](repeating: 0, count: d)
        for j in 0..<d { norm2[j] = VectorKernels.sumOfSquares(columns + j * n, n) }
        var w = [Double](repeating: 0, count: d)
        let tol = tolerance * VectorKernels.sumOfSquares(yc, n)
        var xtA = [Double](repeating: 0, count: d)

        /// The duality gap (formulation A for alpha > 0, B for a pure ridge, the gradient for least squares) and ‖XᵀA‖.
        func gap() -> (Double, Double) {
            let wNorm2 = beta > 0 ? w.reduce(0) { $0 + $1 * $1 } : 0
            let rNorm2 = VectorKernels.sumOfSquares(r, n)
            let ry = VectorKernels.dot(r, yc, n)
            if alpha == 0 {
                var norm = 0.0
                for j in 0..<d { xtA[j] = VectorKernels.dot(columns + j * n, r, n); norm += xtA[j] * xtA[j] }
                if beta == 0 { return (norm, norm) }
                return (rNorm2 + 0.5 * beta * wNorm2 - ry + norm / (2 * beta), norm)
            }
            var dualNorm = 0.0
            for j in 0..<d { xtA[j] = VectorKernels.dot(columns + j * n, r, n) - beta * w[j]; dualNorm = max(dualNorm, abs(xtA[j])) }
            let l1 = w.reduce(0) { $0 + abs($1) }
            let primal = 0.5 * (rNorm2 + beta * wNorm2) + alpha * l1
            let scale = dualNorm > alpha ? alpha / dualNorm : 1
            let dual = -0.5 * scale * scale * (rNorm2 + beta * wNorm2) + scale * ry
            return (primal - dual, dualNorm)
        }
        let screening = alpha != 0
        var active = Array(0..<d)
        var excluded = [Bool](repeating: false, count: d)
        /// Gap-safe screening: features provably zero at the optimum leave the active set.
        func screen(_ g: Double, _ dualNorm: Double) {
            var kept: [Int] = []
            for j in 0..<d where !excluded[j] {
                if norm2[j] == 0 { w[j] = 0; excluded[j] = true; continue }
                let theta = xtA[j] / max(alpha, dualNorm)
                let dj = (1 - abs(theta)) / (norm2[j] + beta).squareRoot()
                if dj <= (2 * g).squareRoot() / alpha {
                    kept.append(j)
                } else {
                    if w[j] != 0 { VectorKernels.axpy(w[j], columns + j * n, r, n); w[j] = 0 }
                    excluded[j] = true
                }
            }
            active = kept
        }
        var (g, dualNorm) = gap()
        var iterations = 0
        if g > tol {
            if screening { screen(g, dualNorm) }
            for pass in 0..<maxIter {
                iterations = pass + 1
                var wMax = 0.0, dwMax = 0.0
                for j in active {
                    if norm2[j] == 0 { continue }
                    let old = w[j]
                    let column = UnsafePointer(columns + j * n)
                    let tmp = VectorKernels.dot(column, r, n) + old * norm2[j]
                    w[j] = (tmp < 0 ? -1 : (tmp > 0 ? 1 : 0)) * max(abs(tmp) - alpha, 0) / (norm2[j] + beta)
                    if w[j] != old { VectorKernels.axpy(old - w[j], column, r, n) }
                    dwMax = max(dwMax, abs(w[j] - old))
                    wMax = max(wMax, abs(w[j]))
                }
                if wMax == 0 || dwMax / wMax <= tolerance || pass == maxIter - 1 {
                    (g, dualNorm) = gap()
                    if g <= tol { break }
                    if screening { screen(g, dualNorm) }
                }
            }
        }
        let intercept = yMean - zip(w, means).reduce(0) { $0 + $1.0 * $1.1 }
        return (w, intercept, iterations)
    }
}
