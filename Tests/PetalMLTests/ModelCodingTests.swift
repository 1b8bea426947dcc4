import Foundation
import PetalTestSupport
import Testing
import PetalData
@testable import PetalML

/// Fitted pipelines as data: every estimator and transform family survives encode → decode and predicts
/// identically; tampered files are refused with a message instead of trapping.
@Suite struct ModelCodingTests {
    static func penguins() throws -> Frame {
        let path = RepoPaths.path("samples/penguins.csv")
        return try #require(try Loaders.load(path: path).frame)
    }

    /// Fits `text` on `frame` the way `fit` does (directives, schema, target) and returns the model and its matrix.
    static func fit(_ text: String, _ frame: Frame, target: String?, task: LearningTask) throws -> (FittedPipeline, Matrix) {
        let pipeline = try PipelineParityTests.pipeline(text)
        let directives = try pipeline.directives(textColumns: frame.columns.filter { $0.type == .text }.map(\.name))
        let schema = try FeatureSchema.infer(frame: frame, target: target, dataset: "data", task: task, directives: directives)
        let x = try schema.matrix(frame, dataset: "data")
        let y: Target
        switch task {
        case .classification: y = .classes(try schema.labels(frame, dataset: "data"))
        case .regression: y = .values(try schema.values(frame, dataset: "data"))
        case .clustering: y = .none(rows: x.rows)
        }
        return (try pipeline.fit(x, target: y, schema: schema), x)
    }

    static let iris: [(String, String?, LearningTask)] = [
        ("standard_scaler | knn k=3", "variety", .classification),
        ("min_max_scaler | knn k=5 weights=distance metric=manhattan", "variety", .classification),
        ("robust_scaler | gaussian_nb", "variety", .classification),
        ("power_transform | logistic_regression", "variety", .classification),
        ("power_transform method=log | logistic_regression C=0.5", "variety", .classification),
        ("bins n_bins=4 strategy=uniform | decision_tree max_depth=3", "variety", .classification),
        ("bins | random_forest n_estimators=7 random_state=1", "variety", .classification),
        ("gradient_boosting n_estimators=5", "variety", .classification),
        ("standard_scaler | linear_regression", "petal_width", .regression),
        ("min_max_scaler | ridge alpha=2", "petal_width", .regression),
        ("knn k=4", "petal_width", .regression),
        ("decision_tree max_depth=4", "petal_width", .regression),
        ("random_forest n_estimators=5", "petal_width", .regression),
        ("gradient_boosting n_estimators=6", "petal_width", .regression),
        ("standard_scaler | kmeans k=3 random_state=0", nil, .clustering),
    ]

    static let penguinCases: [(String, String?, LearningTask)] = [
        ("imputer strategy=median | one_hot | standard_scaler columns=number | logistic_regression", "species", .classification),
        ("imputer | ordinal columns=island | drop columns=year | gradient_boosting n_estimators=4", "species", .classification),
        ("imputer strategy=most_frequent | feature_cross columns=island,sex | gaussian_nb", "species", .classification),
        ("imputer strategy=constant fill_value=-1 | min_max_scaler columns=bill_length_mm,flipper_length_mm | knn", "species", .classification),
        ("imputer | power_transform columns=number | decision_tree max_depth=5", "species", .classification),
        ("imputer | linear_regression", "body_mass_g", .regression),
    ]

    /// Encodes, decodes and compares every prediction exactly.
    static func roundTrip(_ model: FittedPipeline, _ x: Matrix, _ text: String) throws {
        let data = try ModelFormat.encode(model)
        let back = try ModelFormat.decode(data)
        #expect(back == model, "\(text): the decoded model differs")
        #expect(back.task == model.task)
        #expect(back.predictProba(x) == model.predictProba(x), "\(text)")
        #expect(back.predict(x) == model.predict(x), "\(text)")
        #expect(back.predictValues(x) == model.predictValues(x), "\(text)")
        #expect(back.clusters(x)?.labels == model.clusters(x)?.labels, "\(text)")
        // Encoding is stable: the same model gives the same bytes.
        #expect(try ModelFormat.encode(back) == data, "\(text)")
    }

    @Test(arguments: 0..<15) func irisFamiliesRoundTrip(_ i: Int) throws {
        let (text, target, task) = Self.iris[i]
        let (model, x) = try Self.fit(text, try PipelineParityTests.iris(), target: target, task: task)
        try Self.roundTrip(model, x, text)
    }

