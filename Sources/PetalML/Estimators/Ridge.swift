import PetalData

/// Ridge regression (scikit-learn's `Ridge`): least squares with an L2 penalty `alpha` on the coefficients,
/// solved as (XᵀX + αI)w = Xᵀy on centred data. Fitted values: `coefficients`, `intercept`.
public struct Ridge: EstimatorRecipe {
    public static let name = "ridge"
    public static let summary = "ridge regression: least squares with an L2 penalty that shrinks coefficients"
    public static let alpha = Param<Double>("alpha", 0...1e12, default: 1.0, help: "penalty strength: larger alpha, smaller coefficients",
                                            legacyKey: "alpha", search: .double(0.001...1000, log: true))
    public static let parameters = [alpha.descriptor]
    public static let tasks: Set<LearningTask> = [.regression]
    /// One penalty is fair to every feature only on one scale.
    public static let featureScaling = FeatureScaling.standard
    public static let fittedKinds = [FittedKind(Fitted.self)]
    public static let legacyFittedKinds = [FittedKind(Fitted.self, kind: "linear")]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard case .values(let y) = target else { throw PetalError("ridge predicts numbers; it needs a numeric target") }
        let (w, b) = try LeastSquares.solve(x, y, alpha: self[Self.alpha], step: Self.name)
        return Fitted(coefficients: w, intercept: b)
    }

    public struct Fitted: LinearPredictor {
        public static let kind = "ridge"
        public var coefficients: [Double]
        public var intercept: Double
    }
}
