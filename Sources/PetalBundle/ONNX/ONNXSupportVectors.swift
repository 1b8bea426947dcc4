import Foundation
import PetalData
import PetalML

// Support vector machines as standard ONNX ops in double, mirroring Petal's arithmetic step for step (rather
// than ai.onnx.ml's SVMClassifier, whose attributes are float and whose label follows the probabilities):
// the kernel matrix against the support vectors, one-vs-one decision values, the votes (label), and Platt's
// pairwise probabilities coupled by libsvm's iteration, unrolled with a per-row "converged" mask.

extension SVM.Classifier: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let k = labels.count, pairs = k * (k - 1) / 2, n = supportVectors.rows
        let kv = ONNXSupportVectors.kernel(kernel, supportVectors, x, &g)
        // Each pair's weights over all support vectors: libsvm's sv_coef rows j−1 (class i's) and i (class j's).
        var starts = [0]
        for c in supportCounts.dropLast() { starts.append(starts[starts.count - 1] + c) }
        var w = [Double](repeating: 0, count: n * pairs), first = [Double](repeating: 0, count: pairs * k), second = first
        var pair = 0
        for i in 0..<k {
            for j in (i + 1)..<k {
                for s in starts[i]..<(starts[i] + supportCounts[i]) { w[s * pairs + pair] = coefficients[j - 1][s] }
                for s in starts[j]..<(starts[j] + supportCounts[j]) { w[s * pairs + pair] = coefficients[i][s] }
                first[pair * k + i] = 1; second[pair * k + j] = 1
                pair += 1
            }
        }
        let decision = g.op("Sub", g.op("MatMul", kv, g.doubles("sv_coef", w, dims: [n, pairs])), g.doubles("rho", rho))
        // Votes: the pair's first class where the decision value is positive, else its second; ties → first.
        let positive = g.toDouble(g.op("Greater", decision, g.doubles("zero", [0], dims: [])))
        let negative = g.op("Sub", g.doubles("one", [1], dims: []), positive)
        let votes = g.op("Add", g.op("MatMul", positive, g.doubles("first_class", first, dims: [pairs, k])),
                         g.op("MatMul", negative, g.doubles("second_class", second, dims: [pairs, k])))
        let winner = g.op("ArgMax", votes, attributes: [.init(name: "axis", value: .int(1)), .init(name: "keepdims", value: .int(0))])
        let names = g.constant(.strings("classes", labels.map { classes[$0] }))
        g.node("Gather", [names, winner], attributes: [.init(name: "axis", value: .int(0))], named: ["label"])

        // Pairwise probabilities r_ij = clip(sigmoid(−(A·f + B)), 1e-7, 1 − 1e-7).
        let fApB = g.op("Add", g.op("Mul", decision, g.doubles("prob_a", probA)), g.doubles("prob_b", probB))
        let r = g.op("Clip", g.op("Sigmoid", g.op("Neg", fApB)), g.doubles("min_p", [1e-7], dims: []), g.doubles("max_p", [1 - 1e-7], dims: []))
        let p = k == 2 ? g.node("Concat", [r, g.op("Sub", g.doubles("one", [1], dims: []), r)], attributes: [.init(name: "axis", value: .int(1))])[0]
                       : ONNXSupportVectors.couple(r, k: k, pairs: pairs, &g)
        // Columns for every class of the schema (0 for a class the model never saw).
        var place = [Double](repeating: 0, count: k * classCount)
        for (i, code) in labels.enumerated() { place[i * classCount + code] = 1 }
        let full = g.op("MatMul", p, g.doubles("placement", place, dims: [k, classCount]))
        g.node("Cast", [full], attributes: [.init(name: "to", value: .int(ONNX.DataType.float.rawValue))], named: ["probabilities"])
        return [GraphOutput(name: "label", type: .string, dims: [nil]), GraphOutput(name: "probabilities", type: .float, dims: [nil, classes.count])]
    }
}

extension SVM.Regressor: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let kv = ONNXSupportVectors.kernel(kernel, supportVectors, x, &g)
        let v = g.op("Sub", g.op("MatMul", kv, g.doubles("dual_coef", coefficients, dims: [coefficients.count, 1])), g.doubles("rho", [rho]))
        return ONNXSteps.value(v, &g)
    }
}

enum ONNXSupportVectors {
    /// K(x, support vectors) [N, nSV]: rbf from per-feature squared differences (as Petal sums them), the others
    /// from the dot product.
    static func kernel(_ kernel: SVMKernel, _ sv: Matrix, _ x: String, _ g: inout GraphBuilder) -> String {
        let vectors = g.doubles("support_vectors", sv.values, dims: [sv.rows, sv.columns])
        let gamma = g.doubles("gamma", [kernel.gamma], dims: [])
        if kernel.kind == "rbf" {
            let d = g.op("Sub", g.unsqueeze(x, axes: [1]), vectors)
            return g.op("Exp", g.op("Neg", g.op("Mul", gamma, g.reduceSum(g.op("Mul", d, d), axes: [2], keepDims: false))))
        }
        let dot = g.op("MatMul", x, g.op("Transpose", vectors, attributes: [.init(name: "perm", value: .ints([1, 0]))]))
        switch kernel.kind {
        case "linear": return dot
        case "poly":
            let base = g.op("Add", g.op("Mul", gamma, dot), g.doubles("coef0", [kernel.coef0], dims: []))
            return g.op("Pow", base, g.doubles("degree", [Double(kernel.degree)], dims: []))
        default:
            return g.op("Tanh", g.op("Add", g.op("Mul", gamma, dot), g.doubles("coef0", [kernel.coef0], dims: [])))
        }
    }

