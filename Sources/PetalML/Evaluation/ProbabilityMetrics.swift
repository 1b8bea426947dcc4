import Foundation
import PetalData

/// Metrics of predicted probabilities: ROC AUC (binary, or one-vs-rest macro average for more classes) and
/// log loss, as scikit-learn's `roc_auc_score(..., multi_class="ovr")` and `log_loss` compute them.
public struct ProbabilityMetrics: Sendable, Hashable, Codable {
    /// nil when a class is absent from the truth (AUC is undefined then).
    public var rocAUC: Double?
    public var logLoss: Double

    /// `probabilities` has one row per sample and one column per class; `truth` holds class codes.
    public init(truth: [Int], probabilities p: Matrix) {
        let k = p.columns
        // Log loss with probabilities clipped to [ε, 1−ε] (ε = machine epsilon).
        let eps = Double.ulpOfOne
        var loss = 0.0
        for (r, c) in truth.enumerated() where c < k { loss -= log(min(max(p[r, c], eps), 1 - eps)) }
        logLoss = loss / Double(max(1, truth.count))
        if k == 2 {
            rocAUC = ProbabilityMetrics.auc(scores: (0..<p.rows).map { p[$0, 1] }, positive: truth.map { $0 == 1 })
        } else {
            // One class against the rest each, on every core for thousands of rows (each a sort of its own).
            let per = Self.perClass(k, parallel: p.rows >= 4_096) { c in
                ProbabilityMetrics.auc(scores: (0..<p.rows).map { p[$0, c] }, positive: truth.map { $0 == c })
            }
            rocAUC = per.contains { $0 == nil } ? nil : per.compactMap { $0 }.reduce(0, +) / Double(k)
        }
    }

    /// `value(c)` for classes 0..<k, in class order; worked out on every core when `parallel`.
    static func perClass(_ k: Int, parallel: Bool, _ value: @Sendable (Int) -> Double?) -> [Double?] {
        guard parallel, k > 1 else { return (0..<max(0, k)).map(value) }
        let results = ConcurrentSlots<Double?>(k)
        DispatchQueue.concurrentPerform(iterations: k) { c in results.set(c, value(c)) }
        return results.slots.map { $0 ?? nil }
    }

    /// The area under the ROC curve: the chance a random positive scores above a random negative (ties count ½);
    /// nil when either class is absent or a score is NaN (scikit-learn refuses NaN scores).
    public static func auc(scores: [Double], positive: [Bool]) -> Double? {
        guard scores.count == positive.count, !NaNScan.any(scores) else { return nil }
        // The positives' and the negatives' scores sorted apart, as integer keys in the scores' order (radix sorted: a
        // comparison sort of (score, label) pairs was most of a 10-class report's metrics), then walked together:
        // each positive wins against the negatives below it and ties those equal to it. Twice the wins is a whole
        // number, so the share is one division of exact numbers (the same double as the rank-sum formula gives).
        var pos: [UInt64] = [], neg: [UInt64] = []
        for (s, p) in zip(scores, positive) { if p { pos.append(StableValueSort.key(s)) } else { neg.append(StableValueSort.key(s)) } }
        guard !pos.isEmpty, !neg.isEmpty else { return nil }
        sortKeys(&pos)
        sortKeys(&neg)
        var below = 0, upTo = 0, twiceWins = 0
        for s in pos {
            while below < neg.count && neg[below] < s { below += 1 }
            upTo = max(upTo, below)
            while upTo < neg.count && neg[upTo] <= s { upTo += 1 }
            twiceWins += 2 * below + (upTo - below)
        }
        return Double(twiceWins) / (2 * Double(pos.count) * Double(neg.count))
    }

    /// Sorts `keys` ascending (`StableValueSort.radix`; the standard library's sort for a few).
    static func sortKeys(_ keys: inout [UInt64]) {
        guard keys.count > 64 else { keys.sort(); return }
        var scratch: [UInt64] = []
        StableValueSort.radix(&keys, scratch: &scratch) { $0 }
    }
}
