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
        let d = x.columns, n = x.rows, k = classCount
        guard labels.count == n, labels.allSatisfy({ $0 >= 0 && $0 < k }) else {
            throw PetalError("gaussian_nb: \(labels.count) class labels for \(n) rows, or a label outside 0..<\(k)")
        }
        // Two passes over the rows, in fixed blocks on every core (`RowBlocks.sums`: the blocks' sums are added in
        // block order, so the model does not depend on the number of cores): sums over all rows and per class, then
        // squared deviations from those means. Layout: all rows' feature j at j, class c's at (c + 1)·d + j.
        let width = (k + 1) * d
        let sums = RowBlocks.sums(rows: n, width: width) { rows, into in
            for i in rows {
                let c = labels[i]
                for j in 0..<d { let v = x[i, j]; into[j] += v; into[(c + 1) * d + j] += v }
            }
        }
        var counts = [Int](repeating: 0, count: k)
        for c in labels { counts[c] += 1 }
        let means = (0..<width).map { at in
            let c = at / d - 1, count = c < 0 ? n : counts[c]
            return count > 0 ? sums[at] / Double(count) : sums[at]
        }
        let squares = RowBlocks.sums(rows: n, width: width) { rows, into in
            for i in rows {
                let c = labels[i]
                for j in 0..<d {
                    let all = x[i, j] - means[j], own = x[i, j] - means[(c + 1) * d + j]
                    into[j] += all * all; into[(c + 1) * d + j] += own * own
                }
            }
        }
        // epsilon = var_smoothing × the largest variance of any feature over all rows.
        var maxVar = 0.0
        for j in 0..<d { maxVar = max(maxVar, squares[j] / Double(max(1, n))) }
        let epsilon = varSmoothing * maxVar
        let theta = (0..<k).map { c in Array(means[((c + 1) * d)..<((c + 2) * d)]) }
        let variance = (0..<k).map { c in (0..<d).map { j in squares[(c + 1) * d + j] / Double(max(1, counts[c])) + epsilon } }
        let total = Double(n)
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
            let rows = q.rows
            // Per class, what does not depend on the row: log prior − ½ Σ log(2π σ²) (scikit-learn's order of terms).
            let constant = (0..<k).map { c -> Double in
                var n1 = 0.0
                for j in 0..<d { n1 += log(2 * Double.pi * (variance[c][safe: j] ?? 1)) }
                return log(prior[c]) - 0.5 * n1
            }
            let means = (0..<(k * d)).map { theta[$0 / d][safe: $0 % d] ?? 0 }
            let variances = (0..<(k * d)).map { variance[$0 / d][safe: $0 % d] ?? 1 }
            // Rows in blocks on every core, each row's probabilities written by one block.
            return Matrix(rows: rows, columns: k) { o in
                guard let base = o.baseAddress else { return }
                let sink = RowSink(values: base)
                RowBlocks.each(rows: rows, atLeast: max(1_024, (1 << 16) / max(1, k * d))) { rows in
                    var jll = [Double](repeating: 0, count: k)
                    for r in rows {
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
                        for c in 0..<k { sink.values[r * k + c] = exp(jll[c] - lse) }
                    }
                }
            }
        }
    }
}
