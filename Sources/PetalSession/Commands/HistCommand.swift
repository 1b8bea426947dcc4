import PetalData

/// `hist NAME.COL [bins=N]`: a histogram with numpy's bin edges, drawn with Unicode blocks.
public enum HistCommand: PetalCommand {
    public static let name = "hist"
    public static let aliases = ["histogram"]
    public static let syntax = "hist NAME.COL [bins=N|auto|sturges|fd|sqrt]"
    public static let summary = "a histogram of a numeric column (numpy's bin edges)"
    static let bins = CommandOption("bins", default: "auto",
                                    help: "how many bins (1 to 10000), or numpy's rule for it: auto, sturges, fd, sqrt")
    public static let options = [bins]
    public static let help = """
        Counts values in equal-width bins whose edges are numpy.histogram's, so the numbers match
        np.histogram(col.dropna(), bins=N). bins=auto (the default) uses numpy's 'auto' rule.
        Examples:
          hist iris.petal_length bins=12
          hist penguins.body_mass_g
        """

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let ref = try args.required(0, "a column, as NAME.COL", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        let binsText = args.value(Self.bins) ?? "auto"
        guard let rule = BinRule(binsText) else {
            throw PetalError("bins=\(binsText) is not a number from 1 to 10000 or auto, sturges, fd, sqrt", hint: "for example bins=12")
        }
        let (d, column) = try session.column(ref, syntax: syntax)
        guard column.type.isNumeric || column.type == .date || column.type == .datetime, let values = column.doubles() else {
            throw PetalError("column \(column.name) is \(column.type.rawValue), not numeric",
                            hint: "hist needs numbers; for text use counts \(d.name).\(column.name)")
        }
        guard !values.isEmpty else { throw PetalError("column \(column.name) has no values (all null)") }
        let h = Histogram.compute(values, bins: rule, integer: column.type == .int, nullCount: column.nullCount)
        return HistogramOutput(dataset: d.name, column: column.name, type: column.type, histogram: h)
    }
}

/// The result of `hist`.
public struct HistogramOutput: CommandOutput {
    public var dataset: String
    public var column: String
    public var type: ColumnType
    public var histogram: Histogram

    /// Each bin as `[low, high)` (the last closed), its edges written as dates for a date column; the text and
    /// the workbench's histogram both label bins with these.
    public var binLabels: [String] {
        let edges: [String]
        if type == .date || type == .datetime {
            edges = histogram.edges.map { DateTimeText.format(micros: Int64($0.rounded()), dateOnly: type == .date) }
        } else {
            edges = NumberFormat.column(histogram.edges, maxDecimals: 4)
        }
        let n = histogram.counts.count
        return (0..<n).map { "[\(edges[safe: $0] ?? ""), \(edges[safe: $0 + 1] ?? "")\($0 == n - 1 ? "]" : ")")" }
    }

    public func renderText(width: Int) -> String { renderText(in: RenderContext(width: width)) }

    public func renderText(in context: RenderContext) -> String {
        let width = context.width
        let n = histogram.counts.count
        let labels = binLabels
        let labelWidth = labels.map(TextWidth.of).max() ?? 0
        let maxCount = histogram.counts.max() ?? 1
        let numberWidth = max(String(maxCount).count, 1)
        let barWidth = max(4, width - labelWidth - numberWidth - 4)
        var lines = ["\(dataset).\(column): \(NumberFormat.count(histogram.total)) values in \(n) bins"
                     + (histogram.nullCount > 0 ? " (\(NumberFormat.count(histogram.nullCount)) null left out)" : "")]
        for k in 0..<n {
            let bar = Bars.horizontal(Double(histogram.counts[k]) / Double(max(1, maxCount)), width: barWidth, unicode: context.unicode)
            lines.append(pad(labels[k], labelWidth) + "  " + lpad(String(histogram.counts[k]), numberWidth) + "  " + bar)
        }
        return lines.map { $0.hasSuffix(" ") ? String($0.reversed().drop { $0 == " " }.reversed()) : $0 }.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        let edges: [JSONValue] = type == .date || type == .datetime
            ? histogram.edges.map { .string(DateTimeText.format(micros: Int64($0.rounded()), dateOnly: type == .date)) }
            : histogram.edges.map { .number($0) }
        return .object([("dataset", .string(dataset)), ("column", .string(column)), ("edges", .array(edges)),
                        ("counts", .array(histogram.counts.map { .int($0) })), ("null_count", .int(histogram.nullCount))])
    }
}
