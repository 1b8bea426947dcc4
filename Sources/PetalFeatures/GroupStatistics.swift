import PetalData

/// Statistics of a feature group's current rows (the latest row of each key), computed when rows are inserted so
/// that `describe GROUP` reads them instead of scanning the group.
public struct GroupStatistics: Codable, Hashable, Sendable {
    /// One column's summary as stored (`ColumnSummary` with its most frequent value as text).
    public struct Summary: Codable, Hashable, Sendable {
        public var name: String
        public var type: ColumnType
        public var count: Int
        public var nullCount: Int
        public var mean, std, min, q25, median, q75, max: Double?
        public var unique: Int?
        public var top: String?
        public var freq: Int?
    }
    /// Keys in the group (current rows).
    public var keys: Int
    /// Stored rows, history included.
    public var historyRows: Int
    /// When the last insert happened (seconds since 1970).
    public var updated: Double
    public var columns: [Summary]

    /// Summarises `current` (one row per key) with PetalData's `Describe`.
    public init(current: Frame, historyRows: Int, updated: Double) {
        keys = current.rowCount
        self.historyRows = historyRows
        self.updated = updated
        columns = Describe.compute(current).map { s in
            Summary(name: s.name, type: s.type, count: s.count, nullCount: s.nullCount, mean: s.mean.flatMap(Self.finite),
                    std: s.std.flatMap(Self.finite), min: s.min.flatMap(Self.finite), q25: s.q25.flatMap(Self.finite),
                    median: s.median.flatMap(Self.finite), q75: s.q75.flatMap(Self.finite), max: s.max.flatMap(Self.finite),
                    unique: s.unique, top: s.top.map(\.plainText), freq: s.freq)
        }
    }

    /// JSON cannot hold NaN or infinity.
    private static func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }

    /// The summaries as `describe` shows them.
    public var summaries: [ColumnSummary] {
        columns.map { c in
            var s = ColumnSummary(name: c.name, type: c.type, count: c.count, nullCount: c.nullCount)
            s.mean = c.mean; s.std = c.std; s.min = c.min; s.q25 = c.q25; s.median = c.median; s.q75 = c.q75; s.max = c.max
            s.unique = c.unique; s.top = c.top.map { .text($0) }; s.freq = c.freq
            return s
        }
    }
}
