import Foundation
import Testing
@testable import PetalML

/// Metrics against scikit-learn (Tests/Fixtures/sklearn/metrics.json).
@Suite struct MetricsTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("metrics.json")

    @Test func classificationReportIsScikitLearns() throws {
        let cases = try #require(Self.fixture["classification"] as? [[String: Any]])
        #expect(cases.count == 4)
        for c in cases {
            let m = ClassificationMetrics(truth: try #require(c["truth"] as? [Int]), predicted: try #require(c["predicted"] as? [Int]),
                                          classes: try #require(c["classes"] as? [String]))
            #expect(m.confusion == c["confusion"] as? [[Int]])
            #expect(m.support == c["support"] as? [Int])
            for (mine, key) in [(m.precision, "precision"), (m.recall, "recall"), (m.f1, "f1")] {
                let expected = try #require(c[key] as? [Double])
                #expect(zip(mine, expected).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(key)")
            }
            #expect(m.report() == c["report"] as? String, "\n\(m.report())")
        }
    }

    @Test func regressionMetricsAreScikitLearns() throws {
        let cases = try #require(Self.fixture["regression"] as? [[String: Any]])
        for c in cases {
            let m = RegressionMetrics(truth: try #require(c["truth"] as? [Double]), predicted: try #require(c["predicted"] as? [Double]))
            #expect(abs(m.mae - (c["mae"] as? Double ?? .nan)) <= 1e-9)
            #expect(abs(m.mse - (c["mse"] as? Double ?? .nan)) <= 1e-9)
            #expect(abs(m.r2 - (c["r2"] as? Double ?? .nan)) <= 1e-9)
        }
        #expect(RegressionMetrics(truth: [1, 1], predicted: [1, 1]).r2 == 1)
    }
}

@Suite struct ProbabilityMetricsTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("probability.json")

    @Test func rocAUCAndLogLossMatchScikitLearn() throws {
        let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
        #expect(cases.count == 3)
        for c in cases {
            let rows = try #require(c["probabilities"] as? [[Double]])
            let p = Matrix(rows: rows.count, columns: rows[0].count, values: rows.flatMap { $0 })
            let m = ProbabilityMetrics(truth: try #require(c["truth"] as? [Int]), probabilities: p)
            #expect(abs((m.rocAUC ?? .nan) - (c["roc_auc"] as? Double ?? .nan)) <= 1e-12, "auc \(m.rocAUC ?? .nan)")
            #expect(abs(m.logLoss - (c["log_loss"] as? Double ?? .nan)) <= 1e-12)
        }
    }

    /// ROC AUC is the share of (positive, negative) pairs the positive wins, ties counting ½: checked against that
    /// count on scores with many ties (few distinct values, 0.0 beside -0.0), on nearly distinct ones, negatives and
    /// tiny values, from 2 to 1,500 rows; nil for one class only or a NaN score.
    @Test func aucIsTheShareOfPairsThePositiveWins() {
        var g = SystemRandomNumberGenerator()
        func pairwise(_ s: [Double], _ y: [Bool]) -> Double {
            var wins = 0.0, pairs = 0.0
            for i in s.indices where y[i] { for j in s.indices where !y[j] { pairs += 1; wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0 } }
            return wins / pairs
        }
        for n in [2, 7, 47, 48, 49, 300, 1_500] {
            for distinct in [2, 5, 1_000_000] {
                let s = (0..<n).map { _ -> Double in
                    let k = Int.random(in: 0..<distinct, using: &g)
                    return k == 0 ? -0.0 : k == 1 ? 0.0 : distinct == 5 ? Double(k) * 0.1 - 0.2 : Double.random(in: -1...1, using: &g) * 1e-300 * Double(k)
                }
                var y = (0..<n).map { _ in Bool.random(using: &g) }
                y[0] = true; y[n - 1] = false
                let auc = ProbabilityMetrics.auc(scores: s, positive: y)
                // Both are one division of the same exact numbers: equal to the bit.
                #expect(auc == pairwise(s, y), "n \(n), \(distinct) values: \(String(describing: auc)) against \(pairwise(s, y))")
            }
        }
        // The keys' radix sort against the standard library's (shared bytes skipped, every byte varying, short).
        for n in [0, 1, 64, 65, 5_000] {
            for mask in [UInt64.max, 0xFF00_0000_0000_00FF, 0x0000_0000_0000_0F00] {
                var keys = (0..<n).map { _ in UInt64.random(in: 0...UInt64.max, using: &g) & mask | 0x3F00_0000_0000_0000 }
                let expected = keys.sorted()
                ProbabilityMetrics.sortKeys(&keys)
                #expect(keys == expected, "\(n) keys, mask \(mask)")
            }
        }
        #expect(ProbabilityMetrics.auc(scores: [0.1, 0.2], positive: [true, true]) == nil)
        #expect(ProbabilityMetrics.auc(scores: [0.1, .nan, 0.3], positive: [true, false, true]) == nil)
        #expect(ProbabilityMetrics.auc(scores: [0.3, 0.1, 0.2, 0.2], positive: [true, false, true, false]) == (1 + 1 + 1 + 0.5) / 4)
    }
}
