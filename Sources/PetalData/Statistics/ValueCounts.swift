/// How often each distinct value occurs in a column, most frequent first (ties in order of first appearance),
/// nulls left out — pandas' `value_counts()`.
public struct ValueCounts: Sendable, Hashable {
    public var values: [Value]
    public var counts: [Int]
    /// Non-null values counted (the denominator of the percentages).
    public var total: Int
    public var nullCount: Int
    public var distinct: Int { values.count }
}

extension ValueCounts {
    public static func compute(_ column: Column) -> ValueCounts {
        var firstSeen: [Int] = []
        var counts: [Int] = []
        var values: [Value] = []
        switch column.storage {
        case .text(let codes, let dictionary):
            var byCode = [Int](repeating: 0, count: dictionary.count)
            var first = [Int](repeating: -1, count: dictionary.count)
            for i in codes.indices where column.isValid(i) {
                let c = Int(codes[i])
                if first[c] < 0 { first[c] = i }
                byCode[c] += 1
            }
            for c in dictionary.indices where byCode[c] > 0 {
                values.append(.text(dictionary[c])); counts.append(byCode[c]); firstSeen.append(first[c])
            }
        default:
            var index: [Value: Int] = [:]
            for i in 0..<column.count {
                let v = column[i]
                if v.isNull { continue }
                if let k = index[v] { counts[k] += 1 } else {
                    index[v] = values.count; values.append(v); counts.append(1); firstSeen.append(i)
                }
            }
        }
        let order = values.indices.sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : firstSeen[$0] < firstSeen[$1] }
        let total = counts.reduce(0, +)
        return ValueCounts(values: order.map { values[$0] }, counts: order.map { counts[$0] }, total: total,
                           nullCount: column.count - total)
    }
}
