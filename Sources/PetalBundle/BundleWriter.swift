import Foundation
import PetalData
import PetalML

/// What goes into a bundle: the fitted pipeline, the rows it was trained on (for the input schema's ranges
/// and the drift statistics), its metrics and the run it came from.
public struct BundleExport: Sendable {
    public var name: String
    public var model: FittedPipeline
    /// The training rows (their input columns at least).
    public var training: Frame
    public var metrics: [String: Double]
    public var sourceRun: String?
    /// Signs the manifest when set (`export P to DIR sign=KEYFILE`).
    public var signingKey: BundleSigningKey?

    public init(name: String, model: FittedPipeline, training: Frame, metrics: [String: Double], sourceRun: String? = nil) {
        self.name = name; self.model = model; self.training = training; self.metrics = metrics; self.sourceRun = sourceRun
    }
}

/// Writes a bundle folder: `model.json`, `model.onnx`, `MLmodel`, `python_env.yaml`, `requirements.txt`,
/// `README.md`, and last `petal.json` with every file's SHA-256, its own digest, and a signature when the export
/// has a signing key. The folder is built beside the target and
/// renamed into place, so a crash leaves no half-written bundle under the target name.
public enum BundleWriter {
    /// A model step that cannot be written as ONNX leaves out `model.onnx` and the MLflow files that load it
    /// (`MLmodel`, `python_env.yaml`, `requirements.txt`); the bundle still serves with `petal serve`/`predict`.
    /// - Throws: when the target is a folder that is not a bundle, or writing fails.
    @discardableResult
    public static func write(_ export: BundleExport, to directory: URL) throws -> BundleManifest {
        try writeReporting(export, to: directory).manifest
    }

    /// `write`, also returning why `model.onnx` was left out (nil when it was written).
    public static func writeReporting(_ export: BundleExport, to directory: URL) throws -> (manifest: BundleManifest, onnxSkipped: PetalError?) {
        let model = export.model
        let inputs = try inputFields(model: model, training: export.training)
        var onnx: (data: Data, description: ONNXDescription)?
        var skipped: PetalError?
        do { onnx = try ONNXExporter.export(model, inputs: inputs, name: export.name) } catch let e as PetalError { skipped = e }
        var files: [String: Data] = ["model.json": try ModelFormat.encode(model)]
        var manifest = BundleManifest(name: export.name, task: model.task, target: model.schema.target, inputs: inputs,
                                      outputs: onnx?.description.outputs ?? outputFields(model), classLabels: model.schema.classes,
                                      metrics: export.metrics.filter { $0.value.isFinite }, sourceRun: export.sourceRun,
                                      trainingRows: export.training.rowCount, onnx: onnx?.description, files: [:])
        manifest.examples = examples(model: model, inputs: inputs, training: export.training)
        manifest.decisionThreshold = model.threshold
        if let onnx {
            files["model.onnx"] = onnx.data
            files["MLmodel"] = Data(MLflowFiles.mlmodel(manifest).utf8)
            files["python_env.yaml"] = Data(MLflowFiles.pythonEnv.utf8)
            files["requirements.txt"] = Data(MLflowFiles.requirements.utf8)
        }
        files["README.md"] = Data(MLflowFiles.readme(manifest).utf8)
        manifest.files = files.mapValues { SHA256.hex($0) }
        manifest = try ManifestIntegrity.sealed(manifest, signingKey: export.signingKey)
        let encoder = ModelFormat.encoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let manifestData = try encoder.encode(manifest)
        try install(files: files, manifest: manifestData, at: directory.standardizedFileURL)
        return (manifest, skipped)
    }

    /// The outputs `petal serve` answers with when there is no ONNX graph to describe them: the label and
    /// probabilities, the value, or the cluster label.
    static func outputFields(_ model: FittedPipeline) -> [OutputField] {
        switch model.task {
        case .classification:
            return [OutputField(name: "label", type: "string", shape: [-1]), OutputField(name: "probabilities", type: "float", shape: [-1, model.schema.classes.count])]
        case .regression: return [OutputField(name: "value", type: "double", shape: [-1, 1])]
        case .clustering: return [OutputField(name: "label", type: "int64", shape: [-1])]
        }
    }

