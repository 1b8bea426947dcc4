import PetalData
import PetalML

/// What a request must supply for one input column.
public struct RequestField: Sendable, Hashable {
    /// What kind of value the column holds.
    public enum Kind: Sendable, Hashable {
        /// A finite number. JSON `true`/`false` are taken (as 1/0) only by a field whose training column was
        /// boolean (`acceptsBoolean`); anywhere else a boolean is a mistyped value and refused.
        case number
        /// Text from a known set of categories (training's); an unseen category is refused.
        case category([String])
        /// Any text.
        case text
    }

    public var name: String
    public var kind: Kind
    /// True when the model takes a missing value here (null, NaN, an empty CSV cell): it imputes it, or the
    /// field is text (a missing category is none of the known ones).
    public var nullable: Bool
    /// True when the training column was boolean, so `true`/`false` (JSON, or CSV text) are its values (1/0).
    public var acceptsBoolean: Bool

    public init(name: String, kind: Kind, nullable: Bool, acceptsBoolean: Bool = false) {
        self.name = name; self.kind = kind; self.nullable = nullable; self.acceptsBoolean = acceptsBoolean
    }

    /// The expected type in words, for error messages and `/metadata` ("a number", "one of setosa, …").
    public var expected: String {
        switch kind {
        case .number: return acceptsBoolean ? "a boolean (or 0/1)" : "a number"
        case .text: return "a string"
        case .category(let c):
            let shown = c.prefix(8).joined(separator: ", ") + (c.count > 8 ? ", … (\(c.count) in all)" : "")
            return "a string, one of " + shown
        }
    }

    /// The JSON type name `/metadata` reports ("double" or "string", as in an MLflow signature).
    public var typeName: String {
        if case .number = kind { return "double" }
        return "string"
    }
}

/// Everything the server says about a model: names, inputs, outputs, and where it came from.
public struct ModelDescription: Sendable, Hashable {
    /// A short name for the model (the bundle's folder or the pipeline's name).
    public var name: String
    /// A version or fingerprint, changing whenever the model does (shown by `/metadata` and `/version`).
    public var version: String
    /// Input columns in order (the order `instances`/`inputs` rows and headerless CSV use).
    public var inputs: [RequestField]
    /// Class labels in probability-column order; empty for regression.
    public var classes: [String]
    /// One example row per input, from training data, for `/metadata`'s example request.
    public var example: [String: ExampleValue]
    /// What the model predicts: classes, numbers or clusters (PetalML's one `LearningTask`).
    public var task: LearningTask

    public init(name: String, version: String, inputs: [RequestField], classes: [String], task: LearningTask,
                example: [String: ExampleValue] = [:]) {
        self.name = name; self.version = version; self.inputs = inputs; self.classes = classes
        self.example = example; self.task = task
    }

    /// True for a classifier (answers carry labels and probabilities).
    public var isClassifier: Bool { task == .classification }
}

/// One cell of an example request.
public enum ExampleValue: Sendable, Hashable {
    case number(Double)
    case text(String)
}

/// A model's answers for a batch: class codes with probabilities, or numbers.
public enum Predictions: Sendable {
    /// For each row, the index of the predicted class in `ModelDescription.classes`, and the probability
    /// matrix (`rows × classes`, row-major).
    case classes(codes: [Int], probabilities: [Double])
    /// For each row, the predicted number (regression).
    case values([Double])
    /// For each row, the nearest cluster (clustering).
    case clusters([Int])

    public var count: Int {
        switch self {
        case .classes(let codes, _): return codes.count
        case .values(let v): return v.count
        case .clusters(let c): return c.count
        }
    }
}

/// A model the server can serve: it describes its inputs and predicts a frame whose columns are the inputs
/// (numbers as float columns, text as text columns, in `description.inputs` order).
/// Conformers: `PipelineModel` (a fitted pipeline) and `BundleModel` (a loaded bundle). These types live here, below
/// PetalServe, so that the session can choose a model to serve without importing the HTTP stack (see
/// `ServerLauncher`).
public protocol ServableModel: Sendable {
    var description: ModelDescription { get }
    /// - Throws: a `PetalError` or `BundleInputError` naming the column when the frame does not fit the model.
    func predict(_ frame: Frame) throws -> Predictions
    /// How `recent` inputs compare with the training data, or nil when the model has no training statistics.
    func drift(of recent: Frame) throws -> DriftReport?
}

extension ServableModel {
    public func drift(of recent: Frame) throws -> DriftReport? { nil }
}
