import Foundation

/// Metrics that correct accuracy for chance and class imbalance, from the confusion matrix — as scikit-learn's
/// `balanced_accuracy_score`, `matthews_corrcoef` (its multiclass form) and `cohen_kappa_score` compute them.
/// Classes absent from both the truth and the predictions are rows and columns of zeros here, which change none
/// of the three (scikit-learn leaves them out of its matrix).
extension ClassificationMetrics {
    /// The mean recall over the classes present in the truth (a class only predicted is left out, as
    /// scikit-learn does with a warning); 0 when nothing was scored.
    public var balancedAccuracy: Double {
        let present = classes.indices.filter { support[$0] > 0 }
        guard !present.isEmpty else { return 0 }
        return present.reduce(0) { $0 + Double(confusion[$1][$1]) / Double(support[$1]) } / Double(present.count)
    }

    /// Matthews correlation coefficient, the multiclass form (Gorodkin's R_K); 0 when either side is constant.
    public var matthews: Double {
        let k = classes.count
        let t = (0..<k).map { i in Double(confusion[i].reduce(0, +)) }
        let p = (0..<k).map { j in Double(confusion.reduce(0) { $0 + $1[j] }) }
        let correct = Double((0..<k).reduce(0) { $0 + confusion[$1][$1] })
        let n = p.reduce(0, +)
        let dotTP = zip(t, p).reduce(0) { $0 + $1.0 * $1.1 }
        let covTP = correct * n - dotTP
        let covPP = n * n - p.reduce(0) { $0 + $1 * $1 }
        let covTT = n * n - t.reduce(0) { $0 + $1 * $1 }
        let product = covPP * covTT
        return product == 0 ? 0 : covTP / product.squareRoot()
    }

    /// Cohen's kappa of the predictions against the truth (unweighted); nil when undefined (no rows, or a single
    /// label on both sides), where scikit-learn answers NaN.
    public var kappa: Double? {
        let k = classes.count
        let rowSums = (0..<k).map { i in Double(confusion[i].reduce(0, +)) }
        let columnSums = (0..<k).map { j in Double(confusion.reduce(0) { $0 + $1[j] }) }
        let total = columnSums.reduce(0, +)
        guard total > 0 else { return nil }
        var observed = 0.0, expected = 0.0
        for i in 0..<k {
            for j in 0..<k where i != j {
                observed += Double(confusion[i][j])
                expected += rowSums[i] * columnSums[j] / total
            }
        }
        guard expected != 0 else { return nil }
        return 1 - observed / expected
    }
}
