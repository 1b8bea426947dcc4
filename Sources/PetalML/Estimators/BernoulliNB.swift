import Foundation
import PetalData

/// Bernoulli naive Bayes (scikit-learn's `BernoulliNB`): for yes/no features; each feature is first made 0/1
/// (above `binarize` → 1), then each class has a probability per feature of being 1, smoothed by `alpha`.
/// Fitted values: `classLogPrior`, `featureLogProb` and `negativeLogProb` (log of 1 − p) per class, `binarize`.
public struct BernoulliNB: EstimatorRecipe {
    public static let name = "bernoulli_nb"
    public static let summary = "Bernoulli naive Bayes: for yes/no features (numbers above binarize= count as yes)"
    public static let alpha = Param<Double>("alpha", 0...1e12, default: 1.0, help: "additive (Laplace) smoothing; 0 for none", search: .double(0.001...10, log: true))
    public static let binarize = Param<Double?>("binarize", -1e300...1e300, default: 0.0,
                                                help: "a feature above this is 1, else 0 (none: the features are already 0/1)")
    public static let parameters = [alpha.descriptor, binarize.descriptor]
    public static let tasks: Set<LearningTask> = [.classification]
    /// Binarize=0 then splits each feature at its mean.
    public static let featureScaling = FeatureScaling.standard
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard case .classes(let labels) = target else { throw PetalError("bernoulli_nb is a classifier; it needs a class column as target") }
        let k = context.classCount, d = x.columns, a = self[Self.alpha], threshold = self[Self.binarize]
        var counts = [[Double]](repeating: [Double](repeating: 0, count: d), count: k)
        var classCounts = [Double](repeating: 0, count: k)
        for (i, c) in labels.enumerated() {
            classCounts[c] += 1
            for j in 0..<d { counts[c][j] += Fitted.binary(x[i, j], threshold) }
        }
        var featureLogProb = counts, negativeLogProb = counts
        for c in 0..<k {
            for j in 0..<d {
                let p = (counts[c][j] + a) / (classCounts[c] + 2 * a)
                featureLogProb[c][j] = log(p); negativeLogProb[c][j] = log(1 - p)
            }
        }
        return Fitted(classLogPrior: NaiveBayesPrior.logPrior(classCounts), featureLogProb: featureLogProb,
                      negativeLogProb: negativeLogProb, binarize: threshold)
    }

    public struct Fitted: FittedClassifier {
        public static let kind = "bernoulli_nb"
        public var classLogPrior: [Double]
        public var featureLogProb: [[Double]]
        public var negativeLogProb: [[Double]]
        /// The threshold above which a feature is 1; nil when features are taken as they are.
        public var binarize: Double?
        public var task: LearningTask { .classification }

        static func binary(_ v: Double, _ threshold: Double?) -> Double {
            guard let threshold else { return v }
            return v > threshold ? 1 : 0
        }

        public func predictProba(_ q: Matrix) -> Matrix {
            NaiveBayesPrior.softmax(q, classLogPrior) { r, c in
                var s = 0.0
                for j in 0..<q.columns {
                    let v = Fitted.binary(q[r, j], binarize)
                    s += v * featureLogProb[c][j] + (1 - v) * negativeLogProb[c][j]
                }
                return s
            }
        }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(classLogPrior.count, classes, "the class priors")
            try Check.count(featureLogProb.count, classes, "the feature log-probabilities"); try Check.count(negativeLogProb.count, classes, "the negative log-probabilities")
            try Check.rows(featureLogProb, width: width, "a feature log-probability row"); try Check.rows(negativeLogProb, width: width, "a negative log-probability row")
        }
    }
}
