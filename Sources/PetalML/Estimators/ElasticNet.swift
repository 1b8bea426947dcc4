import Foundation
import PetalData

/// Elastic net (scikit-learn's `ElasticNet`): least squares with a mix of L1 and L2 penalties,
/// 1/(2n)‖y − Xw − b‖² + α·ρ‖w‖₁ + ½α(1 − ρ)‖w‖², by cyclic coordinate descent with scikit-learn's stopping rule
/// (the duality gap below `tol`·‖y‖²) and its gap-safe screening. Fitted values: `coefficients`, `intercept`.
public struct ElasticNet: EstimatorRecipe {
    public static let name = "elastic_net"
    public static let summary = "elastic net: least squares with L1 and L2 penalties (some coefficients become exactly 0)"
    public static let alpha = Param<Double>("alpha", 0...1e12, default: 1.0, help: "penalty strength: larger alpha, smaller coefficients", search: .double(0.0001...100, log: true))
    public static let l1Ratio = Param<Double>("l1_ratio", 0...1, default: 0.5, help: "share of the L1 penalty: 1 is the lasso, 0 ridge", search: .double(0.05...0.95, log: false))
    public static let maxIter = Param<Int>("max_iter", 1...1_000_000, default: 1000, help: "coordinate descent passes at most")
    public static let tol = Param<Double>("tol", 0...1, default: 1e-4, help: "stop when the duality gap is below tol × ‖y‖²")
    public static let parameters = [alpha.descriptor, l1Ratio.descriptor, maxIter.descriptor, tol.descriptor]
    public static let tasks: Set<LearningTask> = [.regression]
    /// One penalty is fair to every feature only on one scale.
    public static let featureScaling = FeatureScaling.standard
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard case .values(let y) = target else { throw PetalError("elastic_net predicts numbers; it needs a numeric target") }
        let (w, b, _) = CoordinateDescent.fit(x, y, alpha: self[Self.alpha], l1Ratio: self[Self.l1Ratio],
                                              maxIter: self[Self.maxIter], tol: self[Self.tol])
        return Fitted(coefficients: w, intercept: b)
    }

    public struct Fitted: LinearPredictor {
        public static let kind = "elastic_net"
        public var coefficients: [Double]
        public var intercept: Double
    }
}
