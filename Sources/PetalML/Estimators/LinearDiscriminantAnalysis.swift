import Foundation
import PetalData

/// Linear discriminant analysis (scikit-learn's `LinearDiscriminantAnalysis`, solver "svd"): classes as Gaussians
/// with one shared covariance, so boundaries are straight. As the last step it classifies; before the end it is a
/// transform onto the `n_components` directions that separate the classes best (at most classes − 1).
/// Fitted values: `coefficients` and `intercepts` per class (classifier), or `mean` and `scalings` (transform).
public struct LinearDiscriminantAnalysis: SupervisedTransformRecipe {
    public static let name = "lda"
    public static let summary = "linear discriminant analysis: a classifier with straight boundaries, or (before the end) a projection that separates the classes"
    public static let nComponents = Param<Int?>("n_components", aliases: ["k"], 1...100_000,
                                                help: "as a transform: how many discriminant directions (at most classes − 1; none: all)")
    public static let tol = Param<Double>("tol", 0...1, default: 1e-4, help: "singular values below this count as zero (rank detection)")
    public static let parameters = [nComponents.descriptor, tol.descriptor]
    public static let tasks: Set<LearningTask> = [.classification]
    public static let fittedKinds = [FittedKind(Fitted.self), FittedKind(Projection.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        let d = try discriminants(x, target: target, context: context)
        return Fitted(coefficients: d.coefficients, intercepts: d.intercepts)
    }

    public func fitTransform(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedTransform {
        let d = try discriminants(x, target: target, context: context)
        let most = min(max(1, context.classCount - 1), x.columns)
        let keep = self[Self.nComponents] ?? most
        guard keep <= most else {
            throw PetalError("lda: n_components=\(keep) is more than min(classes − 1, features) = \(most)", hint: "use n_components=\(most) or fewer")
        }
        guard d.scalings.first.map({ $0.count >= keep }) ?? false else {
            throw PetalError("lda finds only \(d.scalings.first?.count ?? 0) discriminant direction(s) in these features, not \(keep)")
        }
        return Projection(mean: d.mean, scalings: d.scalings.map { Array($0.prefix(keep)) }, explainedVarianceRatio: Array(d.ratio.prefix(keep)))
    }

    /// scikit-learn's `_solve_svd`, with the singular value decompositions done as eigen-decompositions.
    func discriminants(_ x: Matrix, target: Target, context: FitContext) throws
        -> (coefficients: [[Double]], intercepts: [Double], mean: [Double], scalings: [[Double]], ratio: [Double]) {
        guard case .classes(let y) = target else { throw PetalError("lda separates classes; it needs a class column as target") }
        let n = x.rows, d = x.columns, k = context.classCount
        guard n > k else { throw PetalError("lda needs more training rows (\(n)) than classes (\(k))") }
        var counts = [Double](repeating: 0, count: k)
        var means = [[Double]](repeating: [Double](repeating: 0, count: d), count: k)
        for (i, c) in y.enumerated() { counts[c] += 1; for j in 0..<d { means[c][j] += x[i, j] } }
        for c in 0..<k where counts[c] > 0 { for j in 0..<d { means[c][j] /= counts[c] } }
        let priors = counts.map { $0 / Double(n) }
        var xbar = [Double](repeating: 0, count: d)
        for c in 0..<k { for j in 0..<d { xbar[j] += priors[c] * means[c][j] } }
        // Within-class scatter of the standardised, centred rows: the eigenvalues are the squared singular values.
        var std = [Double](repeating: 0, count: d)
        var centred = Matrix(rows: n, columns: d)
        for i in 0..<n { for j in 0..<d { centred[i, j] = x[i, j] - means[y[i]][j] } }
        var columnMeans = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { columnMeans[j] += centred.values[i * d + j] } }
        for j in 0..<d { columnMeans[j] /= Double(n) }
        for i in 0..<n { for j in 0..<d { let t = centred.values[i * d + j] - columnMeans[j]; std[j] += t * t } }
        for j in 0..<d {
            std[j] = (std[j] / Double(n)).squareRoot()
            if std[j] == 0 { std[j] = 1 }
        }
        let fac = 1 / Double(n)   // scikit-learn ≥ 1.2 scales by 1/n_samples here
        // The standardised rows' scatter ZᵀZ, one matrix product (scikit-learn takes the SVD of Z instead).
        for i in 0..<n { for j in 0..<d { centred.values[i * d + j] /= std[j] } }
        var within = DenseProduct.gram(of: centred)
        for i in within.indices { within[i] *= fac }
        let (w, v) = SymmetricEigen.decompose(within, n: d)
        let singular = w.map { max(0, $0).squareRoot() }
        let rank = singular.filter { $0 > self[Self.tol] }.count
        guard rank > 0 else { throw PetalError("lda: the features do not vary within the classes") }
        // scalings[j][r] = V[j][r] / std[j] / S[r]
        var scalings = (0..<d).map { j in (0..<rank).map { r in v[r][j] / std[j] / singular[r] } }
        // Between-class scatter in that space.
        let fac2 = k > 1 ? 1 / Double(k - 1) : 1
        var between = [Double](repeating: 0, count: rank * rank)
        for c in 0..<k {
            let weight = (Double(n) * priors[c] * fac2).squareRoot()
            let row = (0..<rank).map { r in (0..<d).reduce(0.0) { $0 + weight * (means[c][$1] - xbar[$1]) * scalings[$1][r] } }
            for a in 0..<rank { for b in 0..<rank { between[a * rank + b] += row[a] * row[b] } }
        }
        let (w2, v2) = SymmetricEigen.decompose(between, n: rank)
        let s2 = w2.map { max(0, $0).squareRoot() }
        let total = w2.reduce(0) { $0 + max(0, $1) }
        let rank2 = s2.filter { $0 > self[Self.tol] * (s2.first ?? 0) }.count
        scalings = (0..<d).map { j in (0..<rank2).map { r in (0..<rank).reduce(0.0) { $0 + scalings[j][$1] * v2[r][$1] } } }
        // coef = (means − xbar)·S; intercept = −½‖coef‖² + log prior; then back to the features.
        var coefficients = [[Double]](), intercepts = [Double]()
        for c in 0..<k {
            let projected = (0..<rank2).map { r in (0..<d).reduce(0.0) { $0 + (means[c][$1] - xbar[$1]) * scalings[$1][r] } }
            var intercept = -0.5 * projected.reduce(0) { $0 + $1 * $1 } + log(priors[c])
            let coef = (0..<d).map { j in (0..<rank2).reduce(0.0) { $0 + projected[$1] * scalings[j][$1] } }
            intercept -= zip(xbar, coef).reduce(0) { $0 + $1.0 * $1.1 }
            coefficients.append(coef); intercepts.append(intercept)
        }
        let ratio = w2.prefix(rank2).map { total > 0 ? max(0, $0) / total : 0 }
        return (coefficients, intercepts, xbar, scalings, ratio)
    }

    /// The classifier: softmax of `coefficients · x + intercepts`.
    public struct Fitted: FittedClassifier {
        public static let kind = "lda"
        public var coefficients: [[Double]]
        public var intercepts: [Double]
        public var task: LearningTask { .classification }

        public func predictProba(_ q: Matrix) -> Matrix { NaiveBayesPrior.linearSoftmax(q, weights: coefficients, bias: intercepts) }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(coefficients.count, classes, "coefficients"); try Check.count(intercepts.count, classes, "intercepts")
            try Check.rows(coefficients, width: width, "a coefficient row")
        }
    }

