import PetalData

/// `nulls NAME`: missing values per column.
public enum NullsCommand: PetalCommand {
    public static let name = "nulls"
    public static let aliases = ["missing"]
    public static let syntax = "nulls NAME"
    public static let summary = "how many values are missing in each column"

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        let d = try session.dataset(name)
        return NullsOutput(dataset: d.name, rows: d.frame.rowCount,
                           columns: d.frame.columns.map { ($0.name, $0.type, $0.nullCount) })
    }
}

/// The result of `nulls`.
public struct NullsOutput: CommandOutput {
    public var dataset: String
    public var rows: Int
    public var columns: [(name: String, type: ColumnType, nulls: Int)]

    public func renderText(width: Int) -> String { renderText(in: RenderContext(width: width)) }

    public func renderText(in context: RenderContext) -> String {
        let width = context.width
        let barWidth = 20
        var t = TextTable(headers: ["column", "type", "nulls", "%", ""], alignments: [.left, .left, .right, .right, .left],
                          rows: columns.map { c in
                              [c.name, c.type.rawValue, String(c.nulls), NumberFormat.percent(c.nulls, of: rows),
                               Bars.horizontal(Double(c.nulls) / Double(max(1, rows)), width: barWidth, unicode: context.unicode)]
                          })
        t.stickyColumns = 1
        let total = columns.reduce(0) { $0 + $1.nulls }
        let withNulls = columns.filter { $0.nulls > 0 }.count
        return t.render(width: width) + "\n\(NumberFormat.count(total)) nulls in \(withNulls) of \(columns.count) columns, \(NumberFormat.count(rows)) rows"
    }

    public func json() -> JSONValue {
        .object([("dataset", .string(dataset)), ("rows", .int(rows)), ("columns", .array(columns.map { c in
            .object([("name", .string(c.name)), ("type", .string(c.type.rawValue)), ("null_count", .int(c.nulls)),
                     ("percent", .number(Double(c.nulls) * 100 / Double(max(1, rows))))])
        }))])
    }
}
