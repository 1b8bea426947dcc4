import Foundation
import Testing
import PetalData
@testable import PetalML
@testable import PetalBundle

/// Writing and loading bundles: the files, the manifest, predictions equal to the model's, and every way a
/// bundle or an input can be wrong.
@Suite struct BundleTests {
    static func irisBundle(_ folder: URL, _ text: String = "standard_scaler | logistic_regression") throws -> (URL, FittedPipeline, Frame) {
        let iris = try Fixture.sample("iris.csv")
        let model = try Fixture.fit(text, iris, target: "variety", task: .classification)
        return (try Fixture.export(model, training: iris, in: folder), model, iris)
    }

    @Test func writesEveryFileAndLoadsThemBack() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (dir, model, iris) = try Self.irisBundle(folder)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(names == ["petal.json", "model.json", "model.onnx", "MLmodel", "python_env.yaml", "requirements.txt", "README.md"])
        let bundle = try ServingBundle.load(from: dir)
        #expect(bundle.manifest.classLabels == ["setosa", "versicolor", "virginica"])
        #expect(bundle.manifest.inputs.map(\.name) == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        #expect(bundle.manifest.inputs[0].min == 4.3 && bundle.manifest.inputs[0].max == 7.9 && bundle.manifest.inputs[0].median == 5.8)
        #expect(bundle.manifest.sourceRun == nil)
        #expect(Set(bundle.manifest.files.keys) == names.subtracting(["petal.json"]))
        let prediction = try bundle.predict(iris)
        let x = try model.schema.matrix(iris, dataset: "iris")
        #expect(prediction.labels == model.predict(x).map { model.schema.classes[$0] })
        #expect(prediction.probabilities == model.predictProba(x))
        // source_run is written as null, not left out.
        let manifest = try String(contentsOf: dir.appendingPathComponent("petal.json"), encoding: .utf8)
        #expect(manifest.contains("\"source_run\" : null"))
    }

    @Test func exportingTwiceReplacesTheBundle() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.irisBundle(folder)
        let (dir, _, _) = try Self.irisBundle(folder, "gaussian_nb")
        #expect(try ServingBundle.load(from: dir).model.recipe.estimator.name == "gaussian_nb")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model"])
    }

    @Test func refusesAFolderThatIsNotABundle() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("keep".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let iris = try Fixture.sample("iris.csv")
        let model = try Fixture.fit("gaussian_nb", iris, target: "variety", task: .classification)
        let e = try #require(throws: PetalError.self) { try BundleWriter.write(BundleExport(name: "m", model: model, training: iris, metrics: [:]), to: folder) }
        #expect(e.message.contains("is not a Petal bundle"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("notes.txt").path))
    }

    static func loadError(_ dir: URL) throws -> String {
        try #require(throws: PetalError.self) { try ServingBundle.load(from: dir) }.message
    }

    @Test func halfWrittenBundleIsRefused() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (dir, _, _) = try Self.irisBundle(folder)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("model.onnx"))
        #expect(try Self.loadError(dir).contains("incomplete: model.onnx is missing"))
        try FileManager.default.removeItem(at: dir.appendingPathComponent("petal.json"))
        #expect(try Self.loadError(dir).contains("has no petal.json"))
    }

    @Test func tamperedFileIsRefused() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (dir, _, _) = try Self.irisBundle(folder)
        let url = dir.appendingPathComponent("model.json")
        var text = try String(contentsOf: url, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"intercepts\":[", with: "\"intercepts\":[1")
        try text.write(to: url, atomically: true, encoding: .utf8)
        #expect(try Self.loadError(dir).contains("model.json in model does not match its checksum"))
    }

    static func editManifest(_ dir: URL, _ edit: (inout [String: Any]) -> Void) throws {
        let url = dir.appendingPathComponent("petal.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        // As a careful editor would: the manifest's own checksum agrees again, so the checks behind it are reached.
        // (A manifest edited past decoding, e.g. a version written as text, cannot be resealed; loading names that.)
        try? BundleIntegrityTests.resealManifest(dir)
    }

    @Test func bundleFromANewerPetalIsRefused() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (dir, _, _) = try Self.irisBundle(folder)
        try Self.editManifest(dir) { $0["format_version"] = 7; $0["new_field"] = ["x": 1] }
        let message = try Self.loadError(dir)
        #expect(message.contains("made by a newer Petal (bundle format 7"))
    }

    @Test func manifestPathsCannotLeaveTheFolder() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (dir, _, _) = try Self.irisBundle(folder)
        try Data("secret".utf8).write(to: folder.appendingPathComponent("outside.txt"))
        for name in ["../outside.txt", "/etc/passwd", "sub/../../outside.txt", ".hidden"] {
            try Self.editManifest(dir) { json in
                var files = json["files"] as? [String: String] ?? [:]
                files = files.filter { !$0.key.contains("/") && !$0.key.hasPrefix(".") }
                files[name] = SHA256.hex(Data("secret".utf8))
                json["files"] = files
            }
            #expect(try Self.loadError(dir).contains("not a plain file name"), "\(name)")
        }
        // A link inside the folder that points out of it.
        try Self.editManifest(dir) { json in
            var files = (json["files"] as? [String: String] ?? [:]).filter { !$0.key.contains("/") && !$0.key.hasPrefix(".") }
            files["link.txt"] = SHA256.hex(Data("secret".utf8))
            json["files"] = files
        }
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("link.txt"), withDestinationURL: folder.appendingPathComponent("outside.txt"))
        #expect(try Self.loadError(dir).contains("leaves the bundle folder"))
    }

    static func inputError(_ bundle: ServingBundle, _ frame: Frame) throws -> BundleInputError {
        try #require(throws: BundleInputError.self) { try bundle.predict(frame) }
    }

    @Test func inputIsCheckedAgainstTheSchema() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (dir, _, iris) = try Self.irisBundle(folder)
        let bundle = try ServingBundle.load(from: dir)
        let missing = try Self.inputError(bundle, try iris.dropping(["petal_width"]))
        #expect(missing.field == "petal_width" && missing.expected == "number")
        #expect(missing.message.contains("no field \"petal_width\""))
        let renamed = try Self.inputError(bundle, try iris.renaming("petal_width", to: "petal_widht"))
        #expect(renamed.message.contains("did you mean sepal_width, petal_widht?"))
        let text = try iris.dropping(["sepal_length"]).appending(Column.fromValues(name: "sepal_length", (0..<iris.rowCount).map { _ in .text("long") }))
        let wrongType = try Self.inputError(bundle, text)
        #expect(wrongType.field == "sepal_length" && wrongType.row == 0)
        #expect(wrongType.message.contains("should be a number, but row 1 has \"long\""))
        let nulls = try iris.dropping(["sepal_width"]).appending(Column.fromValues(name: "sepal_width", (0..<iris.rowCount).map { $0 == 4 ? .null : .float(3) }))
        #expect(try Self.inputError(bundle, nulls).message.contains("missing (null or NaN) in row 5; this model has no imputer"))
    }

    @Test func unknownCategoriesAreWarnedAbout() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let penguins = try Fixture.penguins()
        let model = try Fixture.fit("imputer | one_hot | logistic_regression", penguins, target: "species", task: .classification)
        let bundle = try ServingBundle.load(from: try Fixture.export(model, training: penguins, in: folder))
        let island = try #require(bundle.manifest.input(named: "island"))
        #expect(island.type == .text && island.categories == ["Biscoe", "Dream", "Torgersen"])
        var rows = penguins.head(3)
        rows = try rows.dropping(["island"]).appending(Column.fromValues(name: "island", [.text("Atlantis"), .text("Dream"), .null]))
        let warnings = try bundle.check(rows)
        #expect(warnings == ["field island: 1 row with categories the model never saw (\"Atlantis\"); they count as none of the known ones"])
        #expect(try bundle.predict(rows).labels.count == 3)
    }

    @Test func regressionAndClusteringBundles() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let iris = try Fixture.sample("iris.csv")
        let regression = try Fixture.fit("ridge", iris, target: "petal_width", task: .regression)
        let r = try ServingBundle.load(from: try Fixture.export(regression, training: iris, in: folder, name: "r"))
        #expect(r.manifest.task == .regression && r.manifest.inputs.map(\.name).contains("variety"))
        #expect(try r.predict(iris).values == regression.predictValues(try regression.schema.matrix(iris, dataset: "iris")))
        let numbers = try iris.dropping(["variety"])
        let clusters = try Fixture.fit("standard_scaler | kmeans k=3", numbers, target: nil, task: .clustering)
        let c = try ServingBundle.load(from: try Fixture.export(clusters, training: numbers, in: folder, name: "c"))
        #expect(c.manifest.outputs.map(\.name) == ["label", "distances"])
        #expect(try c.predict(numbers).clusters == clusters.clusters(try clusters.schema.matrix(numbers, dataset: "iris"))?.labels)
    }
}

