import Foundation
import PetalData
import PetalML

/// Writes a fitted pipeline as one ONNX-ML model (IR 8, ai.onnx 17, ai.onnx.ml 3): the feature encoding
/// (one-hot, ordinal, crosses), every transform, and the estimator, ending in `label` and `probabilities`
/// (classification), `value` (regression) or `label` and `distances` (clustering). No ZipMap.
///
/// Inputs are one tensor per input column, shape [N]: `double` for numbers (NaN = missing), `string` for text
/// ("" = missing). One tensor per column keeps mixed numeric and text inputs apart without a cast and lets
/// callers send a dict of columns (MLflow's `{"inputs": {column: [...]}}`); double keeps the model's numbers
/// exactly as Petal computes them (tree thresholds compare the same way). Inside, the graph works in double.
public enum ONNXExporter {
    public static let inputLayout = "one tensor per input column, shape [N]: double for numbers (NaN = missing), "
        + "string for text (\"\" = missing); the graph computes in double"

    /// - Throws: `PetalError` naming a step that cannot be exported.
    public static func export(_ model: FittedPipeline, inputs: [InputField], name: String) throws -> (data: Data, description: ONNXDescription) {
        var g = GraphBuilder()
        var x = try features(model.schema, &g)
        var width = model.schema.features.count
        for (i, step) in model.steps.dropLast().enumerated() {
            x = try ONNXSteps.transform(step, x, width: width, &g, name: model.recipe.steps[i].name)
            width = step.transform?.outputWidth(width) ?? width
        }
        guard let last = model.steps.last else { throw PetalError("the model has no steps") }
        let outputs = try ONNXSteps.estimator(last, x, width: width, classes: model.schema.classes, &g, name: model.recipe.estimator.name)
        if let threshold = model.threshold { try g.thresholdLabel(threshold, classes: model.schema.classes) }

        let inputInfos = inputs.map { ONNX.ValueInfo(name: $0.name, type: $0.type == .number ? .double : .string, dims: [nil]) }
        let outputInfos = outputs.map { ONNX.ValueInfo(name: $0.name, type: $0.type, dims: $0.dims) }
        var metadata: [(String, String)] = [("petal_task", model.task.rawValue), ("petal_pipeline", model.recipe.steps.map(\.name).joined(separator: " | ")),
                                            ("input_layout", inputLayout)]
        if !model.schema.classes.isEmpty {
            metadata.append(("class_labels", JSONValue.array(model.schema.classes.map { .string($0) }).compactText))
        }
        if let threshold = model.threshold { metadata.append(("decision_threshold", NumberText.shortest(threshold))) }
        let onnx = ONNX.Model(producerVersion: PetalVersion.current, graphName: name.isEmpty ? "petal" : name, nodes: g.nodes,
                              initializers: g.initializers, inputs: inputInfos, outputs: outputInfos, metadata: metadata)
        func field(_ v: ONNX.ValueInfo) -> OutputField {
            let type: String
            switch v.type { case .string: type = "string"; case .int64: type = "int64"; case .double: type = "double"; default: type = "float" }
            return OutputField(name: v.name, type: type, shape: v.dims.map { $0 ?? -1 })
        }
        let description = ONNXDescription(file: "model.onnx", irVersion: Int(ONNX.Model.irVersion),
                                          opsets: Dictionary(uniqueKeysWithValues: ONNX.Model.opsets.map { ($0.0.isEmpty ? "ai.onnx" : $0.0, Int($0.1)) }),
                                          inputs: inputInfos.map(field), outputs: outputInfos.map(field), inputLayout: inputLayout)
        return (onnx.serialized(), description)
    }

    /// The feature matrix [N, F] (double) from the column inputs, in the schema's order.
    static func features(_ schema: FeatureSchema, _ g: inout GraphBuilder) throws -> String {
        var pieces: [String] = []
        for input in schema.inputs {
            switch input {
            case .number(let n):
                pieces.append(g.reshape(n, [-1, 1]))
            case .oneHot(let n, let categories):
                guard !categories.isEmpty else { continue }
                pieces.append(g.toDouble(oneHot(n, categories, &g)))
            case .ordinal(let n, let categories):
                let codes = g.op("LabelEncoder", n, domain: "ai.onnx.ml", attributes: [
                    .init(name: "keys_strings", value: .strings(categories)),
                    .init(name: "values_floats", value: .floats(categories.indices.map(Float.init))),
                    .init(name: "default_float", value: .float(.nan)),
                ])
                pieces.append(g.reshape(g.toDouble(codes), [-1, 1]))
            case .cross(let a, let b, let categories):
                guard !categories.isEmpty else { continue }
                var pairs: [(String, String)] = []
                for c in categories {
                    let parts = c.components(separatedBy: "×")
                    guard parts.count == 2 else {
                        throw PetalError("feature_cross of \(a) and \(b) cannot be exported to ONNX: the category \"\(c)\" contains ×",
                                        hint: "rename the categories so they do not contain ×")
                    }
                    pairs.append((parts[0], parts[1]))
                }
                let left = Array(Set(pairs.map(\.0))).sorted(), right = Array(Set(pairs.map(\.1))).sorted()
                let oa = g.unsqueeze(oneHot(a, left, &g), axes: [2]), ob = g.unsqueeze(oneHot(b, right, &g), axes: [1])
                let outer = g.reshape(g.op("Mul", oa, ob), [-1, left.count * right.count])
                let index = pairs.map { p in (left.firstIndex(of: p.0) ?? 0) * right.count + (right.firstIndex(of: p.1) ?? 0) }
                let picked = g.op("Gather", outer, g.ints("pairs", index), attributes: [.init(name: "axis", value: .int(1))])
                pieces.append(g.toDouble(picked))
            }
        }
        guard !pieces.isEmpty else { throw PetalError("the model has no features to export") }
        if pieces.count == 1 { return pieces[0] }
        return g.node("Concat", pieces, attributes: [.init(name: "axis", value: .int(1))])[0]
    }

    /// ml:OneHotEncoder over `categories` of a string [N] input: [N, C] float, unknown → all zeros.
    static func oneHot(_ input: String, _ categories: [String], _ g: inout GraphBuilder) -> String {
        g.op("OneHotEncoder", input, domain: "ai.onnx.ml", attributes: [
            .init(name: "cats_strings", value: .strings(categories)), .init(name: "zeros", value: .int(1)),
        ])
    }
}
