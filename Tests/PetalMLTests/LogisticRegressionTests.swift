import Foundation
import Testing
import PetalData
@testable import PetalML

/// Logistic regression probabilities against scikit-learn (Tests/Fixtures/sklearn/logistic.json), fitted there
/// with a tight tolerance so both sides sit at the same optimum.
@Suite struct LogisticRegressionTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("logistic.json")

    @Test func probabilitiesMatchScikitLearn() throws {
        let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
        #expect(cases.count == 6)
        let iris = try PipelineParityTests.iris()
        for c in cases {
            let frame = c["subset"] as? String == "binary"
                ? iris.filter { iris.columns[4][$0] != .text("setosa") } : iris
            let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
            let x = try schema.matrix(frame, dataset: "iris"), y = try schema.labels(frame, dataset: "iris")
            let split = TrainTestSplit.random(rows: x.rows, testCount: try TrainTestSplit.testCount(rows: x.rows, fraction: 0.2), seed: 42)
            let text = try #require(c["pipeline"] as? String)
            let model = try PipelineParityTests.pipeline(text).fit(x.rows(split.train), labels: split.train.map { y[$0] }, schema: schema)
            let p = model.predictProba(x.rows(split.test))
            let expected = try #require(c["probabilities"] as? [[Double]])
            var worst = 0.0
            for r in 0..<p.rows { for k in 0..<p.columns { worst = max(worst, abs(p[r, k] - expected[r][k])) } }
            #expect(worst <= 1e-6, "\(text) \(c["subset"] ?? ""): largest difference \(worst)")
            #expect(model.predict(x.rows(split.test)).map { schema.classes[$0] } == c["predicted"] as? [String])
        }
    }
}
