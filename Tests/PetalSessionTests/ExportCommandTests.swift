import Foundation
import Testing
@testable import PetalSession
import PetalBundle
import PetalData

/// `export P to DIR`: the bundle on disk, its text and JSON, and the errors.
@Suite struct ExportCommandTests {
    static func folder() -> URL { FileManager.default.temporaryDirectory.appendingPathComponent("petal-export-\(UUID().uuidString)") }

    @Test func exportsAFittedPipeline() throws {
        let dir = Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let s = irisSession()
        _ = s.execute("pipeline p = standard_scaler | logistic_regression")
        _ = s.execute("fit p on iris target=variety")
        let e = s.execute("export p to \(dir.path)/iris")
        #expect(e.ok, "\(e.renderText(width: 80))")
        let text = e.renderText(width: 80)
        #expect(text.contains("classifies variety (setosa, versicolor, virginica)"))
        #expect(text.contains("outputs  label string [-1], probabilities float [-1, 3]"))
        let json = e.json().serialized()
        #expect(json.contains("\"task\": \"classification\""))
        #expect(json.contains("\"model.onnx\": \""))
        let bundle = try ServingBundle.load(from: dir.appendingPathComponent("iris"))
        #expect(bundle.manifest.trainingRows == 120)
        #expect(bundle.manifest.metrics["accuracy"] == 1)
        #expect(bundle.manifest.name == "p")
    }

    @Test func explainsWhatIsMissing() {
        let s = irisSession()
        _ = s.execute("pipeline p = gaussian_nb")
        #expect(s.execute("export p to /tmp/x").renderText(width: 80).contains("p is not fitted yet"))
        #expect(s.execute("export p").renderText(width: 80).contains("export needs a destination folder"))
        #expect(s.execute("export nope to /tmp/x").renderText(width: 80).contains("nope"))
    }
}
