import PetalData

/// The lasso (scikit-learn's `Lasso`): least squares with an L1 penalty, 1/(2n)‖y − Xw − b‖² + α‖w‖₁, which sets
/// some coefficients to exactly 0 — the elastic net's coordinate descent with `l1_ratio=1`.
/// Fitted values: `coefficients`, `intercept`.
public struct Lasso: EstimatorRecipe {
    public static let name = "lasso"
    public static let summary = "the lasso: least squares with an L1 penalty that sets some coefficients to exactly 0"
    public static let alpha = Param<Double>("alpha", 0...1e12, default: 1.0, help: "penalty strength: larger alpha, more coefficients at 0", search: .double(0.0001...100, log: true))
    public static let maxIter = Param<Int>("max_iter", 1...1_000_000, default: 1000, help: "coordinate descent passes at most")
    public static let tol = Param<Double>("tol", 0...1, default: 1e-4, help: "stop when the duality gap is below tol × ‖y‖²")
    public static let parameters = [alpha.descriptor, maxIter.descriptor, tol.descriptor]
    public static let tasks: Set<LearningTask> = [.regression]
    /// One penalty is fair to every feature only on one scale.
    public static let featureScaling = FeatureScaling.standard
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard case .values(let y) = target else { throw PetalError("lasso predicts numbers; it needs a numeric target") }
        let (w, b, _) = CoordinateDescent.fit(x, y, alpha: self[Self.alpha], l1Ratio: 1, maxIter: self[Self.maxIter], tol: self[Self.tol])
        return Fitted(coefficients: w, intercept: b)
    }

    public struct Fitted: LinearPredictor {
        public static let kind = "lasso"
        public var coefficients: [Double]
        public var intercept: Double
    }
}
