import Foundation

/// The curves of one binary problem (a class against the rest): scores of rows and whether each row is the
/// positive class. Each follows scikit-learn exactly, points and thresholds included:
/// `roc_curve(drop_intermediate=True)`, `precision_recall_curve` (its final point precision 1, recall 0, which
/// has no threshold), `average_precision_score`, `auc` and `calibration_curve(strategy="uniform")`.
public enum BinaryCurves {
    /// Cumulative false and true positives at each distinct score, highest first, and those scores
    /// (scikit-learn's `confusion_matrix_at_thresholds`).
    static func counts(positive: [Bool], scores: [Double]) -> (fps: [Double], tps: [Double], thresholds: [Double]) {
        // Descending order; ties are grouped below, so their order does not matter.
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var fps: [Double] = [], tps: [Double] = [], thresholds: [Double] = []
        var tp = 0.0
        for (rank, row) in order.enumerated() {
            if positive[row] { tp += 1 }
            let last = rank == order.count - 1
            if last || scores[order[rank + 1]] != scores[row] {
                tps.append(tp)
                fps.append(Double(rank + 1) - tp)
                thresholds.append(scores[row])
            }
        }
        return (fps, tps, thresholds)
    }

    /// False and true positive rates and the thresholds (the first is +∞, where nothing is positive); points on
    /// a straight segment between two others are dropped. nil when the rows are all of one kind.
    public static func roc(positive: [Bool], scores: [Double]) -> (fpr: [Double], tpr: [Double], thresholds: [Double])? {
        var (fps, tps, thresholds) = counts(positive: positive, scores: scores)
        guard let totalP = tps.last, let totalN = fps.last, totalP > 0, totalN > 0 else { return nil }
        if fps.count > 2 {
            // Keep the ends and every corner (a nonzero second difference in either count).
            var keep = [0]
            for i in 1..<(fps.count - 1) where fps[i - 1] - 2 * fps[i] + fps[i + 1] != 0 || tps[i - 1] - 2 * tps[i] + tps[i + 1] != 0 {
                keep.append(i)
            }
            keep.append(fps.count - 1)
            fps = keep.map { fps[$0] }; tps = keep.map { tps[$0] }; thresholds = keep.map { thresholds[$0] }
        }
        return ([0] + fps.map { $0 / totalN }, [0] + tps.map { $0 / totalP }, [.infinity] + thresholds)
    }

    /// Precision and recall from the highest threshold down (recall decreasing), ending with precision 1 and
    /// recall 0; one threshold fewer than points, in increasing order. nil when no row is positive.
    public static func precisionRecall(positive: [Bool], scores: [Double]) -> (precision: [Double], recall: [Double], thresholds: [Double])? {
        let (fps, tps, thresholds) = counts(positive: positive, scores: scores)
        guard let totalP = tps.last, totalP > 0 else { return nil }
        let precision = zip(tps, fps).map { $0 + $1 == 0 ? 0 : $0 / ($0 + $1) }
        let recall = tps.map { $0 / totalP }
        return (precision.reversed() + [1], recall.reversed() + [0], thresholds.reversed())
    }

    /// Average precision: Σ (Rₙ − Rₙ₋₁) Pₙ over the precision–recall points (no interpolation).
    public static func averagePrecision(positive: [Bool], scores: [Double]) -> Double? {
        guard let (precision, recall, _) = precisionRecall(positive: positive, scores: scores) else { return nil }
        var sum = 0.0
        for i in 0..<(recall.count - 1) { sum += (recall[i + 1] - recall[i]) * precision[i] }
        return max(0, -sum)
    }

    /// The area under a curve by the trapezoidal rule (`x` monotonic), as scikit-learn's `auc`.
    public static func area(x: [Double], y: [Double]) -> Double {
        var total = 0.0
        for i in 1..<max(1, min(x.count, y.count)) { total += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2 }
        return x.count > 1 && x[x.count - 1] < x[0] ? -total : total
    }

    /// The calibration curve over `bins` equal-width bins of [0, 1]: in each bin that holds rows, the share of
    /// positives, the mean predicted probability and the row count. A probability on an inner edge falls in the
    /// lower bin (numpy's `searchsorted`, side left).
    public static func calibration(positive: [Bool], probabilities: [Double], bins: Int) -> (fractionPositive: [Double], meanPredicted: [Double], counts: [Int]) {
        let n = max(1, bins)
        // The inner edges as numpy's linspace(0, 1, n + 1) makes them.
        let edges = (1..<n).map { Double($0) * (1.0 / Double(n)) }
        var sums = [Double](repeating: 0, count: n), trues = [Double](repeating: 0, count: n), totals = [Int](repeating: 0, count: n)
        for (p, isPositive) in zip(probabilities, positive) {
            var lo = 0, hi = edges.count
            while lo < hi { let mid = (lo + hi) / 2; if edges[mid] < p { lo = mid + 1 } else { hi = mid } }
            sums[lo] += p; totals[lo] += 1
            if isPositive { trues[lo] += 1 }
        }
        let used = (0..<n).filter { totals[$0] > 0 }
        return (used.map { trues[$0] / Double(totals[$0]) }, used.map { sums[$0] / Double(totals[$0]) }, used.map { totals[$0] })
    }
}
