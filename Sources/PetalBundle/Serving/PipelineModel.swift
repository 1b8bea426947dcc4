import Foundation
import PetalData
import PetalML

/// A fitted pipeline as a servable model: the workbench's `serve P` and the fallback before a bundle exists.
public struct PipelineModel: ServableModel {
    public let fitted: FittedPipeline
    public let description: ModelDescription

    /// - Parameters:
    ///   - name: what `/metadata` calls the model.
    ///   - exampleFrame: training rows: the first is `/metadata`'s example request, and the column types say
    ///     which number fields were boolean (and so take `true`/`false`).
    public init(_ fitted: FittedPipeline, name: String, exampleFrame: Frame? = nil) {
        self.fitted = fitted
        var inputs: [RequestField] = []
        var seen = Set<String>()
        func add(_ field: RequestField) {
            if seen.insert(field.name).inserted { inputs.append(field) }
        }
        let imputes = fitted.recipe.handlesMissing
        for encoding in fitted.schema.inputs {
            switch encoding {
            case .number(let n):
                // Without training rows to look at, a boolean is refused (the stricter reading).
                add(RequestField(name: n, kind: .number, nullable: imputes, acceptsBoolean: exampleFrame?.column(named: n)?.type == .bool))
            case .oneHot(let n, let categories): add(RequestField(name: n, kind: .category(categories), nullable: true))
            case .ordinal(let n, let categories): add(RequestField(name: n, kind: .category(categories), nullable: imputes))
            case .cross(let a, let b, _):
                add(RequestField(name: a, kind: .text, nullable: true)); add(RequestField(name: b, kind: .text, nullable: true))
            }
        }
        var example: [String: ExampleValue] = [:]
        if let frame = exampleFrame, frame.rowCount > 0 {
            for field in inputs {
                guard let column = frame.column(named: field.name) else { continue }
                switch field.kind {
                case .number: if let v = column.doublesWithNaN()?.first, v.isFinite { example[field.name] = .number(v) }
                case .text, .category: if column.isValid(0) { example[field.name] = .text(column[0].plainText) }
                }
            }
        }
        self.description = ModelDescription(name: name, version: PipelineModel.fingerprint(fitted), inputs: inputs,
                                            classes: fitted.schema.classes,
                                            task: fitted.task,
                                            example: example)
    }

    public func predict(_ frame: Frame) throws -> Predictions {
        let x = try fitted.schema.matrix(frame, dataset: "the request")
        try fitted.checkInput(x)
        // Answers are checked by Invocations; the features come back transformed, so the transforms run once.
        let t = try FiniteGuard.requireFiniteFeatures(fitted, x, frame: frame)
        if let values = fitted.predictValues(transformed: t) { return .values(values) }
        if let clusters = fitted.clusters(transformed: t) { return .clusters(clusters.labels) }
        let (codes, p) = fitted.classify(transformed: t) ?? fitted.classify(x)
        return .classes(codes: codes, probabilities: p.values)
    }

    /// A short hex fingerprint of the fitted model's encoded form (the first 16 hex digits of its SHA-256, the
    /// project's one content hash), so a changed model has another version.
    static func fingerprint(_ fitted: FittedPipeline) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(fitted) else { return "unknown" }
        return String(SHA256.hex(data).prefix(16))
    }
}