/// Steps that cannot be written to ONNX: the bundle is written without `model.onnx` (and the MLflow files that
/// load it), saying why, and still predicts.
@Suite struct ONNXExportErrorTests {
    @Test func aCategoryWithTheCrossSignIsRefused() throws {
        let frame = try Frame(columns: [
            Column.fromValues(name: "a", [.text("x×y"), .text("z"), .text("x×y"), .text("z")]),
            Column.fromValues(name: "b", [.text("u"), .text("v"), .text("v"), .text("u")]),
            Column(name: "n", storage: .float([1, 2, 3, 4])),
            Column.fromValues(name: "y", [.text("p"), .text("q"), .text("p"), .text("q")]),
        ])
        let model = try Fixture.fit("feature_cross columns=a,b | gaussian_nb", frame, target: "y", task: .classification)
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dir = folder.appendingPathComponent("model")
        let (manifest, skipped) = try BundleWriter.writeReporting(BundleExport(name: "model", model: model, training: frame, metrics: [:]), to: dir)
        #expect(skipped?.message.contains("feature_cross of a and b cannot be exported to ONNX") == true)
        #expect(manifest.onnx == nil && manifest.outputs.map(\.name) == ["label", "probabilities"])
        for file in ["model.onnx", "MLmodel", "requirements.txt", "python_env.yaml"] {
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file) is left out")
        }
        let bundle = try ServingBundle.load(from: dir)
        #expect(try bundle.predict(frame).labels == model.predict(try model.schema.matrix(frame, dataset: "t")).map { model.schema.classes[$0] })
    }

    /// DBSCAN with no core rows (every training row noise) has nothing to compare new rows with in ONNX.
    @Test func dbscanWithoutCoreRowsIsWrittenWithoutONNX() throws {
        let frame = try Frame(columns: [Column(name: "n", storage: .float([1, 5, 9, 13]))])
        let model = try Fixture.fit("dbscan eps=0.5", frame, target: nil, task: .clustering)
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dir = folder.appendingPathComponent("model")
        let (manifest, skipped) = try BundleWriter.writeReporting(BundleExport(name: "model", model: model, training: frame, metrics: [:]), to: dir)
        #expect(skipped?.message.contains("no core rows") == true)
        #expect(manifest.outputs.map(\.name) == ["label"])
        #expect(try ServingBundle.load(from: dir).predict(frame).clusters == [-1, -1, -1, -1])
    }
}
