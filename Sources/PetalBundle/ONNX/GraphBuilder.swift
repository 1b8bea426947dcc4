import Foundation
import PetalData

/// Builds an ONNX graph in topological order: every node is appended after the nodes producing its inputs,
/// constants become initializers, and every name is unique.
struct GraphBuilder {
    private(set) var nodes: [ONNX.Node] = []
    private(set) var initializers: [ONNX.Tensor] = []
    private var counter = 0

    /// A fresh value name starting with `base`.
    mutating func fresh(_ base: String) -> String {
        counter += 1
        return "\(base)_\(counter)"
    }

    mutating func constant(_ tensor: ONNX.Tensor) -> String {
        var t = tensor
        t.name = fresh(tensor.name)
        initializers.append(t)
        return t.name
    }

    mutating func doubles(_ base: String, _ values: [Double], dims: [Int]? = nil) -> String {
        constant(.doubles(base, values, dims: dims))
    }

    mutating func ints(_ base: String, _ values: [Int], dims: [Int]? = nil) -> String {
        constant(.int64s(base, values, dims: dims))
    }

    /// Appends a node and returns its output names (`outputs` of them, or the names given).
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], domain: String = "", attributes: [ONNX.Attribute] = [],
                       outputs: Int = 1, named: [String]? = nil) -> [String] {
        let outs = named ?? (0..<outputs).map { _ in fresh(op.lowercased()) }
        nodes.append(ONNX.Node(opType: op, domain: domain, name: fresh("node_\(op)"), inputs: inputs, outputs: outs, attributes: attributes))
        return outs
    }

    /// A node with one output.
    mutating func op(_ op: String, _ inputs: String..., domain: String = "", attributes: [ONNX.Attribute] = [], named: String? = nil) -> String {
        node(op, inputs, domain: domain, attributes: attributes, named: named.map { [$0] })[0]
    }

    /// `x` cast to double.
    mutating func toDouble(_ x: String) -> String { op("Cast", x, attributes: [.init(name: "to", value: .int(ONNX.DataType.double.rawValue))]) }

    mutating func toFloat(_ x: String) -> String { op("Cast", x, attributes: [.init(name: "to", value: .int(ONNX.DataType.float.rawValue))]) }

    /// `x` reshaped to `shape` (-1 for the batch).
    mutating func reshape(_ x: String, _ shape: [Int]) -> String { op("Reshape", x, ints("shape", shape)) }

    mutating func unsqueeze(_ x: String, axes: [Int]) -> String { op("Unsqueeze", x, ints("axes", axes)) }

    /// ReduceSum over `axes` (opset 13 takes the axes as an input).
    mutating func reduceSum(_ x: String, axes: [Int], keepDims: Bool) -> String {
        op("ReduceSum", x, ints("axes", axes), attributes: [.init(name: "keepdims", value: .int(keepDims ? 1 : 0))])
    }

    /// Replaces the graph's `label` output with a binary classifier's cut: the second class where its probability
    /// is at least `threshold`, as `FittedPipeline.classify` decides (the estimator's own label, the most probable
    /// class, stays in the graph under another name, unused). Compares the double probabilities the
    /// `probabilities` output is cast from, so the cut matches Petal's arithmetic.
    /// - Throws: when the graph has no `label` and `probabilities` outputs.
    mutating func thresholdLabel(_ threshold: Double, classes: [String]) throws {
        guard classes.count == 2, let p = nodes.firstIndex(where: { $0.outputs == ["probabilities"] }),
              let l = nodes.firstIndex(where: { $0.outputs.contains("label") }) else {
            throw PetalError("the decision threshold needs a classifier of two classes with label and probabilities outputs")
        }
        let source = nodes[p].opType == "Cast" ? nodes[p].inputs[0] : "probabilities"
        let replaced = fresh("label_most_probable")
        nodes[l].outputs = nodes[l].outputs.map { $0 == "label" ? replaced : $0 }
        let positive = op("Gather", toDouble(source), ints("positive_class", [1], dims: []), attributes: [.init(name: "axis", value: .int(1))])
        let cut = op("GreaterOrEqual", positive, doubles("threshold", [threshold], dims: []))
        let code = op("Cast", cut, attributes: [.init(name: "to", value: .int(ONNX.DataType.int64.rawValue))])
        node("Gather", [constant(.strings("classes", classes)), code], attributes: [.init(name: "axis", value: .int(0))], named: ["label"])
    }
}
