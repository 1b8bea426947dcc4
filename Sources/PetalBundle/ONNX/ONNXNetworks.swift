import Foundation
import PetalData
import PetalML

extension MLP.Fitted: ONNXEstimator {
    /// Dense layers as MatMul + Add, the hidden activation as Relu / Tanh / Sigmoid (identity: nothing), then the
    /// output: Sigmoid (two classes), Softmax, or the value.
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let sizes = layerSizes
        var a = x
        for l in 0..<(sizes.count - 1) {
            a = g.op("Add", g.op("MatMul", a, g.doubles("weights", weights[l], dims: [sizes[l], sizes[l + 1]])), g.doubles("biases", biases[l]))
            guard l < sizes.count - 2 else { break }
            switch activation {
            case .relu: a = g.op("Relu", a)
            case .tanh: a = g.op("Tanh", a)
            case .logistic: a = g.op("Sigmoid", a)
            case .identity: break
            }
        }
        if classCount == 0 { return ONNXSteps.value(a, &g) }
        if classCount == 2 { return ONNXSteps.classify(ONNXSteps.binary(g.op("Sigmoid", a), &g), classes, &g) }
        return ONNXSteps.classify(g.op("Softmax", a, attributes: [.init(name: "axis", value: .int(1))]), classes, &g)
    }
}
