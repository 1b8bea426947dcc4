import Foundation
import Testing
import PetalData
@testable import PetalML

/// Checks every estimator in the catalogue passes (scikit-learn's `check_estimator` idea): fitting twice gives
/// the same model, a model encoded and decoded predicts identically, and empty data is a clear error.
@Suite struct ConformanceTests {
    static let estimators = Step.catalogue.filter(\.isEstimator).map(\.name)

    @Test(arguments: estimators) func everyEstimatorBehaves(name: String) throws {
        let frame = try PipelineParityTests.iris()
        let classification = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
        let x = try classification.matrix(frame, dataset: "iris")
        let labels = try classification.labels(frame, dataset: "iris")
        let recipe = try Pipeline(steps: [Step(name: "standard_scaler", parameters: []),
                                          Step(name: name, parameters: name == "random_forest" || name == "gradient_boosting" ? [("n_estimators", "10")] : [])])
        let task = recipe.estimator.tasks.contains(.classification) ? Task.classification
            : recipe.estimator.tasks.contains(.regression) ? .regression : .clustering
        let target: Target
        let schema: FeatureSchema
        switch task {
        case .classification: target = .classes(labels); schema = classification
        case .regression:
            target = .values((0..<x.rows).map { x[$0, 0] * 2 + x[$0, 3] })
            schema = FeatureSchema(inputs: classification.inputs, target: "y", classes: [])
        case .clustering:
            target = .none(rows: x.rows); schema = FeatureSchema(inputs: classification.inputs, target: "", classes: [])
        }
        let first = try recipe.fit(x, target: target, schema: schema)
        let second = try recipe.fit(x, target: target, schema: schema)
        #expect(first == second, "\(name): the same data and seed give the same model")
        let decoded = try JSONDecoder().decode(FittedPipeline.self, from: try JSONEncoder().encode(first))
        #expect(decoded.predictProba(x) == first.predictProba(x), "\(name): probabilities survive encoding")
        #expect(decoded.predictValues(x) == first.predictValues(x), "\(name): values survive encoding")
        #expect(decoded.clusters(x)?.labels == first.clusters(x)?.labels, "\(name): clusters survive encoding")
        let empty = Matrix(rows: 0, columns: x.columns)
        let emptyTarget: Target
        switch target {
        case .classes: emptyTarget = .classes([])
        case .values: emptyTarget = .values([])
        case .none: emptyTarget = .none(rows: 0)
        }
        #expect(throws: (any Error).self, "\(name): empty data is an error") { try recipe.fit(empty, target: emptyTarget, schema: schema) }
    }
}
