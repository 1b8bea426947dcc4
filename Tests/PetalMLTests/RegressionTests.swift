import Foundation
import PetalTestSupport
import Testing
import PetalData
@testable import PetalML

/// Linear, ridge and kNN regression against scikit-learn (Tests/Fixtures/sklearn/regression.json).
@Suite struct RegressionTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("regression.json")

    @Test func predictionsMatchScikitLearn() throws {
        let path = RepoPaths.path("samples/seattle-weather.csv")
        let frame = try #require(try Loaders.load(path: path).frame).selecting(["precipitation", "temp_min", "wind", "temp_max"])
        let schema = try FeatureSchema.infer(frame: frame, target: "temp_max", dataset: "weather", task: .regression)
        let x = try schema.matrix(frame, dataset: "weather"), y = try schema.values(frame, dataset: "weather")
        let split = TrainTestSplit.random(rows: x.rows, testCount: try TrainTestSplit.testCount(rows: x.rows, fraction: 0.2), seed: 42)
        let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
        #expect(cases.count == 3)
        for c in cases {
            let text = try #require(c["pipeline"] as? String)
            let pipeline = try PipelineParityTests.pipeline(text)
            let model = try pipeline.fit(x.rows(split.train), target: .values(split.train.map { y[$0] }), schema: schema)
            let predicted = try #require(model.predictValues(x.rows(split.test)))
            let expected = try #require(c["predicted"] as? [Double])
            let worst = zip(predicted, expected).map { abs($0 - $1) }.max() ?? .nan
            #expect(worst <= 1e-8, "\(text): largest difference \(worst)")
            let cv = try CrossValidation.runRegression(pipeline, x: x, values: y, schema: schema, folds: 5)
            let expectedCV = try #require(c["cv_r2"] as? [Double])
            #expect(zip(cv.accuracy, expectedCV).allSatisfy { abs($0 - $1) <= 1e-8 }, "\(text) cv: \(cv.accuracy) vs \(expectedCV)")
        }
    }

    @Test func knnRegressionMatchesScikitLearn() throws {
        let knn = try #require(Self.fixture["knn"] as? [String: Any])
        let rows = try #require(knn["X"] as? [[Double]]), y = try #require(knn["y"] as? [Double])
        let x = Matrix(rows: rows.count, columns: 3, values: rows.flatMap { $0 })
        let schema = FeatureSchema(features: ["a", "b", "c"], target: "y", classes: [])
        let split = TrainTestSplit.random(rows: x.rows, testCount: try TrainTestSplit.testCount(rows: x.rows, fraction: 0.25), seed: 1)
        for c in try #require(knn["cases"] as? [[String: Any]]) {
            let text = try #require(c["pipeline"] as? String)
            let model = try PipelineParityTests.pipeline(text).fit(x.rows(split.train), target: .values(split.train.map { y[$0] }), schema: schema)
            let predicted = try #require(model.predictValues(x.rows(split.test)))
            let expected = try #require(c["predicted"] as? [Double])
            #expect(zip(predicted, expected).allSatisfy { abs($0 - $1) <= 1e-9 }, "\(text)")
        }
    }

    @Test func classifiersRefuseNumbersAndRegressorsRefuseClasses() throws {
        let frame = try PipelineParityTests.iris()
        let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
        let x = try schema.matrix(frame, dataset: "iris"), y = try schema.labels(frame, dataset: "iris")
        #expect(throws: PetalError.self) { try PipelineParityTests.pipeline("ridge").fit(x, labels: y, schema: schema) }
        #expect(throws: PetalError.self) {
            try PipelineParityTests.pipeline("gaussian_nb").fit(x, target: .values(y.map(Double.init)), schema: schema)
        }
    }
}
