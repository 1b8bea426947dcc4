import Foundation

/// Precision, recall, F1 and support per class with their averages, and the confusion matrix — computed as
/// scikit-learn's `precision_recall_fscore_support` and `confusion_matrix` do (zero division gives 0).
public struct ClassificationMetrics: Sendable, Hashable, Codable {
    /// Class names, in code order (the order of `labels`).
    public var classes: [String]
    /// `confusion[t][p]`: rows of true class t predicted as p.
    public var confusion: [[Int]]
    public var precision: [Double]
    public var recall: [Double]
    public var f1: [Double]
    public var support: [Int]
    public var accuracy: Double
    public var macro: (precision: Double, recall: Double, f1: Double) { (mean(precision), mean(recall), mean(f1)) }
    public var weighted: (precision: Double, recall: Double, f1: Double) {
        (weightedMean(precision), weightedMean(recall), weightedMean(f1))
    }

    /// Metrics of predicted class codes against true ones (both in 0..<classes.count).
    public init(truth: [Int], predicted: [Int], classes: [String]) {
        let k = classes.count
        self.classes = classes
        var m = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for (t, p) in zip(truth, predicted) where t >= 0 && t < k && p >= 0 && p < k { m[t][p] += 1 }
        confusion = m
        let tp = (0..<k).map { m[$0][$0] }
        let trueSum = (0..<k).map { t in m[t].reduce(0, +) }
        let predSum = (0..<k).map { p in m.reduce(0) { $0 + $1[p] } }
        precision = (0..<k).map { predSum[$0] == 0 ? 0 : Double(tp[$0]) / Double(predSum[$0]) }
        recall = (0..<k).map { trueSum[$0] == 0 ? 0 : Double(tp[$0]) / Double(trueSum[$0]) }
        f1 = (0..<k).map { trueSum[$0] + predSum[$0] == 0 ? 0 : 2 * Double(tp[$0]) / Double(trueSum[$0] + predSum[$0]) }
        support = trueSum
        let n = min(truth.count, predicted.count)
        accuracy = n == 0 ? 0 : Double(zip(truth, predicted).filter { $0 == $1 }.count) / Double(n)
    }

    private func mean(_ v: [Double]) -> Double { v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }

    private func weightedMean(_ v: [Double]) -> Double {
        let total = support.reduce(0, +)
        guard total > 0 else { return 0 }
        return zip(v, support).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(total)
    }

    /// scikit-learn's `classification_report` text, character for character.
    public func report(digits: Int = 2) -> String {
        let headers = ["precision", "recall", "f1-score", "support"]
        let width = max(classes.map(\.count).max() ?? 0, "weighted avg".count, digits)
        func right(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        func number(_ v: Double) -> String { right(String(format: "%.\(digits)f", v), 9) }
        var out = right("", width) + " " + headers.map { " " + right($0, 9) }.joined() + "\n\n"
        for (c, name) in classes.enumerated() {
            out += right(name, width) + " " + " " + number(precision[c]) + " " + number(recall[c]) + " " + number(f1[c])
                + " " + right(String(support[c]), 9) + "\n"
        }
        out += "\n"
        let total = String(support.reduce(0, +))
        out += right("accuracy", width) + " " + " " + right("", 9) + " " + right("", 9) + " " + number(accuracy) + " " + right(total, 9) + "\n"
        let (mp, mr, mf) = macro
        out += right("macro avg", width) + " " + " " + number(mp) + " " + number(mr) + " " + number(mf) + " " + right(total, 9) + "\n"
        let (wp, wr, wf) = weighted
        out += right("weighted avg", width) + " " + " " + number(wp) + " " + number(wr) + " " + number(wf) + " " + right(total, 9) + "\n"
        return out
    }

    public static func == (a: ClassificationMetrics, b: ClassificationMetrics) -> Bool {
        a.classes == b.classes && a.confusion == b.confusion
    }
    public func hash(into h: inout Hasher) { h.combine(classes); h.combine(confusion) }
}

/// Regression metrics as scikit-learn computes them.
public struct RegressionMetrics: Sendable, Hashable, Codable {
    public var mae: Double
    public var mse: Double
    public var rmse: Double
    /// R²; 1 for a perfect fit of constant targets, 0 for an imperfect one (scikit-learn's `force_finite`).
    public var r2: Double

    public init(truth: [Double], predicted: [Double]) {
        let n = Double(max(1, min(truth.count, predicted.count)))
        let pairs = zip(truth, predicted)
        mae = pairs.reduce(0) { $0 + abs($1.0 - $1.1) } / n
        let ssRes = pairs.reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        mse = ssRes / n
        rmse = mse.squareRoot()
        let mean = truth.reduce(0, +) / Double(max(1, truth.count))
        let ssTot = truth.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        if ssTot == 0 { r2 = ssRes == 0 ? 1 : 0 } else { r2 = 1 - ssRes / ssTot }
    }
}
