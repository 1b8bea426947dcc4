import Foundation
import PetalData

/// "Model as data": the explicit JSON shape of a fitted pipeline (version 2: trees keep leaf values only,
/// `TreeCoding`; version 1 files still load). Only numbers and strings — no
/// code — so a model file cannot run anything when it is loaded. Every object says what it is with a `kind`
/// (fitted steps, feature encodings) or `step` (recipe steps) key, looked up in the step registry (`Steps`);
/// each fitted step's fields are its learned values by name, and recipe settings use scikit-learn's parameter
/// names (files from Petal 0.6.0, with Swift field names and shared kinds, still load). Decoding validates
/// sizes and indexes (`FittedPipeline.validate()`) and throws a `DecodingError` naming the part that is wrong
/// instead of trapping later on a tampered file.
///
/// ```json
/// {"format": "petal.fitted_pipeline", "version": 2, "task": "classification",
///  "recipe": {"steps": [{"step": "standard_scaler", "settings": {"with_mean": true, …}, "columns": null}, …]},
///  "schema": {"target": "variety", "classes": […], "inputs": [{"kind": "number", "column": "sepal_length"}, …], "skipped": []},
///  "steps": [{"kind": "affine", "shift": […], "scale": […]}, {"kind": "knn_classifier", …}]}
/// ```
public enum ModelFormat {
    public static let name = "petal.fitted_pipeline"
    /// The version this build writes; it reads this version and older ones. 2: trees keep leaf values only; 3:
    /// matrices of more than `Matrix.packedAbove` values are packed (`PackedDoubles`).
    public static let version = 3

    /// A JSON encoder for models: sorted keys (stable files), infinities and NaN as strings.
    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return e
    }

    /// The matching decoder.
    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return d
    }

    /// A pipeline as JSON bytes: the JSON `encoder()` writes, written by `ModelJSONWriter` (a forest's millions
    /// of numbers take Foundation's encoder seconds).
    public static func encode(_ model: FittedPipeline) throws -> Data { try ModelJSONWriter().encode(model) }

    /// `encode(model)` written to the file at `path` (whole or not at all), without the bytes joined in memory.
    public static func write(_ model: FittedPipeline, toFile path: String) throws { try ModelJSONWriter().write(model, toFile: path) }

    /// A pipeline from JSON bytes, validated; errors say which part of the file is wrong.
    public static func decode(_ data: Data, file: String = "model.json") throws -> FittedPipeline {
        do { return try decoder().decode(FittedPipeline.self, from: data) } catch let error as DecodingError {
            throw PetalError("\(file) is not a valid Petal model: \(ModelFormat.describe(error))",
                            hint: "export the model again; a bundle's files must not be edited by hand")
        }
    }

    /// A short readable text for a decoding error: the JSON path and what was wrong.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ p: [CodingKey]) -> String {
            p.isEmpty ? "top level" : p.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .dataCorrupted(let c): return "\(path(c.codingPath)): \(c.debugDescription)"
        case .keyNotFound(let k, let c): return "\(path(c.codingPath + [k])) is missing"
        case .typeMismatch(let t, let c): return "\(path(c.codingPath)) should be \(t)"
        case .valueNotFound(let t, let c): return "\(path(c.codingPath)) should be \(t), not null"
        @unknown default: return "\(error)"
        }
    }
}

/// A JSON key from a string (for the flat `kind` objects).
struct ModelKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Throws a `dataCorrupted` error at `decoder`'s position.
func corrupt(_ decoder: Decoder, _ message: String) -> DecodingError {
    .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: message))
}

extension FittedPipeline: Codable {
    private enum Keys: String, CodingKey { case format, version, task, recipe, schema, steps, threshold }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let format = try c.decode(String.self, forKey: .format)
        guard format == ModelFormat.name else { throw corrupt(decoder, "format is \"\(format)\", not \(ModelFormat.name)") }
        let version = try c.decode(Int.self, forKey: .version)
        guard (1...ModelFormat.version).contains(version) else {
            throw corrupt(decoder, "model format version \(version) is newer than this Petal reads (\(ModelFormat.version)); update Petal")
        }
        let recipe = try c.decode(Pipeline.self, forKey: .recipe)
        // Each fitted step is read with the recipe step it came from, which resolves kinds an older Petal shared.
        var list = try c.nestedUnkeyedContainer(forKey: .steps)
        var steps: [FittedStep] = []
        while !list.isAtEnd {
            steps.append(try FittedStep.decode(from: list.superDecoder(), recipe: recipe.steps[safe: steps.count]))
        }
        do {
            try self.init(recipe: recipe, schema: try c.decode(FeatureSchema.self, forKey: .schema), steps: steps)
        } catch let e as PetalError { throw corrupt(decoder, e.message) }
        let task = try c.decode(LearningTask.self, forKey: .task)
        guard task == self.task else { throw corrupt(decoder, "task says \(task.rawValue), but the estimator does \(self.task.rawValue)") }
        // Written only when set (`threshold P x`); files without it predict the most probable class.
        if let threshold = try c.decodeIfPresent(Double.self, forKey: .threshold) {
            do { self = try withThreshold(threshold) } catch let e as PetalError { throw corrupt(decoder, e.message) }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(ModelFormat.name, forKey: .format)
        try c.encode(ModelFormat.version, forKey: .version)
        try c.encode(task, forKey: .task)
        try c.encode(recipe, forKey: .recipe)
        try c.encode(schema, forKey: .schema)
        try c.encode(steps, forKey: .steps)
        try c.encodeIfPresent(threshold, forKey: .threshold)
    }
}