    @Test(arguments: 0..<6) func penguinsFamiliesRoundTrip(_ i: Int) throws {
        let (text, target, task) = Self.penguinCases[i]
        let frame = try Self.penguins()
        let y = try frame.requireColumn(target ?? "species")
        let (model, x) = try Self.fit(text, frame.filter { y.isValid($0) }, target: target, task: task)
        try Self.roundTrip(model, x, text)
    }

    @Test func shapeIsExplicit() throws {
        let (model, _) = try Self.fit("standard_scaler | logistic_regression", try PipelineParityTests.iris(), target: "variety", task: .classification)
        let json = try #require(try JSONSerialization.jsonObject(with: ModelFormat.encode(model)) as? [String: Any])
        #expect(json["format"] as? String == "petal.fitted_pipeline")
        #expect(json["version"] as? Int == ModelFormat.version)
        #expect(json["task"] as? String == "classification")
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.map { $0["kind"] as? String } == ["affine", "logistic_regression"])
        let recipe = try #require((json["recipe"] as? [String: Any])?["steps"] as? [[String: Any]])
        #expect(recipe.map { $0["step"] as? String } == ["standard_scaler", "logistic_regression"])
    }

    /// Edits the JSON of a fitted model and expects decoding to throw an error whose text contains `expected`.
    static func tampered(_ text: String, _ target: String?, _ task: LearningTask, expected: String, edit: (inout [String: Any]) -> Void) throws {
        let (model, _) = try fit(text, try PipelineParityTests.iris(), target: target, task: task)
        var json = try #require(try JSONSerialization.jsonObject(with: ModelFormat.encode(model)) as? [String: Any])
        edit(&json)
        let data = try JSONSerialization.data(withJSONObject: json)
        let error = try #require(throws: PetalError.self) { try ModelFormat.decode(data) }
        #expect(error.message.contains("model.json"))
        #expect(error.message.contains(expected), "\(error.message)")
    }

    static func editStep(_ json: inout [String: Any], _ index: Int, _ edit: (inout [String: Any]) -> Void) {
        guard var steps = json["steps"] as? [[String: Any]], steps.indices.contains(index) else { return }
        edit(&steps[index]); json["steps"] = steps
    }

    @Test func tamperedModelsAreRefused() throws {
        try Self.tampered("decision_tree", "variety", .classification, expected: "children") { json in
            Self.editStep(&json, 0) { step in
                // `left` is left out when implicit (the next node): written here, with a cycle the walk would never end.
                guard var trees = step["trees"] as? [[String: Any]], let feature = trees[0]["feature"] as? [Int] else { return }
                var left = trees[0]["left"] as? [Int] ?? feature.indices.map { feature[$0] < 0 ? -1 : $0 + 1 }
                left[0] = 0
                trees[0]["left"] = left; step["trees"] = trees
            }
        }
        try Self.tampered("decision_tree", "variety", .classification, expected: "feature 99") { json in
            Self.editStep(&json, 0) { step in
                guard var trees = step["trees"] as? [[String: Any]], var f = trees[0]["feature"] as? [Int] else { return }
                f[0] = 99
                trees[0]["feature"] = f; step["trees"] = trees
            }
        }
        try Self.tampered("knn", "variety", .classification, expected: "matrix needs") { json in
            Self.editStep(&json, 0) { step in
                guard var x = step["x"] as? [String: Any] else { return }
                x["rows"] = 1000; step["x"] = x
            }
        }
        try Self.tampered("standard_scaler | logistic_regression", "variety", .classification, expected: "step 1 (standard_scaler): shift") { json in
            Self.editStep(&json, 0) { $0["shift"] = [1.0] }
        }
        try Self.tampered("logistic_regression", "variety", .classification, expected: "coefficient row") { json in
            Self.editStep(&json, 0) { $0["coefficients"] = [[1.0], [2.0], [3.0]] }
        }
        try Self.tampered("gaussian_nb", "variety", .classification, expected: "newer than this Petal") { $0["version"] = 99 }
        try Self.tampered("gaussian_nb", "variety", .classification, expected: "unknown fitted step kind") { json in
            Self.editStep(&json, 0) { $0["kind"] = "python_pickle" }
        }
        try Self.tampered("gaussian_nb", "variety", .classification, expected: "steps is missing") { $0["steps"] = nil }
        try Self.tampered("kmeans k=2", nil, .clustering, expected: "task says classification") { $0["task"] = "classification" }
    }
}
