import Foundation
import PetalData
import PetalML

/// A graph output: its final name, element type and shape (nil = batch).
struct GraphOutput {
    var name: String
    var type: ONNX.DataType
    var dims: [Int?]
}

/// Each fitted transform as standard ONNX ops on a double [N, F] matrix, mirroring Petal's arithmetic.
enum ONNXSteps {
    /// The transform `step` applied to `x` ([N, width] double).
    static func transform(_ step: FittedStep, _ x: String, width: Int, _ g: inout GraphBuilder, name: String) throws -> String {
        switch step {
        case .oneHot:
            return x
        case .subset(let picked, let inner):
            // Transform the picked columns, then put every column back in place with one Gather over [x | t].
            let sub = g.op("Gather", x, g.ints("picked", picked), attributes: [.init(name: "axis", value: .int(1))])
            let t = try transform(inner, sub, width: picked.count, &g, name: name)
            let both = g.node("Concat", [x, t], attributes: [.init(name: "axis", value: .int(1))])[0]
            var map = Array(0..<width)
            for (k, j) in picked.enumerated() { map[j] = width + k }
            return g.op("Gather", both, g.ints("columns", map), attributes: [.init(name: "axis", value: .int(1))])
        case .affine(let f):
            return g.op("Div", g.op("Sub", x, g.doubles("shift", f.shift)), g.doubles("scale", f.scale))
        case .minMaxScaler(let f):
            return g.op("Add", g.op("Mul", x, g.doubles("scale", f.scale)), g.doubles("offset", f.offset))
        case .imputer(let f):
            return g.op("Where", g.op("IsNaN", x), g.doubles("fill", f.fill), x)
        case .power(let f):
            return try power(f, x, &g)
        case .bins(let f):
            return bins(f, x, width: width, &g)
        case .knn, .gaussianNB, .logisticRegression, .knnRegressor, .linear, .trees, .boosted, .kmeans:
            throw DataError("\(name) cannot be exported to ONNX as a transform")
        }
    }

