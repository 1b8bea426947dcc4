import PetalData

/// `counts NAME.COL`: value counts with percentages, most frequent first.
public enum CountsCommand: PetalCommand {
    public static let name = "counts"
    public static let aliases = ["value_counts", "vc"]
    public static let syntax = "counts NAME.COL [top=N]"
    public static let summary = "how often each value occurs, with % (pandas' value_counts)"
    static let top = CommandOption("top", .integer(1...1_000_000), default: "20", help: "how many of the most frequent values to show")
    public static let options = [top]

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let ref = try args.required(0, "a column, as NAME.COL", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        let top = try args.int(Self.top)
        let (d, column) = try session.column(ref, syntax: syntax)
        return CountsOutput(dataset: d.name, column: column.name, counts: ValueCounts.compute(column), top: top)
    }
}

/// The result of `counts`.
public struct CountsOutput: CommandOutput {
    public var dataset: String
    public var column: String
    public var counts: ValueCounts
    public var top: Int

    public func renderText(width: Int) -> String { renderText(in: RenderContext(width: width)) }

    public func renderText(in context: RenderContext) -> String {
        let width = context.width
        let shown = min(top, counts.values.count)
        let maxCount = counts.counts.first ?? 1
        let labels = counts.values.prefix(shown).map { $0.plainText }
        let labelWidth = min(30, max(TextWidth.of(column), labels.map(TextWidth.of).max() ?? 0))
        let numberWidth = max(5, String(maxCount).count)
        let barWidth = max(4, width - labelWidth - numberWidth - 8 - 6)
        var lines = [pad(column, labelWidth) + "  " + lpad("count", numberWidth) + "  " + lpad("%", 6)]
        for k in 0..<shown {
            let bar = Bars.horizontal(Double(counts.counts[k]) / Double(max(1, maxCount)), width: barWidth, unicode: context.unicode)
            lines.append(pad(TextWidth.truncate(labels[k], to: labelWidth), labelWidth) + "  " + lpad(String(counts.counts[k]), numberWidth)
                         + "  " + lpad(NumberFormat.percent(counts.counts[k], of: counts.total), 6) + "  " + bar)
        }
        if counts.values.count > shown {
            let rest = counts.counts[shown...].reduce(0, +)
            lines.append("… \(NumberFormat.count(counts.values.count - shown)) more values (\(NumberFormat.count(rest)) rows); top=N shows more")
        }
        var footer = "\(NumberFormat.count(counts.distinct)) distinct, \(NumberFormat.count(counts.total)) values"
        if counts.nullCount > 0 { footer += ", \(NumberFormat.count(counts.nullCount)) null (not counted)" }
        lines.append(footer)
        return lines.map { $0.hasSuffix(" ") ? String($0.reversed().drop { $0 == " " }.reversed()) : $0 }.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        .object([
            ("dataset", .string(dataset)), ("column", .string(column)),
            ("values", .array((0..<counts.values.count).prefix(top).map { k in
                .object([("value", JSONValue.from(counts.values[k])), ("count", .int(counts.counts[k])),
                         ("percent", .number(Double(counts.counts[k]) * 100 / Double(max(1, counts.total))))])
            })),
            ("distinct", .int(counts.distinct)), ("total", .int(counts.total)), ("null_count", .int(counts.nullCount)),
        ])
    }
}
