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

    public func renderText(width: Int) -> String {
        let barWidth = 20
        var t = TextTable(headers: ["column", "type", "nulls", "%", ""], alignments: [.left, .left, .right, .right, .left],
                          rows: columns.map { c in
                              [c.name, c.type.rawValue, String(c.nulls), NumberFormat.percent(c.nulls, of: rows),
                               Bars.horizontal(Double(c.nulls) / Double(max(1, rows)), width: barWidth)]
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

/// `unique NAME.COL`: the distinct values of a column.
public enum UniqueCommand: PetalCommand {
    public static let name = "unique"
    public static let aliases = ["distinct"]
    public static let syntax = "unique NAME.COL [top=N]"
    public static let summary = "the distinct values of a column, in order of first appearance"
    public static let optionNames = ["top"]

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let ref = try args.required(0, "a column, as NAME.COL", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        let top = try args.int("top", default: 50, range: 1...1_000_000)
        let (d, column) = try session.column(ref, syntax: syntax)
        var seen = Set<Value>()
        var values: [Value] = []
        for i in 0..<column.count where seen.insert(column[i]).inserted { values.append(column[i]) }
        return UniqueOutput(dataset: d.name, column: column.name, values: values, top: top)
    }
}

/// The result of `unique`.
public struct UniqueOutput: CommandOutput {
    public var dataset: String
    public var column: String
    public var values: [Value]
    public var top: Int

    public func renderText(width: Int) -> String {
        let shown = values.prefix(top).map { $0.isNull ? "null" : $0.plainText }
        var text = "\(dataset).\(column): \(NumberFormat.count(values.count)) distinct value\(values.count == 1 ? "" : "s")\n"
        text += Wrap.words(shown.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " "), width: width, indent: "  ")
        if values.count > top { text += "\n… \(NumberFormat.count(values.count - top)) more; top=N shows more" }
        return text
    }

    public func json() -> JSONValue {
        .object([("dataset", .string(dataset)), ("column", .string(column)), ("count", .int(values.count)),
                 ("values", .array(values.prefix(top).map(JSONValue.from)))])
    }
}