    /// libsvm's `multiclass_probability` on pairwise probabilities r [N, pairs]: max(100, k) sweeps unrolled;
    /// a row whose error is below 0.005/k stops changing, as the loop's `break`.
    static func couple(_ r: String, k: Int, pairs: Int, _ g: inout GraphBuilder) -> String {
        // R[n][i][j] = r_ij (diagonal 0) from the pair columns, by 0/1 matrices (exact).
        var upper = [Double](repeating: 0, count: pairs * k * k), lower = upper
        var pair = 0
        for i in 0..<k { for j in (i + 1)..<k { upper[pair * k * k + i * k + j] = 1; lower[pair * k * k + j * k + i] = 1; pair += 1 } }
        let one = g.doubles("one", [1], dims: [])
        let flat = g.op("Add", g.op("MatMul", r, g.doubles("upper", upper, dims: [pairs, k * k])),
                        g.op("MatMul", g.op("Sub", one, r), g.doubles("lower", lower, dims: [pairs, k * k])))
        let rr = g.reshape(flat, [-1, k, k])
        // Q[t][t] = Σ_j r_jt², Q[t][j] = −r_jt r_tj.
        let diagonal = g.reduceSum(g.op("Mul", rr, rr), axes: [1], keepDims: false)
        let identity = g.doubles("identity", (0..<(k * k)).map { $0 / k == $0 % k ? 1 : 0 }, dims: [k, k])
        let cross = g.op("Neg", g.op("Mul", g.op("Transpose", rr, attributes: [.init(name: "perm", value: .ints([0, 2, 1]))]), rr))
        let q = g.op("Add", cross, g.op("Mul", g.unsqueeze(diagonal, axes: [2]), identity))
        var p = g.op("Mul", g.op("ReduceMean", rr, attributes: [.init(name: "axes", value: .ints([2])), .init(name: "keepdims", value: .int(0))]),
                     g.doubles("zero", [0], dims: []))
        p = g.op("Add", p, g.doubles("uniform", [1 / Double(k)], dims: []))
        var done = g.op("Less", g.doubles("zero", [0], dims: []), g.doubles("zero", [0], dims: []))   // false
        let eps = g.doubles("eps", [0.005 / Double(k)], dims: [])
        let two = g.doubles("two", [2], dims: [])
        let columns = (0..<k).map { t in g.doubles("unit", (0..<k).map { $0 == t ? 1 : 0 }, dims: [k]) }
        let zero = g.doubles("zero", [0], dims: [])
        let index = (0..<k).map { t in (g.ints("t", [t], dims: []), g.ints("t", [t], dims: [1])) }
        let axis1: [ONNX.Attribute] = [.init(name: "axis", value: .int(1))]
        for _ in 0..<max(100, k) {
            var qp = g.reduceSum(g.op("Mul", q, g.unsqueeze(p, axes: [1])), axes: [2], keepDims: false)
            var pqp = g.reduceSum(g.op("Mul", p, qp), axes: [1], keepDims: true)
            let error = g.op("ReduceMax", g.op("Abs", g.op("Sub", qp, pqp)), attributes: [.init(name: "axes", value: .ints([1])), .init(name: "keepdims", value: .int(1))])
            done = g.op("Or", done, g.op("Less", error, eps))
            for t in 0..<k {
                let qt = g.op("Gather", q, index[t].0, attributes: axis1)          // row t of Q: [N, k]
                let qtt = g.op("Gather", qt, index[t].1, attributes: axis1)        // Q[t][t]: [N, 1]
                let qpt = g.op("Gather", qp, index[t].1, attributes: axis1)        // Qp[t]: [N, 1]
                let diff = g.op("Where", done, zero, g.op("Div", g.op("Add", g.op("Neg", qpt), pqp), qtt))
                p = g.op("Add", p, g.op("Mul", diff, columns[t]))
                let onePlus = g.op("Add", one, diff)
                pqp = g.op("Div", g.op("Div", g.op("Add", pqp, g.op("Mul", diff, g.op("Add", g.op("Mul", diff, qtt), g.op("Mul", two, qpt)))), onePlus), onePlus)
                qp = g.op("Div", g.op("Add", qp, g.op("Mul", diff, qt)), onePlus)
                p = g.op("Div", p, onePlus)
            }
        }
        return p
    }
}
