import Foundation
import PetalData

/// Gaussian naive Bayes (scikit-learn's `GaussianNB`): per-class means and variances, with variance smoothing.
/// Fitted values: `theta` (means), `variance`, `prior` per class.
public struct GaussianNB: EstimatorRecipe {
    public static let name = "gaussian_nb"
    public static let summary = "Gaussian naive Bayes: each feature normal within each class"
    public static let varSmoothingParam = Param<Double>("var_smoothing", 0...1, default: 1e-9,
                                                        help: "share of the largest feature variance added to every variance, for stability",
                                                        legacyKey: "varSmoothing", search: .double(0.000000000001...0.01, log: true))
    public static let parameters = [varSmoothingParam.descriptor]
    public static let tasks: Set<Task> = [.classification]
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }
    public var varSmoothing: Double { self[Self.varSmoothingParam] }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard case .classes(let labels) = target else { throw PetalError("gaussian_nb is a classifier; it needs a class column as target") }
        return try fit(x, labels: labels, classCount: context.classCount)
    }

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

    public struct Fitted: FittedClassifier {
        public static let kind = "gaussian_nb"
        public var theta: [[Double]]
        public var variance: [[Double]]
        public var prior: [Double]
        public var task: Task { .classification }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(prior.count, classes, "prior")
            try Check.count(theta.count, classes, "theta"); try Check.count(variance.count, classes, "variance")
            try Check.rows(theta, width: width, "a theta row"); try Check.rows(variance, width: width, "a variance row")
        }

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