    /// log(1+x), sqrt, or Yeo–Johnson with per-column λ then standardisation.
    static func power(_ f: PowerTransform.Fitted, _ x: String, _ g: inout GraphBuilder) throws -> String {
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
            let pos = g.op("Where", g.constant(bools("lambda_zero", zeroL)), g.op("Log", vp1), posPow)
            // v < 0: λ = 2 → −log1p(−v), else −((1−v)^(2−λ) − 1)/(2−λ).
            let twoMinus = g.doubles("two_minus_lambda", l.enumerated().map { twoL[$0.offset] ? 1 : 2 - $0.element })
            let omv = g.op("Sub", one, x)
            let negPow = g.op("Neg", g.op("Div", g.op("Sub", g.op("Pow", omv, twoMinus), one), twoMinus))
            let neg = g.op("Where", g.constant(bools("lambda_two", twoL)), g.op("Neg", g.op("Log", omv)), negPow)
            var out = g.op("Where", g.op("GreaterOrEqual", x, zero), pos, neg)
            if let a = f.affine { out = g.op("Div", g.op("Sub", out, g.doubles("shift", a.shift)), g.doubles("scale", a.scale)) }
            return out
        }
    }

    static func bools(_ name: String, _ values: [Bool]) -> ONNX.Tensor {
        ONNX.Tensor(name: name, dims: [Int64(values.count)], type: .bool, raw: values.map { $0 ? 1 : 0 })
    }

    /// Bin index = how many inner edges are ≤ x, at most bins − 1 (columns without edges → 0).
    static func bins(_ f: KBins.Fitted, _ x: String, width: Int, _ g: inout GraphBuilder) -> String {
        let inner = f.edges.map { $0.count >= 2 ? Array($0[1..<($0.count - 1)]) : [] }
        let m = max(1, inner.map(\.count).max() ?? 1)
        var table: [Double] = []
        for e in inner { table += e + [Double](repeating: .infinity, count: m - e.count) }
        let edges = g.doubles("inner_edges", table, dims: [width, m])
        let above = g.toDouble(g.op("GreaterOrEqual", g.unsqueeze(x, axes: [2]), edges))
        let count = g.reduceSum(above, axes: [2], keepDims: false)
        return g.op("Min", count, g.doubles("last_bin", f.edges.map { Double(max(0, $0.count - 2)) }))
    }

    /// The estimator's outputs.
    static func estimator(_ step: FittedStep, _ x: String, width: Int, classes: [String], _ g: inout GraphBuilder, name: String) throws -> [GraphOutput] {
        switch step {
        case .logisticRegression(let f):
            var w: [Double] = []
            for j in 0..<width { for row in f.coefficients { w.append(row[j]) } }
            let z = g.op("Add", g.op("MatMul", x, g.doubles("coefficients", w, dims: [width, f.coefficients.count])), g.doubles("intercepts", f.intercepts))
            if f.coefficients.count == 1 { return classify(binary(g.op("Sigmoid", z), &g), classes, &g) }
            return classify(g.op("Softmax", z, attributes: [.init(name: "axis", value: .int(1))]), classes, &g)
        case .gaussianNB(let f):
            let k = f.prior.count
            let constants = (0..<k).map { c in log(f.prior[c]) - 0.5 * f.variance[c].reduce(0) { $0 + log(2 * Double.pi * $1) } }
            let d = g.op("Sub", g.unsqueeze(x, axes: [1]), g.doubles("theta", f.theta.flatMap { $0 }, dims: [k, width]))
            let scaled = g.op("Div", g.op("Mul", d, d), g.doubles("variance", f.variance.flatMap { $0 }, dims: [k, width]))
            let jll = g.op("Sub", g.doubles("log_prior", constants), g.op("Mul", g.reduceSum(scaled, axes: [2], keepDims: false), g.doubles("half", [0.5], dims: [])))
            return classify(g.op("Softmax", jll, attributes: [.init(name: "axis", value: .int(1))]), classes, &g)
        case .knn(let f):
            try ONNXNeighbours.requireFits(f.x, name: name)
            return classify(ONNXNeighbours.classifier(f, x, &g), classes, &g)
        case .knnRegressor(let f):
            try ONNXNeighbours.requireFits(f.x, name: name)
            return [GraphOutput(name: "value", type: .double, dims: [nil, 1])].with(g.reshape(ONNXNeighbours.regressor(f, x, &g), [-1, 1]), &g)
        case .linear(let f):
            let v = g.op("Add", g.op("MatMul", x, g.doubles("coefficients", f.coefficients, dims: [width, 1])), g.doubles("intercept", [f.intercept]))
            return [GraphOutput(name: "value", type: .double, dims: [nil, 1])].with(v, &g)
        case .trees(let trees, let regression, let classCount):
            let scores = g.toDouble(ONNXTrees.ensemble(trees.map { [$0] }, x, targets: regression ? 1 : classCount,
                                                       weight: 1 / Double(max(1, trees.count)), base: nil, &g))
            if regression { return [GraphOutput(name: "value", type: .double, dims: [nil, 1])].with(scores, &g) }
            return classify(scores, classes, &g)
        case .boosted(let f):
            let scores = g.toDouble(ONNXTrees.ensemble(f.rounds, x, targets: f.initial.count, weight: f.learningRate, base: f.initial, &g))
            if f.classCount == 0 { return [GraphOutput(name: "value", type: .double, dims: [nil, 1])].with(scores, &g) }
            if f.classCount == 2 { return classify(binary(g.op("Sigmoid", scores), &g), classes, &g) }
            return classify(g.op("Softmax", scores, attributes: [.init(name: "axis", value: .int(1))]), classes, &g)
        case .kmeans(let f):
            let d = g.op("Sub", g.unsqueeze(x, axes: [1]), g.doubles("centres", f.centers.values, dims: [f.centers.rows, f.centers.columns]))
            let distances = g.reduceSum(g.op("Mul", d, d), axes: [2], keepDims: false)
            g.node("ArgMin", [distances], attributes: [.init(name: "axis", value: .int(1)), .init(name: "keepdims", value: .int(0))], named: ["label"])
            g.node("Cast", [distances], attributes: [.init(name: "to", value: .int(ONNX.DataType.float.rawValue))], named: ["distances"])
            return [GraphOutput(name: "label", type: .int64, dims: [nil]), GraphOutput(name: "distances", type: .float, dims: [nil, f.centers.rows])]
        case .subset, .minMaxScaler, .imputer, .oneHot, .affine, .power, .bins:
            throw DataError("\(name) is a transform; a pipeline must end with an estimator to be exported")
        }
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
}

extension Array where Element == GraphOutput {
    /// Names the single value `v` as this (one-element) output list's output.
    func with(_ v: String, _ g: inout GraphBuilder) -> [GraphOutput] {
        guard let first else { return self }
        g.node("Identity", [v], named: [first.name])
        return self
    }
}
