import Foundation
import PetalData
import PetalML

// ONNX conversions of DBSCAN and Gaussian mixtures: `label` (int64, -1 for DBSCAN's noise) and `distances`.

extension DBSCAN.Fitted: ONNXEstimator {
    /// Squared distances to every core row [N, M]; the nearest core row's cluster where it is within eps, else -1.
    /// `distances` [N] is the squared distance to the nearest core row, as `assign` reports it.
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        try ONNXNeighbours.requireFits(core, name: name)
        guard core.rows > 0 else {
            throw PetalError("\(name) cannot be exported to ONNX: it found no core rows (every training row is noise), so there is nothing to compare new rows with",
                            hint: "use a larger eps or a smaller min_samples; the bundle can still be served by petal serve")
        }
        let all = ONNXNeighbours.distances(core, manhattan: false, x, &g)
        let nearest = g.op("ArgMin", all, attributes: [.init(name: "axis", value: .int(1)), .init(name: "keepdims", value: .int(0))])
        let closest = g.op("ReduceMin", all, attributes: [.init(name: "axes", value: .ints([1])), .init(name: "keepdims", value: .int(0))])
        let cluster = g.op("Gather", g.ints("core_labels", coreLabels), nearest, attributes: [.init(name: "axis", value: .int(0))])
        let within = g.op("LessOrEqual", closest, g.doubles("eps_squared", [eps * eps], dims: []))
        g.node("Where", [within, cluster, g.ints("noise", [-1], dims: [])], named: ["label"])
        g.node("Cast", [closest], attributes: [.init(name: "to", value: .int(ONNX.DataType.float.rawValue))], named: ["distances"])
        return [GraphOutput(name: "label", type: .int64, dims: [nil]), GraphOutput(name: "distances", type: .float, dims: [nil])]
    }
}

extension GaussianMixture.Fitted: ONNXEstimator {
    /// Per component: (x − μₖ)Pₖ as one batched MatMul [K, N, D], its squared norm (the Mahalanobis distance), and
    /// the weighted log density; `label` is the most probable component, `distances` [N, K] the squared
    /// Mahalanobis distance to each component's mean.
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let k = weights.count, d = means.columns
        let diff = g.op("Sub", g.unsqueeze(x, axes: [1]), g.doubles("means", means.values, dims: [k, d]))
        let byComponent = g.op("Transpose", diff, attributes: [.init(name: "perm", value: .ints([1, 0, 2]))])
        let y = g.op("MatMul", byComponent, g.doubles("precision_cholesky", precisionCholesky.flatMap { $0 }, dims: [k, d, d]))
        let squared = g.reduceSum(g.op("Mul", y, y), axes: [2], keepDims: false)
        let mahalanobis = g.op("Transpose", squared, attributes: [.init(name: "perm", value: .ints([1, 0]))])
        let scores = g.op("Sub", g.doubles("log_constants", logConstants), g.op("Mul", mahalanobis, g.doubles("half", [0.5], dims: [])))
        g.node("ArgMax", [scores], attributes: [.init(name: "axis", value: .int(1)), .init(name: "keepdims", value: .int(0))], named: ["label"])
        g.node("Cast", [mahalanobis], attributes: [.init(name: "to", value: .int(ONNX.DataType.float.rawValue))], named: ["distances"])
        return [GraphOutput(name: "label", type: .int64, dims: [nil]), GraphOutput(name: "distances", type: .float, dims: [nil, k])]
    }
}