extension Pipeline {
    private enum Keys: String, CodingKey { case steps }
    private enum StepKeys: String, CodingKey { case step, settings, columns }

    public init(from decoder: Decoder) throws {
        var list = try decoder.container(keyedBy: Keys.self).nestedUnkeyedContainer(forKey: .steps)
        var steps: [Step] = [], columns: [ColumnSelection?] = []
        while !list.isAtEnd {
            let s = try list.nestedContainer(keyedBy: StepKeys.self)
            steps.append(try Step.decode(name: s.decode(String.self, forKey: .step), settings: s.superDecoder(forKey: .settings)))
            columns.append(try s.decodeIfPresent(ColumnSelection.self, forKey: .columns))
        }
        do { try self.init(steps: steps, columns: columns) } catch let e as PetalError { throw corrupt(decoder, e.message) }
    }

    public func encode(to encoder: Encoder) throws {
        var top = encoder.container(keyedBy: Keys.self)
        var list = top.nestedUnkeyedContainer(forKey: .steps)
        for (i, step) in steps.enumerated() {
            var s = list.nestedContainer(keyedBy: StepKeys.self)
            try s.encode(step.name, forKey: .step)
            try step.recipe.encode(to: s.superEncoder(forKey: .settings))
            try s.encode(columns[safe: i] ?? nil, forKey: .columns)
        }
    }
}

extension ColumnSelection {
    /// `{"names": ["a", "b"]}` or `{"type": "number"}`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ModelKey.self)
        if let names = try c.decodeIfPresent([String].self, forKey: ModelKey("names")) { self = .names(names); return }
        let type = try c.decode(String.self, forKey: ModelKey("type"))
        guard type == "number" || type == "text" else { throw corrupt(decoder, "a column type is number or text, not \(type)") }
        self = .type(type)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ModelKey.self)
        switch self {
        case .names(let n): try c.encode(n, forKey: ModelKey("names"))
        case .type(let t): try c.encode(t, forKey: ModelKey("type"))
        }
    }
}

extension FeatureEncoding {
    /// `{"kind": "number" | "one_hot" | "ordinal" | "cross", "column": …, "categories": […]}` (a cross has `columns`).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ModelKey.self)
        let kind = try c.decode(String.self, forKey: ModelKey("kind"))
        func categories() throws -> [String] {
            let cats = try c.decode([String].self, forKey: ModelKey("categories"))
            guard Set(cats).count == cats.count else { throw corrupt(decoder, "categories repeat a value") }
            return cats
        }
        switch kind {
        case "number": self = .number(try c.decode(String.self, forKey: ModelKey("column")))
        case "one_hot": self = .oneHot(try c.decode(String.self, forKey: ModelKey("column")), categories: try categories())
        case "ordinal": self = .ordinal(try c.decode(String.self, forKey: ModelKey("column")), categories: try categories())
        case "cross":
            let columns = try c.decode([String].self, forKey: ModelKey("columns"))
            guard columns.count == 2 else { throw corrupt(decoder, "a cross has two columns, not \(columns.count)") }
            self = .cross(columns[0], columns[1], categories: try categories())
        default: throw corrupt(decoder, "unknown feature kind \"\(kind)\"")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ModelKey.self)
        switch self {
        case .number(let n):
            try c.encode("number", forKey: ModelKey("kind")); try c.encode(n, forKey: ModelKey("column"))
        case .oneHot(let n, let cats):
            try c.encode("one_hot", forKey: ModelKey("kind")); try c.encode(n, forKey: ModelKey("column")); try c.encode(cats, forKey: ModelKey("categories"))
        case .ordinal(let n, let cats):
            try c.encode("ordinal", forKey: ModelKey("kind")); try c.encode(n, forKey: ModelKey("column")); try c.encode(cats, forKey: ModelKey("categories"))
        case .cross(let a, let b, let cats):
            try c.encode("cross", forKey: ModelKey("kind")); try c.encode([a, b], forKey: ModelKey("columns")); try c.encode(cats, forKey: ModelKey("categories"))
        }
    }
}
