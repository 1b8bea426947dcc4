import Foundation
import PetalData

extension GaussianMixture {
    /// A fitted mixture: component weights, means [K, D] and precision Cholesky factors (K upper-triangular D×D,
    /// row-major): the log density of row x under component k is
    /// log wₖ − ½(D log 2π + ‖(x − μₖ)Pₖ‖²) + Σ log diag(Pₖ).
    public struct Fitted: FittedClusterer {
        public static let kind = "gaussian_mixture"
        public var weights: [Double]
        public var means: Matrix
        public var precisionCholesky: [[Double]]
        public var iterations: Int
        public var converged: Bool
        public var task: LearningTask { .clustering }

        public func validate(width: Int, classes: Int) throws {
            let k = weights.count
            guard k > 0 else { throw PetalError("it has no components") }
            try Check.count(means.rows, k, "the means' rows")
            try Check.count(means.columns, width, "the means' columns")
            try Check.count(means.values.count, k * width, "the means' values")
            try Check.count(precisionCholesky.count, k, "precision factors")
            for p in precisionCholesky { try Check.count(p.count, width * width, "a precision factor's values") }
            guard weights.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw PetalError("a component weight is not a positive number") }
        }

        /// log wₖ − ½ D log 2π + Σ log diag(Pₖ): each component's constant term.
        public var logConstants: [Double] {
            let d = means.columns
            return weights.indices.map { c in
                log(weights[c]) - 0.5 * Double(d) * log(2 * Double.pi) + (0..<d).reduce(0) { $0 + log(precisionCholesky[c][$1 * d + $1]) }
            }
        }

        /// Squared Mahalanobis distances [N, K]: ‖(x − μₖ)Pₖ‖², for blocks of rows on every core. For each block and
        /// component the block's differences from the mean are multiplied by Pₖ as one matrix product (a GEMM, as
        /// scikit-learn's `np.dot(X, prec_chol)`); a diagonal Pₖ (diag and spherical covariances) is a scaling.
        /// Fixed blocks make the result independent of the core count.
        public func mahalanobis(_ x: Matrix) -> Matrix {
            let k = weights.count, d = means.columns, n = x.rows
            guard x.columns == d, x.values.count >= n * d, means.values.count >= k * d,
                  precisionCholesky.allSatisfy({ $0.count == d * d }) else { return Matrix(rows: n, columns: k, repeating: .nan) }
            guard n > 0, k > 0 else { return Matrix(rows: n, columns: k) }
            let diagonal = precisionCholesky.map { Self.diagonal(of: $0, d) }
            let blockRows = 256, blocks = (n + blockRows - 1) / blockRows
            let slots = ConcurrentSlots<[Double]>(blocks)
            let means = self.means, factors = precisionCholesky
            DispatchQueue.concurrentPerform(iterations: blocks) { b in
                let first = b * blockRows, count = min(n, first + blockRows) - first
                var out = [Double](repeating: 0, count: count * k)
                var diff = [Double](repeating: 0, count: count * d), y = diff
                var workspace = DenseProduct.Workspace(m: count, n: d, k: d)
                x.values.withUnsafeBufferPointer { xb in
                    means.values.withUnsafeBufferPointer { mb in
                        diff.withUnsafeMutableBufferPointer { db in
                            y.withUnsafeMutableBufferPointer { yb in
                                guard let xp = xb.baseAddress, let mp = mb.baseAddress, let dp = db.baseAddress, let yp = yb.baseAddress else { return }
                                for c in 0..<k {
                                    let mu = mp + c * d
                                    for r in 0..<count {
                                        let row = xp + (first + r) * d, to = dp + r * d
                                        for j in 0..<d { to[j] = row[j] - mu[j] }
                                    }
                                    if let scale = diagonal[c] {
                                        for r in 0..<count {
                                            let v = dp + r * d
                                            var total = 0.0
                                            for j in 0..<d { let t = v[j] * scale[j]; total += t * t }
                                            out[r * k + c] = total
                                        }
                                        continue
                                    }
                                    factors[c].withUnsafeBufferPointer { pb in
                                        guard let pp = pb.baseAddress else { return }
                                        DenseProduct.multiply(m: count, n: d, k: d, a: dp, lda: d, b: pp, ldb: d, c: yp, ldc: d, workspace: &workspace)
                                    }
                                    for r in 0..<count { out[r * k + c] = VectorKernels.sumOfSquares(yp + r * d, d) }
                                }
                            }
                        }
                    }
                }
                slots.set(b, out)
            }
            return Matrix(rows: n, columns: k, values: slots.values.flatMap { $0 })
        }

        /// The diagonal of a d × d factor that is zero off its diagonal, else nil.
        static func diagonal(of p: [Double], _ d: Int) -> [Double]? {
            for i in 0..<d { for j in 0..<d where i != j && p[i * d + j] != 0 { return nil } }
            return (0..<d).map { p[$0 * d + $0] }
        }

        /// Weighted log densities [N, K].
        public func weightedLogProb(_ x: Matrix) -> Matrix { weightedLogProb(mahalanobis: mahalanobis(x)) }

        /// Weighted log densities [N, K] from the squared Mahalanobis distances.
        func weightedLogProb(mahalanobis distances: Matrix) -> Matrix {
            var m = distances
            let constants = logConstants, k = m.columns
            m.values.withUnsafeMutableBufferPointer { v in
                for r in 0..<m.rows { for c in 0..<k { v[r * k + c] = constants[c] - 0.5 * v[r * k + c] } }
            }
            return m
        }

        /// The E-step: the mean log-likelihood per row and the responsibilities [N, K].
        func expectation(_ x: Matrix) -> (Double, Matrix) {
            var m = weightedLogProb(x)
            let k = m.columns
            var total = 0.0
            guard k > 0 else { return (0, m) }
            m.values.withUnsafeMutableBufferPointer { v in
                for r in 0..<m.rows {
                    let row = r * k
                    var top = -Double.infinity
                    for c in 0..<k { top = max(top, v[row + c]) }
                    if !top.isFinite { top = 0 }
                    var sum = 0.0
                    for c in 0..<k { sum += exp(v[row + c] - top) }
                    let norm = top + log(sum)
                    total += norm
                    for c in 0..<k { v[row + c] = exp(v[row + c] - norm) }
                }
            }
            return (total / Double(max(1, m.rows)), m)
        }

        /// The most probable component of each row, and the squared Mahalanobis distance to its mean.
        public func assign(_ x: Matrix) -> (labels: [Int], distances: [Double]) {
            let distances = mahalanobis(x), scores = weightedLogProb(mahalanobis: distances)
            let labels = (0..<x.rows).map { scores.argmax(row: $0) }
            return (labels, labels.enumerated().map { distances[$0.offset, $0.element] })
        }
    }
}
