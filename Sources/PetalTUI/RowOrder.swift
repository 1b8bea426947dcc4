import PetalData

/// Sort orders for the table view, computed on typed storage (no per-cell values), stable, nulls last.
enum RowOrder {
    /// Row indices of `column` in ascending or descending order; nulls (and NaN) always last.
    static func permutation(_ column: Column, ascending: Bool) -> [Int] {
        let n = column.count
        var valid: [Int] = []
        var nulls: [Int] = []
        valid.reserveCapacity(n)
        switch column.storage {
        case .float(let v):
            // Sorting (key, row) pairs in place is several times faster than sorting indices through the column.
            var pairs: [(Double, Int)] = []
            pairs.reserveCapacity(n)
            for i in 0..<n { if column.isValid(i) && !v[i].isNaN { pairs.append((ascending ? v[i] : -v[i], i)) } else { nulls.append(i) } }
            pairs.sort { $0 < $1 }
            valid = pairs.map(\.1)
        case .int(let v), .datetime(let v, _):
            var pairs: [(Int64, Int)] = []
            pairs.reserveCapacity(n)
            for i in 0..<n where column.isValid(i) { pairs.append((ascending ? v[i] : (v[i] == .min ? .max : -v[i]), i)) }
            for i in 0..<n where !column.isValid(i) { nulls.append(i) }
            pairs.sort { $0 < $1 }
            valid = pairs.map(\.1)
        case .bool(let v):
            for i in 0..<n { if column.isValid(i) { valid.append(i) } else { nulls.append(i) } }
            let k = v.map { $0 ? 1 : 0 }
            valid.sort { ascending ? (k[$0], $0) < (k[$1], $1) : (k[$0] > k[$1] || (k[$0] == k[$1] && $0 < $1)) }
        case .text(let codes, _):
            // Rank the dictionary once (`Column.textRanks`), then sort codes by rank.
            let rank = column.textRanks() ?? []
            for i in 0..<n {
                if column.isValid(i), Int(codes[i]) < rank.count, codes[i] >= 0 { valid.append(i) } else { nulls.append(i) }
            }
            valid.sort {
                let a = rank[Int(codes[$0])], b = rank[Int(codes[$1])]
                return ascending ? (a, $0) < (b, $1) : (a > b || (a == b && $0 < $1))
            }
        }
        return valid + nulls
    }
}