    /// The transform: `(x − mean) · scalings`, one column per discriminant direction.
    public struct Projection: FittedTransform, LearnedSummary {
        public static let kind = "lda_projection"
        public var mean: [Double]
        /// One row per input feature, one column per direction kept.
        public var scalings: [[Double]]
        public var explainedVarianceRatio: [Double]

        public func outputWidth(_ inputWidth: Int) -> Int { scalings.first?.count ?? 0 }

        public var learnedSummary: [(name: String, values: [Double])] { [("explained_variance_ratio", explainedVarianceRatio)] }

        public func transform(_ x: Matrix) -> Matrix {
            let k = scalings.first?.count ?? 0
            var out = Matrix(rows: x.rows, columns: k)
            for r in 0..<x.rows {
                for c in 0..<k {
                    var s = 0.0
                    for j in 0..<min(x.columns, scalings.count) { s += (x[r, j] - mean[j]) * scalings[j][c] }
                    out[r, c] = s
                }
            }
            return out
        }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(mean.count, width, "mean"); try Check.count(scalings.count, width, "scalings")
            guard let k = scalings.first?.count, k > 0 else { throw PetalError("it keeps no directions") }
            try Check.rows(scalings, width: k, "a scaling row")
            try Check.count(explainedVarianceRatio.count, k, "explained variance ratio")
        }
    }
}
