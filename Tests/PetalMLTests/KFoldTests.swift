import Foundation
import Testing
import PetalData
@testable import PetalML

/// Folds and cross-validation scores against scikit-learn (Tests/Fixtures/sklearn/folds.json).
@Suite struct KFoldTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("folds.json")

    @Test func foldsMatchScikitLearn() throws {
        let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
        #expect(cases.count == 9)
        for c in cases {
            let y = try #require(c["y"] as? [Int]), k = try #require(c["folds"] as? Int)
            #expect(try KFold.plain(rows: y.count, folds: k).map(\.test) == c["kfold"] as? [[Int]])
            #expect(try KFold.stratified(labels: y, folds: k).map(\.test) == c["stratified"] as? [[Int]], "\(k) \(y)")
        }
        #expect(throws: PetalError.self) { try KFold.plain(rows: 3, folds: 5) }
        #expect(throws: PetalError.self) { try KFold.stratified(labels: [0, 1, 0, 1], folds: 1) }
    }

    @Test func crossValidationMatchesCrossValScore() throws {
        let scores = try #require(Self.fixture["iris_cv"] as? [String: [Double]])
        let frame = try PipelineParityTests.iris()
        let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
        let x = try schema.matrix(frame, dataset: "iris"), y = try schema.labels(frame, dataset: "iris")
        for (text, expected) in scores {
            let cv = try CrossValidation.run(try PipelineParityTests.pipeline(text), x: x, labels: y, schema: schema,
                                             folds: expected.count)
            #expect(zip(cv.accuracy, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(text): \(cv.accuracy) vs \(expected)")
        }
    }
}
