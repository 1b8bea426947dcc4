import Foundation
import PetalData

/// Multinomial naive Bayes (scikit-learn's `MultinomialNB`): for counts or frequencies (word counts, ratings);
/// per class, the share of each feature's total, smoothed by `alpha`. Fitted values: `classLogPrior` and
/// `featureLogProb` per class.
public struct MultinomialNB: EstimatorRecipe {
    public static let name = "multinomial_nb"
    public static let summary = "multinomial naive Bayes: for counts and frequencies (features must not be negative)"
    public static let alpha = Param<Double>("alpha", 0...1e12, default: 1.0, help: "additive (Laplace) smoothing of the counts; 0 for none", search: .double(0.001...10, log: true))
    public static let parameters = [alpha.descriptor]
    public static let tasks: Set<LearningTask> = [.classification]
    /// It refuses negative features.
    public static let featureScaling = FeatureScaling.unitRange
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard case .classes(let labels) = target else { throw PetalError("multinomial_nb is a classifier; it needs a class column as target") }
        if let bad = x.values.firstIndex(where: { $0 < 0 }) {
            throw PetalError("multinomial_nb needs features that are not negative (counts or frequencies); feature \(bad % max(1, x.columns) + 1) has \(NumberText.shortest(x.values[bad]))",
                            hint: "scale to 0…1 first (pipeline p = min_max_scaler | multinomial_nb), or use gaussian_nb")
        }
        let k = context.classCount, d = x.columns, a = self[Self.alpha]
        // Per class, each feature's sum over its rows in row order (class c's feature j at c·d + j).
        var sums = [Double](repeating: 0, count: k * d)
        var classCounts = [Double](repeating: 0, count: k)
        precondition(x.values.count >= labels.count * d && labels.allSatisfy { (0..<k).contains($0) })
        x.values.withUnsafeBufferPointer { v in
            sums.withUnsafeMutableBufferPointer { out in
                for (i, c) in labels.enumerated() {
                    classCounts[c] += 1
                    for j in 0..<d { out[c * d + j] += v[i * d + j] }
                }
            }
        }
        let counts = (0..<k).map { c in Array(sums[(c * d)..<((c + 1) * d)]) }
        let featureLogProb = counts.map { row -> [Double] in
            let total = row.reduce(0) { $0 + $1 + a }
            return row.map { log($0 + a) - log(total) }
        }
        return Fitted(classLogPrior: NaiveBayesPrior.logPrior(classCounts), featureLogProb: featureLogProb)
    }

    public struct Fitted: FittedClassifier {
        public static let kind = "multinomial_nb"
        public var classLogPrior: [Double]
        public var featureLogProb: [[Double]]
        public var task: LearningTask { .classification }

        public func predictProba(_ q: Matrix) -> Matrix { NaiveBayesPrior.linearSoftmax(q, weights: featureLogProb, bias: classLogPrior) }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(classLogPrior.count, classes, "the class priors"); try Check.count(featureLogProb.count, classes, "the feature log-probabilities")
            try Check.rows(featureLogProb, width: width, "a feature log-probability row")
        }
    }
}

/// What the discrete naive Bayes models share: log priors from class counts, and joint likelihoods to probabilities.
enum NaiveBayesPrior {
    /// log(count / total) per class (−∞ for a class with no training rows).
    static func logPrior(_ counts: [Double]) -> [Double] {
        let total = counts.reduce(0, +)
        return counts.map { log($0) - log(total) }
    }

    /// Rows of softmax(bias + x · weights[class]): the linear classifiers' probabilities (multinomial NB, LDA).
    static func linearSoftmax(_ q: Matrix, weights: [[Double]], bias: [Double]) -> Matrix {
        // The weights feature-major (feature j's class weights at j·k): a row's k sums are made side by side, each
        // still adding its products in feature order (the same sums as x · weights[c]), so they do not wait on one
        // another as one sum after another did.
        let d = q.columns, k = bias.count, rows = q.rows
        precondition(q.values.count >= rows * d && weights.count >= k && weights.prefix(k).allSatisfy { $0.count >= d })
        var byFeature = [Double](repeating: 0, count: d * k)
        for c in 0..<k { for j in 0..<d { byFeature[j * k + c] = weights[c][j] } }
        var sums = [Double](repeating: 0, count: rows * k)
        q.values.withUnsafeBufferPointer { v in
            byFeature.withUnsafeBufferPointer { w in
                sums.withUnsafeMutableBufferPointer { out in
                    guard let x = v.baseAddress, let wf = w.baseAddress, let s = out.baseAddress else { return }
                    for r in 0..<rows {
                        let acc = s + r * k, row = x + r * d
                        for j in 0..<d {
                            let xj = row[j], wj = wf + j * k
                            for c in 0..<k { acc[c] += xj * wj[c] }
                        }
                    }
                }
            }
        }
        return softmax(q, bias) { r, c in sums[r * k + c] }
    }

    /// Rows of softmax(prior + likelihood(row, class)).
    static func softmax(_ q: Matrix, _ prior: [Double], _ likelihood: (Int, Int) -> Double) -> Matrix {
        let k = prior.count
        var out = Matrix(rows: q.rows, columns: k)
        var jll = [Double](repeating: 0, count: k)
        for r in 0..<q.rows {
            for c in 0..<k { jll[c] = prior[c] + likelihood(r, c) }
            let m = jll.max() ?? 0
            let lse = m + log(jll.reduce(0) { $0 + exp($1 - m) })
            for c in 0..<k { out[r, c] = exp(jll[c] - lse) }
        }
        return out
    }
}
