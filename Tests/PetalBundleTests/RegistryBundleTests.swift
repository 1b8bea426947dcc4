import Foundation
import Testing
import PetalData
@testable import PetalML
@testable import PetalBundle

/// Every registered step and task (the ONNX interop test's `registryCases`, plus the hand-picked pipelines):
/// a bundle exported and loaded again predicts exactly what the fitted model predicts.
@Suite struct RegistryBundleTests {
    static let cases = ONNXInteropTests.cases.map(\.pipeline).enumerated().map { "\($0.offset)" }

    @Test(arguments: cases) func exportedBundlePredictsTheSame(_ index: String) throws {
        let c = ONNXInteropTests.cases[try #require(Int(index))]
        let frame = try ONNXInteropTests.frame(c.data)
        let model = try Fixture.fit(c.pipeline, frame, target: c.target, task: c.task)
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bundle = try ServingBundle.load(from: try Fixture.export(model, training: frame, in: folder))
        #expect(bundle.model == model, "\(c.pipeline): the bundle's model is the fitted model")
        let answer = try bundle.predict(frame)
        let x = try model.schema.matrix(frame, dataset: "data")
        switch c.task {
        case .classification:
            #expect(answer.labels == model.predict(x).map { model.schema.classes[$0] }, "\(c.pipeline)")
            #expect(answer.probabilities == model.predictProba(x), "\(c.pipeline)")
        case .regression: #expect(answer.values == model.predictValues(x), "\(c.pipeline)")
        case .clustering: #expect(answer.clusters == model.clusters(x)?.labels, "\(c.pipeline)")
        }
    }
}