    /// Example rows for demo forms: the first training row of each class (classification), else the first three.
    static func examples(model: FittedPipeline, inputs: [InputField], training: Frame) -> [BundleExample] {
        let target = training.column(named: model.schema.target)
        var rows: [Int] = []
        if let target, !model.schema.classes.isEmpty {
            for cls in model.schema.classes {
                if let r = (0..<training.rowCount).first(where: { target.isValid($0) && target[$0].plainText == cls }) { rows.append(r) }
            }
        } else {
            rows = Array(0..<min(3, training.rowCount))
        }
        return rows.map { r in
            var values: [String: String] = [:]
            for input in inputs {
                if let c = training.column(named: input.name), c.isValid(r) { values[input.name] = c[r].plainText }
            }
            return BundleExample(values: values, label: target.flatMap { $0.isValid(r) ? $0[r].plainText : nil })
        }
    }

    /// The input fields of `model` with their training types, ranges, categories and drift profiles.
    static func inputFields(model: FittedPipeline, training: Frame) throws -> [InputField] {
        let hasImputer = model.recipe.handlesMissing
        var fields: [InputField] = []
        func add(_ name: String, _ kind: InputField.Kind, nullable: Bool) throws {
            guard !fields.contains(where: { $0.name == name }) else { return }
            let column = try training.requireColumn(name, dataset: "the training data")
            switch kind {
            case .number:
                var values = column.doubles() ?? []
                let nulls = column.count - values.count
                let profile = DriftProfile.numeric(values, nulls: nulls)
                let median = values.isEmpty ? nil : Quantiles.compute(&values, [0.5]).first
                fields.append(InputField(name: name, type: .number, dtype: column.type.rawValue, nullable: nullable,
                                         min: profile.percentiles?.first, max: profile.percentiles?.last, median: median, profile: profile))
            case .text:
                let (values, nulls) = column.categoryValues()
                fields.append(InputField(name: name, type: .text, dtype: column.type.rawValue, nullable: nullable,
                                         categories: Set(values).sorted(), profile: .categorical(values, nulls: nulls)))
            }
        }
        for input in model.schema.inputs {
            switch input {
            case .number(let n): try add(n, .number, nullable: hasImputer)
            case .oneHot(let n, _): try add(n, .text, nullable: true)
            case .ordinal(let n, _): try add(n, .text, nullable: hasImputer)
            case .cross(let a, let b, _): try add(a, .text, nullable: true); try add(b, .text, nullable: true)
            }
        }
        return fields
    }

    /// Writes the files into a fresh sibling folder, then swaps it in for `target` (replacing an older bundle).
    static func install(files: [String: Data], manifest: Data, at target: URL) throws {
        let fm = FileManager.default
        let parent = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            let contents = (try? fm.contentsOfDirectory(atPath: target.path)) ?? []
            guard isDirectory.boolValue, contents.isEmpty || contents.contains("petal.json") else {
                throw PetalError("\(target.path) exists and is not a Petal bundle", hint: "export to a new folder, or remove that one first")
            }
        }
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            defer { try? fm.removeItem(at: staging) }
            for (name, data) in files.sorted(by: { $0.key < $1.key }) { try data.write(to: staging.appendingPathComponent(name)) }
            try manifest.write(to: staging.appendingPathComponent("petal.json"))
            if fm.fileExists(atPath: target.path) {
                let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(UUID().uuidString.prefix(8))")
                try fm.moveItem(at: target, to: old)
                defer { try? fm.removeItem(at: old) }
                try fm.moveItem(at: staging, to: target)
            } else {
                try fm.moveItem(at: staging, to: target)
            }
        } catch let e as PetalError { throw e } catch {
            throw PetalError("cannot write the bundle to \(target.path): \(error.localizedDescription)", hint: "check the folder and its permissions")
        }
    }
}
