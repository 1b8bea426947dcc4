import Foundation
import PetalTestSupport
import Testing
import PetalData
@testable import PetalML
@testable import PetalBundle

/// Samples, fitting and temporary folders for the bundle tests.
enum Fixture {
    static let root = RepoPaths.root

    static func sample(_ name: String) throws -> Frame {
        try #require(try Loaders.load(path: root.appendingPathComponent("samples/\(name)").path).frame)
    }

    /// Penguins without the rows whose `target` is null.
    static func penguins(target: String = "species") throws -> Frame {
        let frame = try sample("penguins.csv")
        let y = try frame.requireColumn(target)
        return frame.filter { y.isValid($0) }
    }

    /// Parses "standard_scaler | knn k=3" as the command language does.
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

    /// Fits `text` on the `train` rows of `frame` (all rows when nil), as `fit` does.
    static func fit(_ text: String, _ frame: Frame, target: String?, task: LearningTask, train: [Int]? = nil) throws -> FittedPipeline {
        let pipeline = try self.pipeline(text)
        let directives = try pipeline.directives(textColumns: frame.columns.filter { $0.type == .text }.map(\.name))
        let rows = train ?? Array(0..<frame.rowCount)
        let trainFrame = frame.taking(rows)
        let schema = try FeatureSchema.infer(frame: trainFrame, target: target, dataset: "data", task: task, directives: directives)
        let x = try schema.matrix(trainFrame, dataset: "data")
        let y: Target
        switch task {
        case .classification:
            let all = try FeatureSchema.infer(frame: frame, target: target, dataset: "data", task: task, directives: directives)
            var s = schema; s.classes = all.classes
            y = .classes(try s.labels(trainFrame, dataset: "data"))
            return try pipeline.fit(x, target: y, schema: s)
        case .regression: y = .values(try schema.values(trainFrame, dataset: "data"))
        case .clustering: y = .none(rows: x.rows)
        }
        return try pipeline.fit(x, target: y, schema: schema)
    }

    /// A fresh temporary folder (removed by the caller's `defer`).
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("petal-bundle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Exports `model` trained on `training` to a new folder and returns the folder.
    static func export(_ model: FittedPipeline, training: Frame, in folder: URL, name: String = "model") throws -> URL {
        let dir = folder.appendingPathComponent(name)
        try BundleWriter.write(BundleExport(name: name, model: model, training: training, metrics: ["accuracy": 0.9]), to: dir)
        return dir
    }
}
