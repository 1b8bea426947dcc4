import Foundation

/// Gaussian naive Bayes (scikit-learn's `GaussianNB`): per-class means and variances, with variance smoothing.
/// Fitted values: `theta` (means), `variance`, `prior` per class.
public struct GaussianNB: Sendable, Codable, Hashable {
    public static let stepName = "gaussian_nb"
    public static let summary = "Gaussian naive Bayes: each feature normal within each class"
    public static let parameters: [ParameterDescriptor] = [
        ParameterDescriptor("var_smoothing", .double(0...1), default: "1e-09",
                            help: "share of the largest feature variance added to every variance, for stability"),
    ]
    public var varSmoothing = 1e-9

    public init(_ p: ParameterValues) { varSmoothing = p.double("var_smoothing", default: 1e-9) }

    public func fit(_ x: Matrix, labels: [Int], classCount: Int) throws -> Fitted {
        let d = x.columns
        // epsilon = var_smoothing × the largest variance of any feature over all rows.
        var maxVar = 0.0
        for j in 0..<d {
            let col = (0..<x.rows).map { x[$0, j] }
            let m = col.reduce(0, +) / Double(max(1, col.count))
            maxVar = max(maxVar, col.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(1, col.count)))
        }
        let epsilon = varSmoothing * maxVar
        var theta = [[Double]](repeating: [Double](repeating: 0, count: d), count: classCount)
        var variance = theta
        var counts = [Int](repeating: 0, count: classCount)
        for (i, c) in labels.enumerated() { counts[c] += 1; for j in 0..<d { theta[c][j] += x[i, j] } }
        for c in 0..<classCount where counts[c] > 0 { for j in 0..<d { theta[c][j] /= Double(counts[c]) } }
        for (i, c) in labels.enumerated() { for j in 0..<d { let t = x[i, j] - theta[c][j]; variance[c][j] += t * t } }
        for c in 0..<classCount { for j in 0..<d { variance[c][j] = variance[c][j] / Double(max(1, counts[c])) + epsilon } }
        let n = Double(labels.count)
        return Fitted(theta: theta, variance: variance, prior: counts.map { Double($0) / n })
    }

    public struct Fitted: Sendable, Codable, Hashable {
        public var theta: [[Double]]
        public var variance: [[Double]]
        public var prior: [Double]

        public func predictProba(_ q: Matrix) -> Matrix {
            let k = prior.count
            var out = Matrix(rows: q.rows, columns: k)
            for r in 0..<q.rows {
                var jll = [Double](repeating: 0, count: k)
                for c in 0..<k {
                    var s = log(prior[c])
                    var n1 = 0.0, n2 = 0.0
                    for j in 0..<q.columns {
                        n1 += log(2 * Double.pi * variance[c][j])
                        let t = q[r, j] - theta[c][j]
                        n2 += t * t / variance[c][j]
                    }
                    s += -0.5 * n1 - 0.5 * n2
                    jll[c] = s
                }
                let m = jll.max() ?? 0
                let lse = m + log(jll.reduce(0) { $0 + exp($1 - m) })
                for c in 0..<k { out[r, c] = exp(jll[c] - lse) }
            }
            return out
        }
    }
}
