import PetalData

/// Ordinary least squares (`linear_regression`, scikit-learn's `LinearRegression`) and L2-penalised least
/// squares (`ridge`, scikit-learn's `Ridge`): centre the data, solve (XᵀX + αI)w = Xᵀy, intercept = ȳ − x̄·w.
/// Fitted values: `coefficients`, `intercept`.
public struct LinearRegression: Sendable, Codable, Hashable {
    public static let stepName = "linear_regression"
    public static let summary = "ordinary least squares: a straight-line (hyperplane) fit of a numeric target"
    public static let parameters: [ParameterDescriptor] = []
    public init(_ p: ParameterValues) {}

    public func fit(_ x: Matrix, values y: [Double]) throws -> LinearFit { try LinearFit.solve(x, y, alpha: 0, step: Self.stepName) }
}

/// Ridge regression: least squares with an L2 penalty `alpha` on the coefficients.
public struct Ridge: Sendable, Codable, Hashable {
    public static let stepName = "ridge"
    public static let summary = "ridge regression: least squares with an L2 penalty that shrinks coefficients"
    public static let parameters: [ParameterDescriptor] = [
        ParameterDescriptor("alpha", .double(0...1e12), default: "1.0", help: "penalty strength: larger alpha, smaller coefficients"),
    ]
    public var alpha = 1.0
    public init(_ p: ParameterValues) { alpha = p.double("alpha", default: 1) }

    public func fit(_ x: Matrix, values y: [Double]) throws -> LinearFit { try LinearFit.solve(x, y, alpha: alpha, step: Self.stepName) }
}

/// A fitted linear model.
public struct LinearFit: Sendable, Codable, Hashable {
    public var coefficients: [Double]
    public var intercept: Double

    public func predict(_ q: Matrix) -> [Double] {
        (0..<q.rows).map { i in
            var s = intercept
            for j in 0..<q.columns { s += coefficients[j] * q[i, j] }
            return s
        }
    }

    static func solve(_ x: Matrix, _ y: [Double], alpha: Double, step: String) throws -> LinearFit {
        let n = x.rows, d = x.columns
        guard n > 0 else { throw DataError("\(step): no training rows") }
        var means = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { means[j] += x[i, j] } }
        for j in 0..<d { means[j] /= Double(n) }
        let yMean = y.reduce(0, +) / Double(n)
        var xtx = [Double](repeating: 0, count: d * d)
        var xty = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for a in 0..<d {
                let xa = x[i, a] - means[a]
                xty[a] += xa * (y[i] - yMean)
                for b in a..<d { xtx[a * d + b] += xa * (x[i, b] - means[b]) }
            }
        }
        for a in 0..<d { for b in 0..<a { xtx[a * d + b] = xtx[b * d + a] } ; xtx[a * d + a] += alpha }
        // Collinear features (one-hot columns summing to one, a duplicated column) make XᵀX singular. Least
        // squares then has many solutions with the same predictions; a vanishing ridge picks the smallest one,
        // as scikit-learn's lstsq does.
        var solution = Cholesky.solve(xtx, xty, size: d)
        if solution == nil {
            let scale = max(1e-300, (0..<d).map { xtx[$0 * d + $0] }.max() ?? 1)
            for tiny in [1e-12, 1e-10, 1e-8] where solution == nil {
                var damped = xtx
                for a in 0..<d { damped[a * d + a] += tiny * scale }
                solution = Cholesky.solve(damped, xty, size: d)
            }
        }
        guard let w = solution else {
            throw DataError("\(step): the features are collinear (or a feature is constant), so least squares has no unique answer",
                            hint: "drop a redundant column, or use ridge alpha=1 instead")
        }
        let intercept = yMean - zip(w, means).reduce(0) { $0 + $1.0 * $1.1 }
        return LinearFit(coefficients: w, intercept: intercept)
    }
}

extension KNeighborsClassifier {
    /// k-nearest-neighbour regression (scikit-learn's `KNeighborsRegressor`): the (weighted) mean of the
    /// neighbours' targets.
    public func fitRegressor(_ x: Matrix, values y: [Double]) throws -> RegressorFitted {
        guard k <= x.rows else {
            throw DataError("knn: n_neighbors=\(k) is more than the \(x.rows) training rows", hint: "use k=\(max(1, min(5, x.rows)))")
        }
        return RegressorFitted(recipe: self, x: x, y: y)
    }

    public struct RegressorFitted: Sendable, Codable, Hashable {
        public var recipe: KNeighborsClassifier
        public var x: Matrix
        public var y: [Double]

        public func predict(_ q: Matrix) -> [Double] {
            let manhattan = recipe.metric == "manhattan"
            let (indices, squared) = NeighbourSearch.nearest(q, in: x, k: recipe.k, manhattan: manhattan)
            return (0..<q.rows).map { r in
                let order = indices[r]
                let dist = squared[r].map { manhattan ? $0 : $0.squareRoot() }
                if recipe.weights == "distance" {
                    let exact = order.indices.filter { dist[$0] == 0 }
                    if !exact.isEmpty { return exact.reduce(0) { $0 + y[order[$1]] } / Double(exact.count) }
                    let w = dist.map { 1 / $0 }
                    return zip(order, w).reduce(0) { $0 + y[$1.0] * $1.1 } / w.reduce(0, +)
                }
                return order.reduce(0) { $0 + y[$1] } / Double(order.count)
            }
        }
    }
}
