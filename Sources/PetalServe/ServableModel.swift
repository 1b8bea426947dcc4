import PetalData

/// What a request must supply for one input column.
public struct InputField: Sendable, Hashable {
    /// What kind of value the column holds.
    public enum Kind: Sendable, Hashable {
        /// A number (JSON numbers; `true`/`false` count as 1/0, as in training).
        case number
        /// Text from a known set of categories (training's); an unseen category is refused.
        case category([String])
        /// Any text.
        case text
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name; self.kind = kind
    }

    /// The expected type in words, for error messages and `/metadata` ("a number", "one of setosa, …").
    public var expected: String {
        switch kind {
        case .number: return "a number"
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
    public var inputs: [InputField]
    /// Class labels in probability-column order; empty for regression.
    public var classes: [String]
    /// True when a missing value (null, NaN) may reach the model (the pipeline imputes it).
    public var acceptsMissing: Bool
    /// One example row per input, from training data, for `/metadata`'s example request.
    public var example: [String: ExampleValue]

    public init(name: String, version: String, inputs: [InputField], classes: [String], acceptsMissing: Bool,
                example: [String: ExampleValue] = [:]) {
        self.name = name; self.version = version; self.inputs = inputs; self.classes = classes
        self.acceptsMissing = acceptsMissing; self.example = example
    }

    /// True for a classifier (answers carry labels and probabilities).
    public var isClassifier: Bool { !classes.isEmpty }
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

    public var count: Int {
        switch self {
        case .classes(let codes, _): return codes.count
        case .values(let v): return v.count
        }
    }
}

/// A model the server can serve: it describes its inputs and predicts a frame whose columns are the inputs
/// (numbers as float columns, text as text columns, in `description.inputs` order).
/// Conformers: `PipelineModel` (a fitted pipeline) and, with the bundle module, a loaded bundle.
public protocol ServableModel: Sendable {
    var description: ModelDescription { get }
    /// - Throws: a `DataError` naming the column when the frame does not fit the model.
    func predict(_ frame: Frame) throws -> Predictions
}
