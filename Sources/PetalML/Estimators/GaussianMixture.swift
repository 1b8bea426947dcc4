import Foundation
import PetalData

/// A Gaussian mixture (scikit-learn's `GaussianMixture`): `n_components` Gaussians fitted by expectation-maximisation
/// from a k-means start, until the mean log-likelihood gains less than `tol`; the best of `n_init` runs. A row's
/// cluster is the component with the highest weighted density. The distance `assign` reports is the squared
/// Mahalanobis distance to that component's mean (its covariance's metric), so the "inertia" of a mixture is the
/// sum of those. Fitted values: weights, means and each component's precision Cholesky factor (`Fitted`, kind
/// `gaussian_mixture`); tied, diagonal and spherical covariances are kept in the same full form.
public struct GaussianMixture: EstimatorRecipe {
    public static let name = "gaussian_mixture"
    public static let summary = "a Gaussian mixture: clusters as overlapping Gaussians fitted by EM (soft k-means with shapes)"
    public static let nComponents = Param<Int>("n_components", aliases: ["k"], 1...10_000, default: 1, help: "how many Gaussians (clusters)")
    public static let covarianceType = Param<String>("covariance_type", choices: ["full", "tied", "diag", "spherical"], default: "full",
                                                     help: "each component's own full covariance, one shared (tied), per-feature variances (diag), or one variance (spherical)")
    public static let tol = Param<Double>("tol", 0...1e6, default: 1e-3, help: "stop when the mean log-likelihood gains less than this")
    public static let regCovar = Param<Double>("reg_covar", 0...1e6, default: 1e-6, help: "added to the covariances' diagonals, keeping them invertible")
    public static let maxIter = Param<Int>("max_iter", 1...100_000, default: 100, help: "EM iterations at most per run")
    public static let nInit = Param<Int>("n_init", 1...1000, default: 1, help: "runs from different seeds; the highest likelihood wins")
    public static let randomState = Param<Int>("random_state", aliases: ["seed"], 0...Int(UInt32.max), default: 0, help: "the seed (for the k-means start)")
    public static let parameters = [nComponents.descriptor, covarianceType.descriptor, tol.descriptor, regCovar.descriptor, maxIter.descriptor,
                                    nInit.descriptor, randomState.descriptor]
    public static let tasks: Set<LearningTask> = [.clustering]
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        let k = self[Self.nComponents]
        guard x.rows >= k, x.rows >= 2 else {
            throw PetalError("gaussian_mixture: n_components=\(k) needs at least \(max(2, k)) rows; there are \(x.rows)", hint: "use a smaller n_components")
        }
        var best: (Fitted, Double)?
        let runs = self[Self.nInit]
        context.control?.setTotal(runs)
        for run in 0..<runs {
            if context.control?.isCancelled == true { throw PetalError("fitting was cancelled") }
            let seed = self[Self.randomState] &+ run * 7919
            let start = try KMeans(try ParameterValues([("n_clusters", String(k)), ("random_state", String(seed % (Int(UInt32.max) + 1)))],
                                                       step: KMeans.name, descriptors: KMeans.parameters)).fit(x)
            let labels = start.assign(x).labels
            var resp = Matrix(rows: x.rows, columns: k)
            for r in 0..<x.rows { resp[r, labels[r]] = 1 }
            var model = try mStep(x, resp)
            var bound = -Double.infinity, iterations = 0, converged = false
            for it in 1...self[Self.maxIter] {
                iterations = it
                let (mean, r) = model.expectation(x)
                model = try mStep(x, r)
                let change = mean - bound
                bound = mean
                if abs(change) < self[Self.tol] { converged = true; break }
            }
            model.iterations = iterations; model.converged = converged
            // scikit-learn ends with one more E-step so labels agree with the final parameters; its bound is the last one.
            if best == nil || bound > (best?.1 ?? -.infinity) { best = (model, bound) }
            context.control?.advance(by: 1)
        }
        guard let result = best?.0 else { throw PetalError("gaussian_mixture: no run completed") }
        return result
    }

    /// The M-step: weights, means and covariances from responsibilities, as scikit-learn's `_estimate_gaussian_parameters`.
    /// - Throws: when a covariance is not positive definite (a component with too few distinct rows).
    func mStep(_ x: Matrix, _ resp: Matrix) throws -> Fitted {
        let n = x.rows, d = x.columns, k = resp.columns, reg = self[Self.regCovar]
        var nk = [Double](repeating: 10 * Double.ulpOfOne, count: k)
        var means = Matrix(rows: k, columns: d)
        for r in 0..<n { for c in 0..<k { let w = resp[r, c]; nk[c] += w; for j in 0..<d { means[c, j] += w * x[r, j] } } }
        for c in 0..<k { for j in 0..<d { means[c, j] /= nk[c] } }
        var covariances: [[Double]] = []   // k full d×d matrices, row-major
        switch self[Self.covarianceType] {
        case "tied":
            var cov = [Double](repeating: 0, count: d * d)
            for c in 0..<k {
                for r in 0..<n where resp[r, c] != 0 {
                    for a in 0..<d { let da = x[r, a] - means[c, a]; for b in 0..<d { cov[a * d + b] += resp[r, c] * da * (x[r, b] - means[c, b]) } }
                }
            }
            let total = nk.reduce(0, +)
            for i in cov.indices { cov[i] /= total }
            for a in 0..<d { cov[a * d + a] += reg }
            covariances = Array(repeating: cov, count: k)
        default:
            let type = self[Self.covarianceType]
            for c in 0..<k {
                var cov = [Double](repeating: 0, count: d * d)
                for r in 0..<n where resp[r, c] != 0 {
                    for a in 0..<d {
                        let da = x[r, a] - means[c, a]
                        if type == "full" { for b in 0..<d { cov[a * d + b] += resp[r, c] * da * (x[r, b] - means[c, b]) } } else { cov[a * d + a] += resp[r, c] * da * da }
                    }
                }
                for i in cov.indices { cov[i] /= nk[c] }
                if type == "spherical" {
                    let v = (0..<d).reduce(0) { $0 + cov[$1 * d + $1] } / Double(d)
                    for a in 0..<d { cov[a * d + a] = v }
                }
                for a in 0..<d { cov[a * d + a] += reg }
                covariances.append(cov)
            }
        }
        var precisions: [[Double]] = []
        for (c, cov) in covariances.enumerated() {
            guard let p = Self.precisionCholesky(cov, d) else {
                throw PetalError("gaussian_mixture: component \(c)'s covariance is not positive definite (too few distinct rows in it)",
                                hint: "use fewer components, or a larger reg_covar")
            }
            precisions.append(p)
        }
        return Fitted(weights: nk.map { $0 / Double(n) }, means: means, precisionCholesky: precisions, iterations: 0, converged: false)
    }

    /// The inverse of `cov`'s lower Cholesky factor, transposed (upper triangular, row-major), so that
    /// ‖(x − μ) P‖² is the squared Mahalanobis distance; nil unless `cov` is positive definite.
    static func precisionCholesky(_ cov: [Double], _ d: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = cov[i * d + j]
                for m in 0..<j { s -= l[i * d + m] * l[j * d + m] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * d + i] = s.squareRoot()
                } else {
                    l[i * d + j] = s / l[j * d + j]
                }
            }
        }
        // inv(L) by forward substitution, column by column; P = inv(L)ᵀ.
        var p = [Double](repeating: 0, count: d * d)
        for col in 0..<d {
            for i in col..<d {
                var s = i == col ? 1.0 : 0.0
                for m in col..<i { s -= l[i * d + m] * p[col * d + m] }
                p[col * d + i] = s / l[i * d + i]   // inv(L)[i][col], stored transposed
            }
        }
        return p
    }
}
