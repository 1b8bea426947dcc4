import Foundation
import PetalData
import PetalML

// ONNX conversions of the transforms, one per fitted kind.

extension SchemaEncoded: ONNXTransform {
    /// The encoding happened in the feature inputs (`ONNXExporter.features`).
    func onnx(_ x: String, width: Int, _ g: inout GraphBuilder) throws -> String { x }
}

extension SubsetTransform: ONNXTransform {
    /// Transform the picked columns, then put every column back in place with one Gather over [x | t].
    func onnx(_ x: String, width: Int, _ g: inout GraphBuilder) throws -> String {
        let sub = g.op("Gather", x, g.ints("picked", columns), attributes: [.init(name: "axis", value: .int(1))])
        let t = try ONNXSteps.transform(step, sub, width: columns.count, &g, name: step.kind)
        let both = g.node("Concat", [x, t], attributes: [.init(name: "axis", value: .int(1))])[0]
        var map = Array(0..<width)
        for (k, j) in columns.enumerated() { map[j] = width + k }
        return g.op("Gather", both, g.ints("columns", map), attributes: [.init(name: "axis", value: .int(1))])
    }
}

extension ColumnAffine: ONNXTransform {
    func onnx(_ x: String, width: Int, _ g: inout GraphBuilder) throws -> String {
        g.op("Div", g.op("Sub", x, g.doubles("shift", shift)), g.doubles("scale", scale))
    }
}

extension MinMaxScaler.Fitted: ONNXTransform {
    func onnx(_ x: String, width: Int, _ g: inout GraphBuilder) throws -> String {
        g.op("Add", g.op("Mul", x, g.doubles("scale", scale)), g.doubles("offset", offset))
    }
}

extension SimpleImputer.Fitted: ONNXTransform {
    func onnx(_ x: String, width: Int, _ g: inout GraphBuilder) throws -> String {
        g.op("Where", g.op("IsNaN", x), g.doubles("fill", fill), x)
    }
}

extension PowerTransform.Fitted: ONNXTransform {
    /// log(1+x), sqrt, or Yeo–Johnson with per-column λ then standardisation.
    func onnx(_ x: String, width: Int, _ g: inout GraphBuilder) throws -> String {
        let f = self
        let zero = g.doubles("zero", [0], dims: []), one = g.doubles("one", [1], dims: [])
        switch f.method {
        case "log": return g.op("Log", g.op("Add", g.op("Max", x, zero), one))
        case "sqrt": return g.op("Sqrt", g.op("Max", x, zero))
        default:
            let l = f.lambdas
            let zeroL = l.map { abs($0) < 1e-12 }, twoL = l.map { abs($0 - 2) < 1e-12 }
            // v ≥ 0: λ = 0 → log1p(v), else ((v+1)^λ − 1)/λ.
            let lam = g.doubles("lambda", l.enumerated().map { zeroL[$0.offset] ? 1 : $0.element })
            let vp1 = g.op("Add", x, one)
            let posPow = g.op("Div", g.op("Sub", g.op("Pow", vp1, lam), one), lam)
            let pos = g.op("Where", g.constant(ONNXSteps.bools("lambda_zero", zeroL)), g.op("Log", vp1), posPow)
            // v < 0: λ = 2 → −log1p(−v), else −((1−v)^(2−λ) − 1)/(2−λ).
            let twoMinus = g.doubles("two_minus_lambda", l.enumerated().map { twoL[$0.offset] ? 1 : 2 - $0.element })
            let omv = g.op("Sub", one, x)
            let negPow = g.op("Neg", g.op("Div", g.op("Sub", g.op("Pow", omv, twoMinus), one), twoMinus))
            let neg = g.op("Where", g.constant(ONNXSteps.bools("lambda_two", twoL)), g.op("Neg", g.op("Log", omv)), negPow)
            var out = g.op("Where", g.op("GreaterOrEqual", x, zero), pos, neg)
            if let a = f.affine { out = g.op("Div", g.op("Sub", out, g.doubles("shift", a.shift)), g.doubles("scale", a.scale)) }
            return out
        }
    }

}

extension KBins.Fitted: ONNXTransform {
    /// Bin index = how many inner edges are ≤ x, at most bins − 1 (columns without edges → 0).
    func onnx(_ x: String, width: Int, _ g: inout GraphBuilder) throws -> String {
        let f = self
        let inner = f.edges.map { $0.count >= 2 ? Array($0[1..<($0.count - 1)]) : [] }
        let m = max(1, inner.map(\.count).max() ?? 1)
        var table: [Double] = []
        for e in inner { table += e + [Double](repeating: .infinity, count: m - e.count) }
        let edges = g.doubles("inner_edges", table, dims: [width, m])
        let above = g.toDouble(g.op("GreaterOrEqual", g.unsqueeze(x, axes: [2]), edges))
        let count = g.reduceSum(above, axes: [2], keepDims: false)
        return g.op("Min", count, g.doubles("last_bin", f.edges.map { Double(max(0, $0.count - 2)) }))
    }

}

extension PCA.Fitted: ONNXTransform {
    /// (x − mean) · componentsᵀ, divided by √variance when whitened.
    func onnx(_ x: String, width: Int, _ g: inout GraphBuilder) throws -> String {
        var w: [Double] = []
        for j in 0..<width { for c in components { w.append(c[j]) } }
        let projected = g.op("MatMul", g.op("Sub", x, g.doubles("mean", mean)), g.doubles("components", w, dims: [width, components.count]))
        guard whiten else { return projected }
        return g.op("Div", projected, g.doubles("scale", explainedVariance.map { max($0, .leastNormalMagnitude).squareRoot() }))
    }
}

extension LinearDiscriminantAnalysis.Projection: ONNXTransform {
    /// (x − mean) · scalings.
    func onnx(_ x: String, width: Int, _ g: inout GraphBuilder) throws -> String {
        let k = scalings.first?.count ?? 0
        return g.op("MatMul", g.op("Sub", x, g.doubles("mean", mean)), g.doubles("scalings", scalings.flatMap { $0 }, dims: [width, k]))
    }
}
