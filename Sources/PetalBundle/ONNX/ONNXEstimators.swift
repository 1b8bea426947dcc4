import Foundation
import PetalData
import PetalML

// ONNX conversions of the estimators, one per fitted kind.

extension LogisticRegression.Fitted: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        var w: [Double] = []
        for j in 0..<width { for row in coefficients { w.append(row[j]) } }
        let z = g.op("Add", g.op("MatMul", x, g.doubles("coefficients", w, dims: [width, coefficients.count])), g.doubles("intercepts", intercepts))
        if coefficients.count == 1 { return ONNXSteps.classify(ONNXSteps.binary(g.op("Sigmoid", z), &g), classes, &g) }
        return ONNXSteps.classify(g.op("Softmax", z, attributes: [.init(name: "axis", value: .int(1))]), classes, &g)
    }
}

extension GaussianNB.Fitted: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let k = prior.count
        let constants = (0..<k).map { c in log(prior[c]) - 0.5 * variance[c].reduce(0) { $0 + log(2 * Double.pi * $1) } }
        let d = g.op("Sub", g.unsqueeze(x, axes: [1]), g.doubles("theta", theta.flatMap { $0 }, dims: [k, width]))
        let scaled = g.op("Div", g.op("Mul", d, d), g.doubles("variance", variance.flatMap { $0 }, dims: [k, width]))
        let jll = g.op("Sub", g.doubles("log_prior", constants), g.op("Mul", g.reduceSum(scaled, axes: [2], keepDims: false), g.doubles("half", [0.5], dims: [])))
        return ONNXSteps.classify(g.op("Softmax", jll, attributes: [.init(name: "axis", value: .int(1))]), classes, &g)
    }
}

extension KNeighbors.Classifier: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        try ONNXNeighbours.requireFits(self.x, name: name)
        return ONNXSteps.classify(ONNXNeighbours.classifier(self, x, &g), classes, &g)
    }
}

extension KNeighbors.Regressor: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        try ONNXNeighbours.requireFits(self.x, name: name)
        return ONNXSteps.value(g.reshape(ONNXNeighbours.regressor(self, x, &g), [-1, 1]), &g)
    }
}

extension LinearPredictor {
    /// `x · coefficients + intercept` as [N, 1]: the graph of every linear regressor (their conformances below).
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let v = g.op("Add", g.op("MatMul", x, g.doubles("coefficients", coefficients, dims: [width, 1])), g.doubles("intercept", [intercept]))
        return ONNXSteps.value(v, &g)
    }
}

extension LinearRegression.Fitted: ONNXEstimator {}

extension Ridge.Fitted: ONNXEstimator {}

extension AveragedTrees {
    /// The trees' mean leaf values as one tree ensemble: class proportions or the mean target.
    func averagedGraph(_ x: String, classes: [String], _ g: inout GraphBuilder) -> [GraphOutput] {
        let scores = g.toDouble(ONNXTrees.ensemble(trees.map { [$0] }, x, targets: regression ? 1 : classCount,
                                                   weight: 1 / Double(max(1, trees.count)), base: nil, &g))
        return regression ? ONNXSteps.value(scores, &g) : ONNXSteps.classify(scores, classes, &g)
    }
}

extension DecisionTree.Fitted: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        averagedGraph(x, classes: classes, &g)
    }
}

extension RandomForest.Fitted: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        averagedGraph(x, classes: classes, &g)
    }
}

extension GradientBoosting.Fitted: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let scores = g.toDouble(ONNXTrees.ensemble(rounds, x, targets: initial.count, weight: learningRate, base: initial, &g))
        if classCount == 0 { return ONNXSteps.value(scores, &g) }
        if classCount == 2 { return ONNXSteps.classify(ONNXSteps.binary(g.op("Sigmoid", scores), &g), classes, &g) }
        return ONNXSteps.classify(g.op("Softmax", scores, attributes: [.init(name: "axis", value: .int(1))]), classes, &g)
    }
}

extension KMeans.Fitted: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let d = g.op("Sub", g.unsqueeze(x, axes: [1]), g.doubles("centres", centers.values, dims: [centers.rows, centers.columns]))
        let distances = g.reduceSum(g.op("Mul", d, d), axes: [2], keepDims: false)
        g.node("ArgMin", [distances], attributes: [.init(name: "axis", value: .int(1)), .init(name: "keepdims", value: .int(0))], named: ["label"])
        g.node("Cast", [distances], attributes: [.init(name: "to", value: .int(ONNX.DataType.float.rawValue))], named: ["distances"])
        return [GraphOutput(name: "label", type: .int64, dims: [nil]), GraphOutput(name: "distances", type: .float, dims: [nil, centers.rows])]
    }
}

extension Lasso.Fitted: ONNXEstimator {}

extension ElasticNet.Fitted: ONNXEstimator {}

extension ONNXSteps {
    /// softmax(x · weightsᵀ + bias) for `weights` [C][F]: the linear classifiers' probabilities.
    static func linearSoftmax(_ x: String, _ weights: [[Double]], _ bias: [Double], width: Int, classes: [String], _ g: inout GraphBuilder) -> [GraphOutput] {
        var w: [Double] = []
        for j in 0..<width { for row in weights { w.append(row[j]) } }
        let z = g.op("Add", g.op("MatMul", x, g.doubles("weights", w, dims: [width, weights.count])), g.doubles("bias", bias))
        return classify(g.op("Softmax", z, attributes: [.init(name: "axis", value: .int(1))]), classes, &g)
    }
}

extension MultinomialNB.Fitted: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        ONNXSteps.linearSoftmax(x, featureLogProb, classLogPrior, width: width, classes: classes, &g)
    }
}

extension BernoulliNB.Fitted: ONNXEstimator {
    /// Binarised x · (log p − log(1 − p))ᵀ + (log prior + Σ log(1 − p)).
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let input = binarize.map { g.toDouble(g.op("Greater", x, g.doubles("binarize", [$0], dims: []))) } ?? x
        let weights = zip(featureLogProb, negativeLogProb).map { zip($0, $1).map { $0 - $1 } }
        let bias = classLogPrior.enumerated().map { $0.element + negativeLogProb[$0.offset].reduce(0, +) }
        return ONNXSteps.linearSoftmax(input, weights, bias, width: width, classes: classes, &g)
    }
}

extension LinearDiscriminantAnalysis.Fitted: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        ONNXSteps.linearSoftmax(x, coefficients, intercepts, width: width, classes: classes, &g)
    }
}
