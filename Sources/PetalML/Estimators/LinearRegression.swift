import PetalData

/// Ordinary least squares (scikit-learn's `LinearRegression`): centre the data, solve XᵀXw = Xᵀy,
/// intercept = ȳ − x̄·w. Fitted values: `coefficients`, `intercept`.
public struct LinearRegression: EstimatorRecipe {
    public static let name = "linear_regression"
    public static let summary = "ordinary least squares: a straight-line (hyperplane) fit of a numeric target"
    public static let parameters: [ParameterDescriptor] = []
    public static let tasks: Set<LearningTask> = [.regression]
    public static let fittedKinds = [FittedKind(Fitted.self)]
    public static let legacyFittedKinds = [FittedKind(Fitted.self, kind: "linear")]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard case .values(let y) = target else { throw PetalError("linear_regression predicts numbers; it needs a numeric target") }
        let (w, b) = try LeastSquares.solve(x, y, alpha: 0, step: Self.name)
        return Fitted(coefficients: w, intercept: b)
    }

    public struct Fitted: LinearPredictor {
        public static let kind = "linear_regression"
        public var coefficients: [Double]
        public var intercept: Double
    }
}

/// A fitted linear model of a number: `intercept + coefficients · x`.
public protocol LinearPredictor: FittedRegressor {
    var coefficients: [Double] { get }
    var intercept: Double { get }
}

extension LinearPredictor {
    public var task: LearningTask { .regression }

    public func predictValues(_ q: Matrix) -> [Double] {
        let w = coefficients, b = intercept, d = q.columns
        guard w.count == d, q.values.count == q.rows * d else { return [Double](repeating: .nan, count: q.rows) }
        return w.withUnsafeBufferPointer { w in
            q.values.withUnsafeBufferPointer { v in
                (0..<q.rows).map { i in
                    var s = b
                    for j in 0..<d { s += w[j] * v[i * d + j] }
                    return s
                }
            }
        }
    }

    public func validate(width: Int, classes: Int) throws { try Check.count(coefficients.count, width, "coefficients") }
}

/// Penalised least squares shared by the linear regressors.
enum LeastSquares {
    static func solve(_ x: Matrix, _ y: [Double], alpha: Double, step: String) throws -> (coefficients: [Double], intercept: Double) {
        let n = x.rows, d = x.columns
        guard n > 0 else { throw PetalError("\(step): no training rows") }
        guard x.values.count == n * d, y.count == n else { throw PetalError("\(step): \(y.count) targets for \(n) rows") }
        let means = DenseProduct.columnMeans(x)
        let yMean = y.reduce(0, +) / Double(n)
        // XᵀX and Xᵀy of the centred data in one pass over the rows, as matrix products on every core.
        let centred = y.map { $0 - yMean }
        guard let sums = centred.withUnsafeBufferPointer({ t in t.baseAddress.map { DenseProduct.centredGram(x, means: means, target: $0) } }) else {
            throw PetalError("\(step): no training rows")
        }
        var xtx = sums.gram
        let xty = sums.xty
        for a in 0..<d { xtx[a * d + a] += alpha }
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
            throw PetalError("\(step): the features are collinear (or a feature is constant), so least squares has no unique answer",
                            hint: "drop a redundant column, or use ridge alpha=1 instead")
        }
        let intercept = yMean - zip(w, means).reduce(0) { $0 + $1.0 * $1.1 }
        return (w, intercept)
    }
}
