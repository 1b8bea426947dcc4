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

        /// Squared Mahalanobis distances [N, K]: ‖(x − μₖ)Pₖ‖².
        public func mahalanobis(_ x: Matrix) -> Matrix {
            let k = weights.count, d = means.columns
            var out = Matrix(rows: x.rows, columns: k)
            guard x.columns == d else { return Matrix(rows: x.rows, columns: k, repeating: .nan) }
            var diff = [Double](repeating: 0, count: d)
            for r in 0..<x.rows {
                for c in 0..<k {
                    for j in 0..<d { diff[j] = x[r, j] - means[c, j] }
                    let p = precisionCholesky[c]
                    var total = 0.0
                    for j in 0..<d {
                        var y = 0.0
                        for a in 0...j { y += diff[a] * p[a * d + j] }   // P is upper triangular
                        total += y * y
                    }
                    out[r, c] = total
                }
            }
            return out
        }

        /// Weighted log densities [N, K].
        public func weightedLogProb(_ x: Matrix) -> Matrix {
            var m = mahalanobis(x)
            let constants = logConstants
            for r in 0..<m.rows { for c in 0..<m.columns { m[r, c] = constants[c] - 0.5 * m[r, c] } }
            return m
        }

        /// The E-step: the mean log-likelihood per row and the responsibilities [N, K].
        func expectation(_ x: Matrix) -> (Double, Matrix) {
            var m = weightedLogProb(x)
            var total = 0.0
            for r in 0..<m.rows {
                let row = Array(m.row(r)), top = row.max() ?? 0
                let norm = top + log(row.reduce(0) { $0 + exp($1 - top) })
                total += norm
                for c in 0..<m.columns { m[r, c] = exp(row[c] - norm) }
            }
            return (total / Double(max(1, m.rows)), m)
        }

        /// The most probable component of each row, and the squared Mahalanobis distance to its mean.
        public func assign(_ x: Matrix) -> (labels: [Int], distances: [Double]) {
            let distances = mahalanobis(x), scores = weightedLogProb(x)
            let labels = (0..<x.rows).map { scores.argmax(row: $0) }
            return (labels, labels.enumerated().map { distances[$0.offset, $0.element] })
        }
    }
}
