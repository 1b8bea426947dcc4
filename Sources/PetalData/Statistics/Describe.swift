import Foundation

/// Summary statistics of one column, with pandas' definitions (sample std, linear quantiles).
public struct ColumnSummary: Sendable, Hashable {
    public var name: String
    public var type: ColumnType
    public var count: Int
    public var nullCount: Int
    // Numeric and date columns (dates in microseconds since the epoch).
    public var mean: Double?
    public var std: Double?
    public var min: Double?
    public var q25: Double?
    public var median: Double?
    public var q75: Double?
    public var max: Double?
    // Text and boolean columns.
    public var unique: Int?
    public var top: Value?
    public var freq: Int?

    /// A summary with counts only; the statistics are filled in by `Describe` (or read back from a store).
    public init(name: String, type: ColumnType, count: Int, nullCount: Int) {
        self.name = name; self.type = type; self.count = count; self.nullCount = nullCount
    }

    public var isNumeric: Bool { type.isNumeric }
    public var isTemporal: Bool { type == .date || type == .datetime }
}

/// `describe`: a summary per column.
public enum Describe {
    /// Summaries of every column of `frame`, computed in parallel across columns.
    public static func compute(_ frame: Frame) -> [ColumnSummary] {
        let columns = frame.columns
        let box = ConcurrentSlots<ColumnSummary>(columns.count)
        DispatchQueue.concurrentPerform(iterations: columns.count) { k in
            box.set(k, summarize(columns[k]))
        }
        return box.values
    }

    /// The summary of one column.
    public static func summarize(_ column: Column) -> ColumnSummary {
        let nulls = column.nullCount
        var s = ColumnSummary(name: column.name, type: column.type, count: column.count - nulls, nullCount: nulls)
        switch column.type {
        case .int, .float, .date, .datetime:
            guard var values = column.doubles(), !values.isEmpty else { return s }
            let (mean, std) = Moments.meanAndStd(values)
            s.mean = mean
            if column.type.isNumeric { s.std = std }
            let q = Quantiles.compute(&values, [0, 0.25, 0.5, 0.75, 1])
            s.min = q[0]; s.q25 = q[1]; s.median = q[2]; s.q75 = q[3]; s.max = q[4]
        case .text, .bool:
            let counts = ValueCounts.compute(column)
            s.unique = counts.distinct
            s.top = counts.values.first
            s.freq = counts.counts.first
        }
        return s
    }
}

/// `describe NAME by=COL`: numeric summaries per group, groups in sorted order as pandas' `groupby`.
public struct GroupedSummary: Sendable {
    public var by: String
    public var groups: [(key: Value, summaries: [ColumnSummary])]
}

extension GroupedSummary {
    public static func compute(_ frame: Frame, by name: String) throws -> GroupedSummary {
        let key = try frame.requireColumn(name)
        var rowsByKey: [Value: [Int]] = [:]
        for i in 0..<frame.rowCount {
            let v = key[i]
            if v.isNull { continue }  // pandas drops null keys by default
            rowsByKey[v, default: []].append(i)
        }
        let keys = rowsByKey.keys.sorted { ValueOrder.compare($0, $1) < 0 }
        let numeric = frame.columns.filter { $0.name != name && ($0.type.isNumeric) }
        var groups: [(Value, [ColumnSummary])] = []
        for k in keys {
            let rows = rowsByKey[k] ?? []
            groups.append((k, numeric.map { Describe.summarize($0.taking(rows)) }))
        }
        return GroupedSummary(by: name, groups: groups)
    }
}
