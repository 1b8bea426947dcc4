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
                if context.control?.isCancelled == true { throw PetalError("fitting was cancelled") }
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
        guard x.values.count >= n * d, resp.rows == n, resp.values.count >= n * k else {
            throw PetalError("gaussian_mixture: the responsibilities do not match the rows")
        }
        var nk = [Double](repeating: 0, count: k)
        for r in 0..<n { for c in 0..<k { nk[c] += resp.values[r * k + c] } }
        for c in 0..<k { nk[c] += 10 * Double.ulpOfOne }
        // means = respᵀ·X / nk, one matrix product.
        var means = Matrix(rows: k, columns: d)
        if n > 0, d > 0, k > 0 {
            var workspace = DenseProduct.Workspace(m: k, n: d, k: n)
            resp.values.withUnsafeBufferPointer { rb in
                x.values.withUnsafeBufferPointer { xb in
                    means.values.withUnsafeMutableBufferPointer { out in
                        guard let rp = rb.baseAddress, let xp = xb.baseAddress, let op = out.baseAddress else { return }
                        DenseProduct.multiply(transposeA: true, m: k, n: d, k: n, a: rp, lda: k, b: xp, ldb: d, c: op, ldc: d, workspace: &workspace)
                    }
                }
            }
        }
        for c in 0..<k { for j in 0..<d { means[c, j] /= nk[c] } }
        var covariances: [[Double]] = []   // k full d×d matrices, row-major
        switch self[Self.covarianceType] {
        case "tied":
            var cov = [Double](repeating: 0, count: d * d)
            for c in 0..<k {
                let scatter = Self.scatter(x, resp, component: c, mean: means.values[(c * d)..<((c + 1) * d)])
                for i in cov.indices { cov[i] += scatter[i] }
            }
            let total = nk.reduce(0, +)
            for i in cov.indices { cov[i] /= total }
            for a in 0..<d { cov[a * d + a] += reg }
            covariances = Array(repeating: cov, count: k)
        case "full":
            for c in 0..<k {
                var cov = Self.scatter(x, resp, component: c, mean: means.values[(c * d)..<((c + 1) * d)])
                for i in cov.indices { cov[i] /= nk[c] }
                for a in 0..<d { cov[a * d + a] += reg }
                covariances.append(cov)
            }
        case "diag", "spherical":   // per-feature variances (their mean for spherical)
            let spherical = self[Self.covarianceType] == "spherical"
            var variances = [Double](repeating: 0, count: k * d)
            for r in 0..<n {
                for c in 0..<k {
                    let w = resp.values[r * k + c]
                    if w == 0 { continue }
                    for j in 0..<d { let t = x.values[r * d + j] - means.values[c * d + j]; variances[c * d + j] += w * t * t }
                }
            }
            for c in 0..<k {
                var cov = [Double](repeating: 0, count: d * d)
                for a in 0..<d { cov[a * d + a] = variances[c * d + a] / nk[c] }
                if spherical {
                    let v = (0..<d).reduce(0) { $0 + cov[$1 * d + $1] } / Double(d)
                    for a in 0..<d { cov[a * d + a] = v }
                }
                for a in 0..<d { cov[a * d + a] += reg }
                covariances.append(cov)
            }
        default:
            throw PetalError("gaussian_mixture: unknown covariance_type \(self[Self.covarianceType])", hint: "use full, tied, diag or spherical")
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

    /// Σᵣ resp[r, c]·(xᵣ − μ)(xᵣ − μ)ᵀ, d × d row-major: scikit-learn's `np.dot(resp[:, k] * diff.T, diff)`, as
    /// matrix products Wᵀ·D over blocks of rows (D the rows' differences from the mean, W those weighted by their
    /// responsibilities), in row chunks on every core (`DenseProduct.sumOverRowChunks`).
    static func scatter(_ x: Matrix, _ resp: Matrix, component c: Int, mean: ArraySlice<Double>) -> [Double] {
        let n = x.rows, d = x.columns, k = resp.columns, blockRows = 256
        let mu = Array(mean)
        return DenseProduct.sumOverRowChunks(rows: n, count: d * d) { rows, out in
            var diff = [Double](repeating: 0, count: blockRows * d), weighted = diff
            var workspace = DenseProduct.Workspace(m: d, n: d, k: blockRows)
            x.values.withUnsafeBufferPointer { xb in
                diff.withUnsafeMutableBufferPointer { db in
                    weighted.withUnsafeMutableBufferPointer { wb in
                        guard let xp = xb.baseAddress, let dp = db.baseAddress, let wp = wb.baseAddress else { return }
                        var first = rows.lowerBound
                        while first < rows.upperBound {
                            let count = min(blockRows, rows.upperBound - first)
                            for r in 0..<count {
                                let row = xp + (first + r) * d, w = resp.values[(first + r) * k + c]
                                for j in 0..<d { let t = row[j] - mu[j]; dp[r * d + j] = t; wp[r * d + j] = w * t }
                            }
                            DenseProduct.multiply(transposeA: true, m: d, n: d, k: count, a: wp, lda: d, b: dp, ldb: d,
                                                  accumulate: true, c: out, ldc: d, workspace: &workspace)
                            first += count
                        }
                    }
                }
            }
        }
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
