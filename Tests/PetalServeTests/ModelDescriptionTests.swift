import Foundation
import PetalBundle
import PetalData
import PetalML
@testable import PetalServe
import Testing

/// What a served model says about itself: its task (the fitted estimator's, as PetalML's one `LearningTask`) and a version
/// that is the SHA-256 of its encoded form (the project's one content hash).
@Suite struct ModelDescriptionTests {
    @Test func theTaskIsTheEstimatorsTask() async throws {
        #expect(Fixtures.iris.description.task == .classification && Fixtures.iris.description.isClassifier)
        let (regressor, frame) = try Fixtures.fit("iris.csv", target: "petal_width", steps: [("knn", [])], task: .regression)
        let width = PipelineModel(regressor, name: "width", exampleFrame: frame)
        #expect(width.description.task == .regression && !width.description.isClassifier)
        try await withServer(width) { server in
            let metadata = try await HTTP.request(server.url + "/metadata")
            #expect(metadata.object["task"] as? String == "regression", "\(metadata.body)")
        }
    }

    @Test func theVersionIsTheModelsSHA256() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let (fitted, frame) = try Fixtures.fit("iris.csv", target: "variety", steps: [("standard_scaler", []), ("logistic_regression", [])])
        let expected = String(SHA256.hex(try encoder.encode(fitted)).prefix(16))
        #expect(PipelineModel(fitted, name: "iris", exampleFrame: frame).description.version == expected)
        #expect(expected.count == 16 && expected.allSatisfy(\.isHexDigit))
    }
}
