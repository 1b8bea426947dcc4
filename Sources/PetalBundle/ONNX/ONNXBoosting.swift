import Foundation
import PetalData
import PetalML

// ONNX conversions of extra trees and AdaBoost: one TreeEnsembleRegressor each, then standard ops.

extension ExtraTrees.Fitted: ONNXEstimator {
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        averagedGraph(x, classes: classes, &g)
    }
}

extension AdaBoost.Classifier: ONNXEstimator {
    /// The weighted votes (already scaled as scikit-learn scales them) summed by one ensemble, then a softmax.
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let votes = g.toDouble(ONNXTrees.ensemble(scaledVoteTrees.map { [$0] }, x, targets: classCount, weight: 1, base: nil, &g))
        return ONNXSteps.classify(g.op("Softmax", votes, attributes: [.init(name: "axis", value: .int(1))]), classes, &g)
    }
}

extension AdaBoost.Regressor: ONNXEstimator {
    /// The weighted median: every tree's prediction [N, M] (one ensemble target per tree), sorted ascending
    /// (TopK), the estimator weights in that order summed (CumSum), and the first prediction whose running
    /// weight reaches half the total.
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let m = trees.count
        let all = g.toDouble(ONNXTrees.ensemble([trees], x, targets: m, weight: 1, base: nil, &g))
        let sorted = g.node("TopK", [all, g.ints("m", [m])], attributes: [
            .init(name: "axis", value: .int(1)), .init(name: "largest", value: .int(0)), .init(name: "sorted", value: .int(1)),
        ], outputs: 2)
        let weights = g.op("Gather", g.doubles("estimator_weights", estimatorWeights), sorted[1], attributes: [.init(name: "axis", value: .int(0))])
        let running = g.op("CumSum", weights, g.ints("axis", [1], dims: []))
        let reached = g.op("GreaterOrEqual", running, g.doubles("half", [0.5 * estimatorWeights.reduce(0, +)], dims: []))
        let first = g.op("ArgMax", g.toDouble(reached), attributes: [.init(name: "axis", value: .int(1)), .init(name: "keepdims", value: .int(1))])
        let median = g.op("GatherElements", sorted[0], first, attributes: [.init(name: "axis", value: .int(1))])
        return ONNXSteps.value(median, &g)
    }
}

extension HistGradientBoosting.Fitted: ONNXEstimator {
    /// One ensemble of every round's trees (leaf values already shrunk) over the baseline, with each split's
    /// missing-value side (`nodes_missing_value_tracks_true`); then the logistic, a softmax, or the value.
    func onnx(_ x: String, width: Int, classes: [String], name: String, _ g: inout GraphBuilder) throws -> [GraphOutput] {
        let scores = g.toDouble(ONNXTrees.ensemble(rounds, x, targets: baseline.count, weight: 1, base: baseline, missingLeft: missingLeft, &g))
        if classCount == 0 { return ONNXSteps.value(scores, &g) }
        if classCount == 2 { return ONNXSteps.classify(ONNXSteps.binary(g.op("Sigmoid", scores), &g), classes, &g) }
        return ONNXSteps.classify(g.op("Softmax", scores, attributes: [.init(name: "axis", value: .int(1))]), classes, &g)
    }
}
