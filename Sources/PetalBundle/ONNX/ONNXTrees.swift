import Foundation
import PetalML

/// Trees as one `ai.onnx.ml.TreeEnsembleRegressor` (opset 3) with double thresholds and leaf weights
/// (`*_as_tensor`), so splits compare exactly as Petal's do. Classification trees use one target per class
/// (the class shares), which avoids TreeEnsembleClassifier's binary special case; labels come from ArgMax.
enum ONNXTrees {
    /// Scores [N, targets] (float) = base + Σ weight × leaf value. `groups[r][t]` is the tree for target t in
    /// group r (a boosting round), or a single tree per group writing every class share (forests: targets = classes).
    /// `missingLeft[r][t][node]` (histogram boosting): the side a NaN takes at each split, else NaN compares false and goes right.
    static func ensemble(_ groups: [[TreeModel]], _ x: String, targets: Int, weight: Double, base: [Double]?, missingLeft: [[[Bool]]]? = nil,
                         _ g: inout GraphBuilder) -> String {
        var treeIDs: [Int64] = [], nodeIDs: [Int64] = [], features: [Int64] = [], modes: [String] = []
        var thresholds: [Double] = [], trueIDs: [Int64] = [], falseIDs: [Int64] = []
        var tTree: [Int64] = [], tNode: [Int64] = [], tID: [Int64] = [], tWeight: [Double] = []
        var tree: Int64 = 0
        var tracks: [Int64] = []
        for (r, group) in groups.enumerated() {
            for (slot, t) in group.enumerated() {
                for node in t.feature.indices {
                    tracks.append(missingLeft?[safe: r]?[safe: slot]?[safe: node] == true && t.feature[node] >= 0 ? 1 : 0)
                    treeIDs.append(tree); nodeIDs.append(Int64(node))
                    if t.feature[node] >= 0 {
                        features.append(Int64(t.feature[node])); modes.append("BRANCH_LEQ"); thresholds.append(t.threshold[node])
                        trueIDs.append(Int64(t.left[node])); falseIDs.append(Int64(t.right[node]))
                    } else {
                        features.append(0); modes.append("LEAF"); thresholds.append(0); trueIDs.append(0); falseIDs.append(0)
                        if group.count == 1 && targets > 1 {
                            for (c, v) in t.value[node].prefix(targets).enumerated() {
                                tTree.append(tree); tNode.append(Int64(node)); tID.append(Int64(c)); tWeight.append(weight * v)
                            }
                        } else {
                            tTree.append(tree); tNode.append(Int64(node)); tID.append(Int64(slot)); tWeight.append(weight * (t.value[node].first ?? 0))
                        }
                    }
                }
                tree += 1
            }
        }
        var attributes: [ONNX.Attribute] = [
            .init(name: "aggregate_function", value: .string("SUM")),
            .init(name: "n_targets", value: .int(Int64(targets))),
            .init(name: "nodes_treeids", value: .ints(treeIDs)), .init(name: "nodes_nodeids", value: .ints(nodeIDs)),
            .init(name: "nodes_featureids", value: .ints(features)), .init(name: "nodes_modes", value: .strings(modes)),
            .init(name: "nodes_values_as_tensor", value: .tensor(.doubles("", thresholds))),
            .init(name: "nodes_truenodeids", value: .ints(trueIDs)), .init(name: "nodes_falsenodeids", value: .ints(falseIDs)),
            .init(name: "post_transform", value: .string("NONE")),
            .init(name: "target_treeids", value: .ints(tTree)), .init(name: "target_nodeids", value: .ints(tNode)),
            .init(name: "target_ids", value: .ints(tID)),
            .init(name: "target_weights_as_tensor", value: .tensor(.doubles("", tWeight))),
        ]
        if missingLeft != nil { attributes.append(.init(name: "nodes_missing_value_tracks_true", value: .ints(tracks))) }
        if let base { attributes.append(.init(name: "base_values_as_tensor", value: .tensor(.doubles("", base)))) }
        return g.op("TreeEnsembleRegressor", x, domain: "ai.onnx.ml", attributes: attributes)
    }
}
