import Foundation
import PetalData

/// A tree in `model.json` (model format 2): flat arrays of numbers, one entry per node — `feature` (-1 at a leaf),
/// `threshold`, `right` — then `leaf_value`, the leaves' values in node order, `width` numbers per leaf (class
/// proportions or a mean), and `importance` per feature. `left` is left out when every split's left child is the
/// next node (as Petal's builders lay trees out, depth first) and every leaf's is -1; it is written otherwise.
/// Inner nodes carry no value: nothing reads one (`TreeModel.value`), and a full-depth forest's inner values were
/// half its file. Trees whose leaves differ in width are written in the oldest shape below.
///
/// Older shapes still load, their inner nodes' values dropped: model format 1 wrote `value` flat for every node with
/// `width` and always `left`; Petal 0.6.0 wrote `value` as an array per node and no `width`.
extension TreeModel {
    private enum TreeKeys: String, CodingKey { case feature, threshold, left, right, value, leafValue = "leaf_value", width, importance }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: TreeKeys.self)
        self.init()
        feature = try c.decode([Int].self, forKey: .feature)
        threshold = try c.decode([Double].self, forKey: .threshold)
        right = try c.decode([Int].self, forKey: .right)
        importance = try c.decode([Double].self, forKey: .importance)
        let n = feature.count
        if let flat = try c.decodeIfPresent([Double].self, forKey: .leafValue) {
            let width = try c.decode(Int.self, forKey: .width)
            let leaves = feature.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
            guard width >= 1, flat.count == width * leaves else {
                throw corrupt(decoder, "a tree's leaf_value holds \(flat.count) numbers, not width \(width) × \(leaves) leaves")
            }
            left = try c.decodeIfPresent([Int].self, forKey: .left) ?? Self.implicitLeft(feature)
            value = [[Double]](repeating: [], count: n)
            var at = 0
            for i in 0..<n where feature[i] < 0 { value[i] = Array(flat[at..<(at + width)]); at += width }
            return
        }
        left = try c.decode([Int].self, forKey: .left)
        if let width = try c.decodeIfPresent(Int.self, forKey: .width) {   // format 1: every node's values, flat
            let flat = try c.decode([Double].self, forKey: .value)
            guard width >= 1, flat.count == width * n else {
                throw corrupt(decoder, "a tree's value holds \(flat.count) numbers, not width \(width) × \(n) nodes")
            }
            value = (0..<n).map { feature[$0] < 0 ? Array(flat[($0 * width)..<($0 * width + width)]) : [] }
        } else {                                                              // Petal 0.6.0: an array per node
            value = try c.decode([[Double]].self, forKey: .value)
            for i in value.indices where i < n && feature[i] >= 0 { value[i] = [] }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: TreeKeys.self)
        try c.encode(feature, forKey: .feature)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(right, forKey: .right)
        try c.encode(importance, forKey: .importance)
        guard let width = leafWidth else {
            try c.encode(left, forKey: .left)
            try c.encode(value, forKey: .value)
            return
        }
        if !hasImplicitLeft { try c.encode(left, forKey: .left) }
        var flat: [Double] = []
        flat.reserveCapacity(width * value.count / 2 + width)
        for (i, v) in value.enumerated() where feature[i] < 0 { flat.append(contentsOf: v) }
        try c.encode(width, forKey: .width)
        try c.encode(flat, forKey: .leafValue)
    }

    /// The number of values every leaf holds, when all hold as many (always, for the trees Petal grows) and the
    /// node arrays agree in length; nil otherwise (the tree is written in the per-node shape).
    var leafWidth: Int? {
        guard value.count == feature.count else { return nil }
        var width: Int?
        for (i, f) in feature.enumerated() where f < 0 {
            let w = value[i].count
            if let width, width != w { return nil }
            width = w
        }
        guard let width, width >= 1 else { return nil }
        return width
    }

    /// True when every split's left child is the node after it and every leaf's `left` is -1 (`left` need not be written).
    var hasImplicitLeft: Bool {
        guard left.count == feature.count else { return false }
        for (i, f) in feature.enumerated() where left[i] != (f < 0 ? -1 : i + 1) { return false }
        return true
    }

    /// `left` for a tree written without it: the next node at a split, -1 at a leaf.
    static func implicitLeft(_ feature: [Int]) -> [Int] { feature.indices.map { feature[$0] < 0 ? -1 : $0 + 1 } }
}
