import Foundation
import PetalData

extension AdaBoost {
    /// A fitted SAMME ensemble: trees whose leaves vote for one class (one-hot), each vote counting its estimator
    /// weight. Probabilities are scikit-learn's: softmax of the normalised votes, divided by K − 1 for K > 2 classes.
    public struct Classifier: FittedClassifier {
        public static let kind = "ada_boost_classifier"
        public var trees: [TreeModel]
        public var estimatorWeights: [Double]
        public var classCount: Int
        public var task: LearningTask { .classification }

        public func validate(width: Int, classes: Int) throws {
            guard !trees.isEmpty else { throw PetalError("it has no trees") }
            try Check.count(classCount, classes, "the class count")
            try Check.count(estimatorWeights.count, trees.count, "estimator weights")
            for t in trees { try t.validate(features: width, width: classCount) }
        }

        /// The votes each class gets, as shares of the total weight, scaled as scikit-learn scales them before
        /// its softmax (`1/(K − 1)` for K > 2 classes): [N, K]. One tree ensemble in ONNX.
        public var scaledVoteTrees: [TreeModel] {
            let total = estimatorWeights.reduce(0, +)
            let scale = (classCount > 2 ? 1 / Double(classCount - 1) : 1) / (total > 0 ? total : 1)
            return zip(trees, estimatorWeights).map { tree, w in
                var t = tree
                t.value = t.value.map { $0.map { $0 * w * scale } }
                return t
            }
        }

        public func predictProba(_ x: Matrix) -> Matrix {
            var out = Matrix(rows: x.rows, columns: classCount)
            for tree in scaledVoteTrees { tree.accumulate(x, into: &out) }
            for r in 0..<x.rows {
                let row = Array(out.row(r)), m = row.max() ?? 0
                let e = row.map { exp($0 - m) }, s = e.reduce(0, +)
                for c in 0..<classCount { out[r, c] = e[c] / s }
            }
            return out
        }
    }

    /// A fitted AdaBoost.R2 ensemble: each row's prediction is the weighted median of its trees' predictions
    /// (the smallest prediction whose cumulative weight reaches half the total).
    public struct Regressor: FittedRegressor {
        public static let kind = "ada_boost_regressor"
        public var trees: [TreeModel]
        public var estimatorWeights: [Double]
        public var task: LearningTask { .regression }

        public func validate(width: Int, classes: Int) throws {
            guard !trees.isEmpty else { throw PetalError("it has no trees") }
            try Check.count(estimatorWeights.count, trees.count, "estimator weights")
            for t in trees { try t.validate(features: width, width: 1) }
        }

        public func predictValues(_ x: Matrix) -> [Double] {
            var all = Matrix(rows: x.rows, columns: trees.count)
            for (i, tree) in trees.enumerated() { tree.accumulate(x, into: &all, column: i) }
            let half = 0.5 * estimatorWeights.reduce(0, +)
            return (0..<x.rows).map { r in
                let order = (0..<trees.count).sorted { all[r, $0] < all[r, $1] }
                var cumulative = 0.0
                for i in order {
                    cumulative += estimatorWeights[i]
                    if cumulative >= half { return all[r, i] }
                }
                return order.last.map { all[r, $0] } ?? 0
            }
        }
    }
}
