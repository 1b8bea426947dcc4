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
    public static let tasks: Set<LearningTask> = [.classification]
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
        let n = x.rows
        var maxVar = 0.0
        var allMeans = [Double](repeating: 0, count: d), allSquares = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { allMeans[j] += x[i, j] } }
        for j in 0..<d { allMeans[j] /= Double(max(1, n)) }
        for i in 0..<n { for j in 0..<d { let t = x[i, j] - allMeans[j]; allSquares[j] += t * t } }
        for j in 0..<d { maxVar = max(maxVar, allSquares[j] / Double(max(1, n))) }
        let epsilon = varSmoothing * maxVar
        // Per-class sums in flat arrays (class c's feature j at c·d + j), then the nested form the model stores.
        var sums = [Double](repeating: 0, count: classCount * d), squares = sums
        var counts = [Int](repeating: 0, count: classCount)
        for (i, c) in labels.enumerated() { counts[c] += 1; for j in 0..<d { sums[c * d + j] += x[i, j] } }
        for c in 0..<classCount where counts[c] > 0 { for j in 0..<d { sums[c * d + j] /= Double(counts[c]) } }
        for (i, c) in labels.enumerated() { for j in 0..<d { let t = x[i, j] - sums[c * d + j]; squares[c * d + j] += t * t } }
        let theta = (0..<classCount).map { c in Array(sums[(c * d)..<((c + 1) * d)]) }
        let variance = (0..<classCount).map { c in (0..<d).map { j in squares[c * d + j] / Double(max(1, counts[c])) + epsilon } }
        let total = Double(labels.count)
        return Fitted(theta: theta, variance: variance, prior: counts.map { Double($0) / total })
    }

    public struct Fitted: FittedClassifier {
        public static let kind = "gaussian_nb"
        public var theta: [[Double]]
        public var variance: [[Double]]
        public var prior: [Double]
        public var task: LearningTask { .classification }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(prior.count, classes, "prior")
            try Check.count(theta.count, classes, "theta"); try Check.count(variance.count, classes, "variance")
            try Check.rows(theta, width: width, "a theta row"); try Check.rows(variance, width: width, "a variance row")
        }

        public func predictProba(_ q: Matrix) -> Matrix {
            let k = prior.count, d = q.columns
            var out = Matrix(rows: q.rows, columns: k)
            // Per class, what does not depend on the row: log prior − ½ Σ log(2π σ²) (scikit-learn's order of terms).
            let constant = (0..<k).map { c -> Double in
                var n1 = 0.0
                for j in 0..<d { n1 += log(2 * Double.pi * (variance[c][safe: j] ?? 1)) }
                return log(prior[c]) - 0.5 * n1
            }
            var means = [Double](repeating: 0, count: k * d), variances = [Double](repeating: 1, count: k * d)
            for c in 0..<k { for j in 0..<d { means[c * d + j] = theta[c][safe: j] ?? 0; variances[c * d + j] = variance[c][safe: j] ?? 1 } }
            var jll = [Double](repeating: 0, count: k)
            for r in 0..<q.rows {
                for c in 0..<k {
                    var n2 = 0.0
                    for j in 0..<d {
                        let t = q[r, j] - means[c * d + j]
                        n2 += t * t / variances[c * d + j]
                    }
                    jll[c] = constant[c] - 0.5 * n2
                }
                let m = jll.max() ?? 0
                var total = 0.0
                for c in 0..<k { total += exp(jll[c] - m) }
                let lse = m + log(total)
                for c in 0..<k { out[r, c] = exp(jll[c] - lse) }
            }
            return out
        }
    }
}
