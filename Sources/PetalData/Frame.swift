/// A table: an ordered list of equally long named columns. Frames are values; operations return new frames.
public struct Frame: Sendable {
    public private(set) var columns: [Column]
    public let rowCount: Int

    /// Creates a frame; throws when the columns differ in length or repeat a name.
    public init(columns: [Column]) throws {
        let count = columns.first?.count ?? 0
        var seen = Set<String>()
        for c in columns {
            guard c.count == count else {
                throw PetalError("column \"\(c.name)\" has \(c.count) rows but the others have \(count)")
            }
            guard seen.insert(c.name).inserted else {
                throw PetalError("column name \"\(c.name)\" appears twice", hint: "rename one of them")
            }
        }
        self.columns = columns
        self.rowCount = count
    }

    /// An empty frame with no columns.
    public static let empty = Frame(checked: [], rowCount: 0)

    /// Wraps columns already known to agree in length and to have unique names.
    init(checked columns: [Column], rowCount: Int) {
        self.columns = columns
        self.rowCount = rowCount
    }

    public var columnNames: [String] { columns.map(\.name) }

    /// The column named `name`, or nil.
    public func column(named name: String) -> Column? { columns.first { $0.name == name } }

    /// The column named `name`, or an error that lists the columns there are.
    public func requireColumn(_ name: String, dataset: String? = nil) throws -> Column {
        if let c = column(named: name) { return c }
        let owner = dataset.map { " in \($0)" } ?? ""
        let close = columnNames.filter { $0.lowercased() == name.lowercased() }
            + columnNames.filter { Levenshtein.distance($0, name) <= 2 }
        let hint = close.first.map { "did you mean \($0)?" }
            ?? "columns are: " + columnNames.joined(separator: ", ")
        throw PetalError("no column \"\(name)\"\(owner)", hint: hint)
    }

    // MARK: - Column operations

    /// A frame with only `names`, in that order.
    public func selecting(_ names: [String]) throws -> Frame {
        try Frame(columns: names.map { try requireColumn($0) })
    }

    /// A frame without `names`.
    public func dropping(_ names: [String]) throws -> Frame {
        for n in names { _ = try requireColumn(n) }
        return try Frame(columns: columns.filter { !names.contains($0.name) })
    }

    /// A frame with `column` appended (or replacing the column of the same name).
    public func appending(_ column: Column) throws -> Frame {
        guard column.count == rowCount || columns.isEmpty else {
            throw PetalError("new column \"\(column.name)\" has \(column.count) rows, the frame has \(rowCount)")
        }
        var cols = columns
        if let i = cols.firstIndex(where: { $0.name == column.name }) { cols[i] = column } else { cols.append(column) }
        return try Frame(columns: cols)
    }

    /// A frame whose column `old` is called `new`.
    public func renaming(_ old: String, to new: String) throws -> Frame {
        var cols = columns
        guard let i = cols.firstIndex(where: { $0.name == old }) else { _ = try requireColumn(old); return self }
        cols[i].name = new
        return try Frame(columns: cols)
    }

    // MARK: - Row operations

    /// Rows `indices`, in that order. Every index must be in `0..<rowCount`.
    public func taking(_ indices: [Int]) -> Frame {
        // Lengths agree and names are unique by construction.
        Frame(checked: columns.map { $0.taking(indices) }, rowCount: indices.count)
    }

    /// Rows `range` (within `0..<rowCount`), each column copied as one block.
    public func slice(_ range: Range<Int>) -> Frame {
        Frame(checked: columns.map { $0.slice(range) }, rowCount: range.count)
    }

    /// The first `n` rows (all when there are fewer).
    public func head(_ n: Int) -> Frame { taking(Array(0..<max(0, min(n, rowCount)))) }

    /// The last `n` rows.
    public func tail(_ n: Int) -> Frame { taking(Array(max(0, rowCount - max(0, n))..<rowCount)) }

    /// `n` rows drawn without replacement, reproducibly for a given seed, in their original order.
    public func sample(_ n: Int, seed: UInt64) -> Frame { taking(sampleIndices(n, seed: seed)) }

    /// The rows `sample` draws: `n` distinct row numbers (a partial Fisher–Yates shuffle), ascending.
    public func sampleIndices(_ n: Int, seed: UInt64) -> [Int] {
        var rng = SplitMix64(seed: seed)
        var indices = Array(0..<rowCount)
        let k = max(0, min(n, rowCount))
        for i in 0..<k {
            let j = i + Int(rng.next() % UInt64(rowCount - i))
            indices.swapAt(i, j)
        }
        return indices[0..<k].sorted()
    }

    /// Rows where `predicate(row)` is true.
    public func filter(_ predicate: (Int) throws -> Bool) rethrows -> Frame {
        var keep: [Int] = []
        for i in 0..<rowCount where try predicate(i) { keep.append(i) }
        return taking(keep)
    }

    /// Rows where `mask` is true; `mask` must have one entry per row.
    public func filter(mask: [Bool]) -> Frame {
        taking(mask.indices.filter { $0 < rowCount && mask[$0] })
    }

    /// The frame sorted by columns (stable; nulls last, as in pandas).
    public func sorted(by keys: [(name: String, ascending: Bool)]) throws -> Frame {
        let cols = try keys.map { key in
            let col = try requireColumn(key.name)
            // A text column compares its entries' ranks (the dictionary sorted once), not a String per comparison.
            let text: (ranks: [Int], codes: [Int32])? = if case .text(let codes, _) = col.storage, let ranks = col.textRanks() {
                (ranks, codes)
            } else {
                nil
            }
            return (col, key.ascending, text)
        }
        let order = Array(0..<rowCount).sorted { a, b in
            for (col, ascending, text) in cols {
                if let text {
                    let va = col.isValid(a), vb = col.isValid(b)
                    if va != vb { return va }  // nulls last in either direction
                    if !va { continue }
                    let x = text.ranks[Int(text.codes[a])], y = text.ranks[Int(text.codes[b])]
                    if x != y { return ascending ? x < y : x > y }
                    continue
                }
                let c = ValueOrder.compare(col[a], col[b])
                if c != 0 {
                    let aNull = col[a].isNull, bNull = col[b].isNull
                    if aNull != bNull { return bNull }  // nulls last in either direction
                    return ascending ? c < 0 : c > 0
                }
            }
            return a < b
        }
        return taking(order)
    }
}

/// Total order over values for sorting: numbers by value, text lexicographically, null last.
public enum ValueOrder {
    public static func compare(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return 1
        case (_, .null): return -1
        case (.text(let x), .text(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        default:
            if let x = a.doubleValue, let y = b.doubleValue { return x < y ? -1 : (x == y ? 0 : 1) }
            let x = a.plainText, y = b.plainText
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }
}

/// A small, fast, seedable generator (SplitMix64) so samples and splits are reproducible across platforms.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Edit distance between two strings, for "did you mean" hints.
public enum Levenshtein {
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        guard !x.isEmpty else { return y.count }
        guard !y.isEmpty else { return x.count }
        var prev = Array(0...y.count)
        for i in 1...x.count {
            var cur = [i] + [Int](repeating: 0, count: y.count)
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[y.count]
    }
}
