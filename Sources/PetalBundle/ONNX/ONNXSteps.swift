import Foundation
import PetalData
import PetalML

/// A graph output: its final name, element type and shape (nil = batch).
struct GraphOutput {
    var name: String
    var type: ONNX.DataType
    var dims: [Int?]
}

/// A fitted transform that writes itself as standard ONNX ops on a double [N, width] matrix, mirroring Petal's
/// arithmetic. Each fitted kind conforms in this module (PetalML knows nothing of ONNX); the exporter finds the
/// conversion by the fitted model's type, and a kind without one is refused at export with its name.
protocol ONNXTransform {
    /// The name of the transformed matrix.
    func onnx(_ x: String, width: Int, _ g: inout GraphBuilder) throws -> String
}

/// A fitted estimator's graph: the named outputs (`label` + `probabilities`, `value`, or `label` + `distances`).
protocol ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput]
}

/// Looking up a fitted step's conversion.
enum ONNXSteps {
    static func transform(_ step: FittedStep, _ x: String, width: Int, _ g: inout GraphBuilder, name: String) throws -> String {
        guard let t = step.model as? any ONNXTransform else {
            throw PetalError("\(name) (\(step.kind)) cannot be exported to ONNX yet", hint: "the bundle can still be served by petal serve")
        }
        return try t.onnx(x, width: width, &g)
    }

    static func estimator(_ step: FittedStep, _ x: String, width: Int, classes: [String], _ g: inout GraphBuilder, name: String) throws -> [GraphOutput] {
        guard let e = step.model as? any ONNXEstimator else {
            throw PetalError("\(name) (\(step.kind)) cannot be exported to ONNX yet", hint: "the bundle can still be served by petal serve")
        }
        return try e.onnx(x, width: width, classes: classes, name: name, &g)
    }

    static func bools(_ name: String, _ values: [Bool]) -> ONNX.Tensor {
        ONNX.Tensor(name: name, dims: [Int64(values.count)], type: .bool, raw: values.map { $0 ? 1 : 0 })
    }

    /// [1 − p, p] from a [N, 1] probability of the second class.
    static func binary(_ p1: String, _ g: inout GraphBuilder) -> String {
        let p0 = g.op("Sub", g.doubles("one", [1], dims: []), p1)
        return g.node("Concat", [p0, p1], attributes: [.init(name: "axis", value: .int(1))])[0]
    }

    /// `label` (the first most probable class, as Petal's argmax) and `probabilities` [N, C] float.
    static func classify(_ p: String, _ classes: [String], _ g: inout GraphBuilder) -> [GraphOutput] {
        let code = g.op("ArgMax", p, attributes: [.init(name: "axis", value: .int(1)), .init(name: "keepdims", value: .int(0))])
        let labels = g.constant(.strings("classes", classes))
        g.node("Gather", [labels, code], attributes: [.init(name: "axis", value: .int(0))], named: ["label"])
        g.node("Cast", [p], attributes: [.init(name: "to", value: .int(ONNX.DataType.float.rawValue))], named: ["probabilities"])
        return [GraphOutput(name: "label", type: .string, dims: [nil]), GraphOutput(name: "probabilities", type: .float, dims: [nil, classes.count])]
    }

    /// A regression's `value` output [N, 1] (double) from `v`.
    static func value(_ v: String, _ g: inout GraphBuilder) -> [GraphOutput] {
        g.node("Identity", [v], named: ["value"])
        return [GraphOutput(name: "value", type: .double, dims: [nil, 1])]
    }
}
