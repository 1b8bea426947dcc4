import PetalData

/// `describe NAME [by=COL]`: count, nulls, mean, std, min, quartiles, max; unique, top, freq for text.
public enum DescribeCommand: PetalCommand {
    public static let name = "describe"
    public static let aliases = ["desc", "summary"]
    public static let syntax = "describe NAME [by=COL]   or   describe NAME.COL"
    public static let summary = "summary statistics of every column (pandas' describe)"
    static let by = CommandOption("by", placeholder: "COL", help: "one summary of the numeric columns per value of COL (groups sorted)")
    public static let options = [by]
    public static let help = """
        Summary statistics with pandas' definitions: count (non-null), nulls, mean, std (sample, n-1),
        min, 25%, 50%, 75% (linear interpolation), max; for text and bool columns unique, top, freq.
        Examples:
          describe iris
          describe iris.petal_length
          describe iris by=variety
        """

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let target = try args.required(0, "a data set", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        if let by = args.text(Self.by) {
            let d = try session.dataset(target)
            return GroupedDescribeOutput(dataset: d.name, grouped: try GroupedSummary.compute(d.frame, by: by))
        }
        if let d = try? session.dataset(target) {
            return DescribeOutput(dataset: d.name, rows: d.frame.rowCount, summaries: Describe.compute(d.frame))
        }
        if let store = session.existingFeatureStore(), store.hasGroup(target) {
            // A feature group: the statistics stored on its last insert, without reading its rows.
            let g = try store.group(target)
            return DescribeOutput(dataset: "\(g.name) v\(g.version)", rows: g.statistics?.keys ?? 0, summaries: g.statistics?.summaries ?? [])
        }
        if target.contains(".") {
            let (d, column) = try session.column(target, syntax: syntax)
            return DescribeOutput(dataset: d.name, rows: d.frame.rowCount, summaries: [Describe.summarize(column)])
        }
        _ = try session.dataset(target)
        return DescribeOutput(dataset: target, rows: 0, summaries: [])
    }
}

/// The result of `describe`.
public struct DescribeOutput: CommandOutput {
    public var dataset: String
    public var rows: Int
    public var summaries: [ColumnSummary]

    public func renderText(width: Int) -> String {
        SummaryTable.render(summaries, width: width)
    }

    public func json() -> JSONValue {
        .object([("dataset", .string(dataset)), ("rows", .int(rows)), ("columns", .array(summaries.map(SummaryTable.json)))])
    }
}

/// The result of `describe NAME by=COL`.
public struct GroupedDescribeOutput: CommandOutput {
    public var dataset: String
    public var grouped: GroupedSummary

    public func renderText(width: Int) -> String {
        grouped.groups.map { group in
            let rows = group.summaries.first.map { $0.count + $0.nullCount } ?? 0
            return "\(grouped.by) = \(group.key.plainText)  (\(NumberFormat.count(rows)) rows)\n"
                + SummaryTable.render(group.summaries, width: width)
        }.joined(separator: "\n\n")
    }

    public func json() -> JSONValue {
        .object([("dataset", .string(dataset)), ("by", .string(grouped.by)), ("groups", .array(grouped.groups.map { g in
            .object([("key", JSONValue.from(g.key)), ("columns", .array(g.summaries.map(SummaryTable.json)))])
        }))])
    }
}

/// Lays out column summaries as pandas does: one row per statistic, one column per data column.
public enum SummaryTable {
    static let statRows = ["type", "count", "nulls", "mean", "std", "min", "25%", "50%", "75%", "max", "unique", "top", "freq"]

    public static func render(_ summaries: [ColumnSummary], width: Int) -> String {
        guard !summaries.isEmpty else { return "(no columns)" }
        let cells = summaries.map(cellsFor)
        // Which statistic rows have any value.
        let used = statRows.indices.filter { r in cells.contains { !$0[r].isEmpty } }
        let labelWidth = used.map { statRows[$0].count }.max() ?? 5
        // Split the columns into blocks that fit the width.
        var blocks: [[Int]] = [[]]
        var lineWidth = labelWidth
        for (k, s) in summaries.enumerated() {
            let w = max(TextWidth.of(s.name), cells[k].map { TextWidth.of($0) }.max() ?? 0) + 2
            if lineWidth + w > width && !(blocks[blocks.count - 1].isEmpty) {
                blocks.append([])
                lineWidth = labelWidth
            }
            blocks[blocks.count - 1].append(k)
            lineWidth += w
        }
        return blocks.map { block in
            var t = TextTable(headers: [""] + block.map { summaries[$0].name },
                              alignments: [.left] + block.map { _ in .right },
                              rows: used.map { r in [statRows[r]] + block.map { cells[$0][r] } })
            t.stickyColumns = 1
            return t.render(width: Int.max)
        }.joined(separator: "\n\n")
    }

    /// The cells of one column, in `statRows` order ("" where a statistic does not apply).
    static func cellsFor(_ s: ColumnSummary) -> [String] {
        var cells = [String](repeating: "", count: statRows.count)
        cells[0] = s.type.rawValue
        cells[1] = String(s.count)
        cells[2] = String(s.nullCount)
        let stats = [s.mean, s.std, s.min, s.q25, s.median, s.q75, s.max]
        if s.isTemporal {
            for (k, v) in stats.enumerated() {
                if let v { cells[3 + k] = DateTimeText.format(micros: Int64(v.rounded()), dateOnly: s.type == .date) }
            }
        } else if s.isNumeric {
            let present = stats.map { $0 ?? .nan }
            let formatted = NumberFormat.column(present)
            for k in stats.indices where stats[k] != nil { cells[3 + k] = formatted[k] }
        }
        if let u = s.unique { cells[10] = String(u) }
        if let t = s.top { cells[11] = TextWidth.truncate(t.plainText, to: 24) }
        if let f = s.freq { cells[12] = String(f) }
        return cells
    }

    /// A summary as `describe --json` gives it.
    public static func json(_ s: ColumnSummary) -> JSONValue {
        var f: [(String, JSONValue)] = [("name", .string(s.name)), ("type", .string(s.type.rawValue)),
                                        ("count", .int(s.count)), ("null_count", .int(s.nullCount))]
        if s.isNumeric {
            f += [("mean", .number(s.mean)), ("std", .number(s.std)), ("min", .number(s.min)), ("25%", .number(s.q25)),
                  ("50%", .number(s.median)), ("75%", .number(s.q75)), ("max", .number(s.max))]
        } else if s.isTemporal {
            func date(_ v: Double?) -> JSONValue {
                guard let v, v.isFinite else { return .null }
                return .string(DateTimeText.format(micros: Int64(v.rounded()), dateOnly: s.type == .date))
            }
            f += [("mean", date(s.mean)), ("min", date(s.min)), ("25%", date(s.q25)), ("50%", date(s.median)),
                  ("75%", date(s.q75)), ("max", date(s.max))]
        } else {
            f += [("unique", s.unique.map { .int($0) } ?? .null), ("top", s.top.map(JSONValue.from) ?? .null),
                  ("freq", s.freq.map { .int($0) } ?? .null)]
        }
        return .object(f)
    }
}
