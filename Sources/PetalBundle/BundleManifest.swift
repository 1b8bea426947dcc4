import Foundation
import PetalML

/// `petal.json`: what a bundle holds and how to call it. Written last when a bundle is exported (so a
/// half-written bundle has none), read first when it is loaded. Plain data; keys in snake_case.
public struct BundleManifest: Sendable, Codable, Hashable {
    /// The `format` value of every Petal bundle.
    public static let formatName = "petal.bundle"
    /// The manifest version this Petal writes; it loads this and older versions and refuses newer ones.
    public static let currentVersion = 1
    public var format: String = BundleManifest.formatName
    public var formatVersion: Int = BundleManifest.currentVersion
    /// The Petal release that wrote the bundle (`PetalVersion.current` when this Petal writes it).
    public var petalVersion: String = PetalVersion.current
    /// The pipeline's name in the session that exported it.
    public var name: String
    public var task: LearningTask
    /// The column the model predicts (empty for clustering).
    public var target: String
    /// The columns a request must give, in order, with their training ranges and categories.
    public var inputs: [InputField]
    public var outputs: [OutputField]
    /// Class labels in probability-column order (empty for regression and clustering).
    public var classLabels: [String]
    /// Test-split metrics from `fit` (accuracy, f1_macro, … or r2, rmse, …).
    public var metrics: [String: Double]
    /// The tracked run the model came from (nil until experiment tracking records one).
    public var sourceRun: String?
    /// A binary classifier's decision threshold (`threshold P x`): the label is the second class where its
    /// probability is at least this. Absent: the most probable class (and in bundles written before it existed).
    public var decisionThreshold: Double?
    /// Rows the model was trained on (the base of the drift statistics).
    public var trainingRows: Int
    /// How `model.onnx` is called, when the bundle has one.
    public var onnx: ONNXDescription?
    /// SHA-256 (hex) of every other file in the bundle, by file name.
    public var files: [String: String]
    /// Example rows from the training data for demo forms: one per class (or the first rows), values as text by
    /// input name, with the row's true label. Absent in bundles written before it existed.
    public var examples: [BundleExample]?
    /// SHA-256 of this manifest's canonical form (see `ManifestIntegrity`); absent in bundles written by Petal 0.6.0.
    public var manifestSHA256: String?
    /// An Ed25519 signature of the canonical form, in bundles exported with `sign=KEYFILE`.
    public var signature: BundleSignature?

    enum CodingKeys: String, CodingKey {
        case format, formatVersion = "format_version", petalVersion = "petal_version", name, task, target, inputs, outputs
        case classLabels = "class_labels", metrics, sourceRun = "source_run", trainingRows = "training_rows", onnx, files, examples
        case manifestSHA256 = "manifest_sha256", signature, decisionThreshold = "decision_threshold"
    }

    public init(name: String, task: LearningTask, target: String, inputs: [InputField], outputs: [OutputField], classLabels: [String],
                metrics: [String: Double], sourceRun: String?, trainingRows: Int, onnx: ONNXDescription?, files: [String: String]) {
        self.name = name; self.task = task; self.target = target; self.inputs = inputs; self.outputs = outputs
        self.classLabels = classLabels; self.metrics = metrics; self.sourceRun = sourceRun; self.trainingRows = trainingRows
        self.onnx = onnx; self.files = files
    }

    /// Writes `source_run: null` rather than leaving the key out, so readers see the field exists.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format); try c.encode(formatVersion, forKey: .formatVersion)
        try c.encode(petalVersion, forKey: .petalVersion); try c.encode(name, forKey: .name); try c.encode(task, forKey: .task)
        try c.encode(target, forKey: .target); try c.encode(inputs, forKey: .inputs); try c.encode(outputs, forKey: .outputs)
        try c.encode(classLabels, forKey: .classLabels); try c.encode(metrics, forKey: .metrics)
        try c.encode(sourceRun, forKey: .sourceRun); try c.encode(trainingRows, forKey: .trainingRows)
        try c.encode(onnx, forKey: .onnx); try c.encode(files, forKey: .files)
        try c.encodeIfPresent(examples, forKey: .examples)
        try c.encodeIfPresent(decisionThreshold, forKey: .decisionThreshold)
        try c.encodeIfPresent(manifestSHA256, forKey: .manifestSHA256)
        try c.encodeIfPresent(signature, forKey: .signature)
    }

    /// The input field called `name`.
    public func input(named name: String) -> InputField? { inputs.first { $0.name == name } }
}

/// One input column: its type, whether it may be null, and what training saw (for checks, forms and drift).
public struct InputField: Sendable, Codable, Hashable {
    /// `number` (int, float or bool columns) or `text`.
    public enum Kind: String, Sendable, Codable, Hashable { case number, text }

    public var name: String
    public var type: Kind
    /// The training column's type (`int`, `float`, `bool`, `text`), for MLflow signatures and typed requests.
    public var dtype: String
    /// True when the model accepts a null here (it has an imputer, or the field is text: unknown → zeros).
    public var nullable: Bool
    public var min: Double?
    public var max: Double?
    public var median: Double?
    /// Categories seen in training, sorted (text fields).
    public var categories: [String]?
    /// The training distribution, for `drift`.
    public var profile: DriftProfile

    public init(name: String, type: Kind, dtype: String, nullable: Bool, min: Double? = nil, max: Double? = nil, median: Double? = nil,
                categories: [String]? = nil, profile: DriftProfile) {
        self.name = name; self.type = type; self.dtype = dtype; self.nullable = nullable
        self.min = min; self.max = max; self.median = median; self.categories = categories; self.profile = profile
    }
}

/// One output: `label` (class, number or cluster id), `probabilities` [N, classes] or `distances`.
public struct OutputField: Sendable, Codable, Hashable {
    public var name: String
    /// `text`, `float` or `int`.
    public var type: String
    /// Tensor shape with -1 for the batch (e.g. `[-1, 3]`).
    public var shape: [Int]
    public init(name: String, type: String, shape: [Int]) { self.name = name; self.type = type; self.shape = shape }
}

/// How the ONNX model is called: its file, stamps, and one input tensor per column.
public struct ONNXDescription: Sendable, Codable, Hashable {
    public var file: String
    public var irVersion: Int
    public var opsets: [String: Int]
    /// `{"name": column, "type": "float"|"string", "shape": [-1, 1]}` in the model's input order.
    public var inputs: [OutputField]
    public var outputs: [OutputField]
    /// A sentence for people: why one tensor per column.
    public var inputLayout: String

    enum CodingKeys: String, CodingKey { case file, irVersion = "ir_version", opsets, inputs, outputs, inputLayout = "input_layout" }

    public init(file: String, irVersion: Int, opsets: [String: Int], inputs: [OutputField], outputs: [OutputField], inputLayout: String) {
        self.file = file; self.irVersion = irVersion; self.opsets = opsets; self.inputs = inputs; self.outputs = outputs
        self.inputLayout = inputLayout
    }
}

/// One example row of a bundle: input values as text, and the row's label when the training data had one.
public struct BundleExample: Sendable, Codable, Hashable {
    public var values: [String: String]
    public var label: String?
    public init(values: [String: String], label: String?) { self.values = values; self.label = label }
}
