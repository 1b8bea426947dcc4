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

    /// The area under the ROC curve: the chance a random positive scores above a random negative (ties count ½).
    public static func auc(scores: [Double], positive: [Bool]) -> Double? {
        let nPos = positive.filter { $0 }.count, nNeg = positive.count - nPos
        guard nPos > 0, nNeg > 0 else { return nil }
        // The scores sorted with their labels beside them (a sort of the pairs, not of indices into both arrays); rows
        // of equal score share their average rank, so their order among themselves does not matter.
        var ranked = zip(scores, positive).map { (score: $0, positive: $1) }
        ranked.sort { $0.score < $1.score }
        var rankSum = 0.0
        var i = 0
        while i < ranked.count {
            var j = i
            while j + 1 < ranked.count && ranked[j + 1].score == ranked[i].score { j += 1 }
            let averageRank = Double(i + j) / 2 + 1
            for t in i...j where ranked[t].positive { rankSum += averageRank }
            i = j + 1
        }
        return (rankSum - Double(nPos) * Double(nPos + 1) / 2) / (Double(nPos) * Double(nNeg))
    }
}
