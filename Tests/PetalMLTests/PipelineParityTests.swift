import Foundation
import PetalTestSupport
import Testing
import PetalData
@testable import PetalML

/// Pipelines on iris against scikit-learn (Tests/Fixtures/sklearn/models.json): same split, same predictions,
/// probabilities to 1e-9, the same classification report.
@Suite struct PipelineParityTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("models.json")

    static func iris() throws -> Frame {
        let path = RepoPaths.path("samples/iris.csv")
        return try #require(try Loaders.load(path: path).frame)
    }

    /// Parses "standard_scaler | knn k=3" the way the command language does.
    static func pipeline(_ text: String) throws -> Pipeline {
        var steps: [Step] = []
        var columns: [ColumnSelection?] = []
        for part in text.split(separator: "|") {
            let words = part.split(separator: " ").map(String.init)
            var params = words.dropFirst().map { w -> (String, String) in
                let kv = w.split(separator: "=", maxSplits: 1).map(String.init)
                return (kv[0], kv.count > 1 ? kv[1] : "")
            }
            columns.append(params.last { $0.0 == "columns" }.map { ColumnSelection($0.1) })
            params.removeAll { $0.0 == "columns" }
            steps.append(try Step(name: words[0], parameters: params))
        }
        return try Pipeline(steps: steps, columns: columns)
    }

    @Test func irisPipelinesMatchScikitLearn() throws {
        let frame = try Self.iris()
        let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
        #expect(cases.count == 15)
        for c in cases {
            let text = try #require(c["pipeline"] as? String)
            let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
            #expect(schema.classes == c["classes"] as? [String])
            let x = try schema.matrix(frame, dataset: "iris")
            let y = try schema.labels(frame, dataset: "iris")
            let testCount = try TrainTestSplit.testCount(rows: frame.rowCount, fraction: try #require(c["test"] as? Double))
            let seed = UInt32(try #require(c["seed"] as? Int))
            let split = try (c["stratify"] as? Bool == true)
                ? TrainTestSplit.stratified(labels: y, testCount: testCount, seed: seed)
                : TrainTestSplit.random(rows: frame.rowCount, testCount: testCount, seed: seed)
            let model = try Self.pipeline(text).fit(x.rows(split.train), labels: split.train.map { y[$0] }, schema: schema)
            let xt = x.rows(split.test)
            let predicted = model.predict(xt).map { schema.classes[$0] }
            #expect(predicted == c["predicted"] as? [String], "\(text) seed \(seed)")
            let expected = try #require(c["probabilities"] as? [[Double]])
            let p = model.predictProba(xt)
            for r in 0..<p.rows { for k in 0..<p.columns {
                #expect(abs(p[r, k] - expected[r][k]) <= 1e-9, "\(text) seed \(seed) row \(r)")
            } }
            let metrics = ClassificationMetrics(truth: split.test.map { y[$0] }, predicted: model.predict(xt), classes: schema.classes)
            #expect(metrics.report() == c["report"] as? String, "\(text)\n\(metrics.report())")
        }
    }

    @Test func fittedModelsRoundTripThroughJSON() throws {
        let frame = try Self.iris()
        let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
        let x = try schema.matrix(frame, dataset: "iris"), y = try schema.labels(frame, dataset: "iris")
        for text in ["standard_scaler | knn k=3", "min_max_scaler | gaussian_nb"] {
            let recipe = try Self.pipeline(text)
            let model = try recipe.fit(x, labels: y, schema: schema)
            let decoded = try JSONDecoder().decode(FittedPipeline.self, from: try JSONEncoder().encode(model))
            #expect(decoded.predictProba(x) == model.predictProba(x))
            #expect(try recipe.fit(x, labels: y, schema: schema) == model, "refitting gives the same model")
            #expect(try Self.pipeline(text) == recipe, "fitting leaves the recipe unchanged")
        }
    }

    @Test func badPipelinesAreClearErrors() throws {
        #expect(throws: PetalError.self) { try Self.pipeline("knn | standard_scaler") }
        #expect(throws: PetalError.self) { try Self.pipeline("standard_scaler") }
        let unknown = try #require(throws: PetalError.self) { try Self.pipeline("standrd_scaler | knn") }
        #expect(unknown.hint == "did you mean standard_scaler?")
        let param = try #require(throws: PetalError.self) { try Self.pipeline("knn n_neighbours=3") }
        #expect(param.hint == "did you mean n_neighbors?")
        #expect(throws: PetalError.self) { try Self.pipeline("knn k=0") }
        let frame = try Self.iris()
        let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
        let x = try schema.matrix(frame, dataset: "iris"), y = try schema.labels(frame, dataset: "iris")
        #expect(throws: PetalError.self) { try Self.pipeline("knn k=200").fit(x, labels: y, schema: schema) }
        #expect(throws: PetalError.self) { try FeatureSchema.infer(frame: frame, target: "nope", dataset: "iris") }
    }
}
