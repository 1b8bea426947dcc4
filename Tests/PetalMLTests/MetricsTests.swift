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
}
