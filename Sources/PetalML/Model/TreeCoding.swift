import Foundation
import PetalData

/// A tree in `model.json`: flat arrays of numbers, one entry per node — `feature` (-1 at a leaf), `threshold`,
/// `left`, `right` — and the nodes' values as one array, `width` numbers per node (class proportions or a mean),
/// then `importance` per feature. Files written before this shape hold `value` as an array per node and no
/// `width`; they still load.
extension TreeModel {
    private enum TreeKeys: String, CodingKey { case feature, threshold, left, right, value, width, importance }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: TreeKeys.self)
        self.init()
        feature = try c.decode([Int].self, forKey: .feature)
        threshold = try c.decode([Double].self, forKey: .threshold)
        left = try c.decode([Int].self, forKey: .left)
        right = try c.decode([Int].self, forKey: .right)
        importance = try c.decode([Double].self, forKey: .importance)
        guard let width = try c.decodeIfPresent(Int.self, forKey: .width) else {
            value = try c.decode([[Double]].self, forKey: .value)   // the older shape: an array per node
            return
        }
        let flat = try c.decode([Double].self, forKey: .value)
        guard width >= 1, flat.count == width * feature.count else {
            throw corrupt(decoder, "a tree's value holds \(flat.count) numbers, not width \(width) × \(feature.count) nodes")
        }
        value = (0..<feature.count).map { Array(flat[($0 * width)..<($0 * width + width)]) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: TreeKeys.self)
        try c.encode(feature, forKey: .feature)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(left, forKey: .left)
        try c.encode(right, forKey: .right)
        try c.encode(importance, forKey: .importance)
        // Flat when every node holds as many values (always, for the trees Petal grows); else an array per node.
        if let width = value.first?.count, width >= 1, value.allSatisfy({ $0.count == width }) {
            var flat: [Double] = []
            flat.reserveCapacity(width * value.count)
            for v in value { flat.append(contentsOf: v) }
            try c.encode(width, forKey: .width)
            try c.encode(flat, forKey: .value)
        } else {
            try c.encode(value, forKey: .value)
        }
    }
}
