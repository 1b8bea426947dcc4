import PetalData

/// `sort NAME by=COL[,COL…] [desc]`: a sorted copy (nulls last).
public enum SortCommand: PetalCommand {
    public static let name = "sort"
    public static let syntax = "sort NAME by=COL[,-COL…] [as OUT]"
    public static let summary = "sort rows by columns (-COL for descending); stores the result"
    public static let optionNames = ["by"]

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        try args.checkPositional(max: 2, syntax: syntax)
        let d = try session.dataset(name)
        guard let by = args.option("by") else { throw DataError("sort needs by=COL", hint: "usage: \(syntax)") }
        let descendingAll = args.positional[safe: 1]?.lowercased() == "desc"
        let keys = by.split(separator: ",").map { part -> (name: String, ascending: Bool) in
            part.hasPrefix("-") ? (String(part.dropFirst()), false) : (String(part), !descendingAll)
        }
        let sorted = try d.frame.sorted(by: keys)
        let out = try args.alias.map(OpenCommand.validName) ?? d.name
        session.store(sorted, as: out, source: "sort \(d.name) by=\(by)")
        return FrameOutput(dataset: out, frame: sorted.head(10), rowNumbers: Array(0..<min(10, sorted.rowCount)),
                           hiddenRows: max(0, sorted.rowCount - 10), title: "\(out): \(NumberFormat.count(sorted.rowCount)) rows sorted by \(by)")
    }
}

/// `select NAME COL,COL [as OUT]`: keep some columns.
public enum SelectCommand: PetalCommand {
    public static let name = "select"
    public static let syntax = "select NAME COL[,COL…] [as OUT]"
    public static let summary = "keep only some columns (as a new data set with as OUT)"

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        let d = try session.dataset(name)
        let names = args.positional.dropFirst().flatMap { $0.split(separator: ",").map(String.init) }
        guard !names.isEmpty else { throw DataError("select needs column names", hint: "usage: \(syntax)") }
        let frame = try d.frame.selecting(names)
        let out = try args.alias.map(OpenCommand.validName) ?? d.name
        session.store(frame, as: out, source: "select \(d.name)")
        return MessageOutput("\(out): \(NumberFormat.count(frame.rowCount)) rows × \(frame.columns.count) columns (\(names.joined(separator: ", ")))",
                             fields: [("dataset", .string(out)), ("rows", .int(frame.rowCount)), ("columns", .array(names.map { .string($0) }))])
    }
}

/// `filter NAME CONDITION [as OUT]`: keep the rows where a condition holds.
public enum FilterCommand: PetalCommand {
    public static let name = "filter"
    public static let aliases = ["where"]
    public static let syntax = "filter NAME CONDITION [as OUT]"
    public static let parsesOwnText = true
    public static let summary = "keep rows where a condition holds, e.g. petal_length > 4 and variety != \"setosa\""
    public static let help = """
        Conditions compare a column with a value: ==, !=, <, <=, >, >=; COL is null, COL is not null;
        COL in ("a", "b"); combined with and, or, not and parentheses. Text values are quoted.
        Examples:
          filter iris petal_length > 4 and variety != "setosa" as big
          filter penguins sex is null as unknown_sex
        """

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        let d = try session.dataset(name)
        var condition = String(args.rawText.dropFirst(name.count)).trimmingCharacters(in: .whitespaces)
        if let alias = args.alias, let range = condition.range(of: " as \(alias)", options: [.backwards]) {
            condition = String(condition[..<range.lowerBound])
        }
        guard !condition.isEmpty else { throw DataError("filter needs a condition", hint: "usage: \(syntax)") }
        let predicate = try RowExpression.parse(condition).predicate(for: d.frame)
        let frame = d.frame.filter(predicate)
        let out = try args.alias.map(OpenCommand.validName) ?? d.name
        session.store(frame, as: out, source: "filter \(d.name) \(condition)")
        return MessageOutput("\(out): \(NumberFormat.count(frame.rowCount)) of \(NumberFormat.count(d.frame.rowCount)) rows where \(condition)",
                             fields: [("dataset", .string(out)), ("rows", .int(frame.rowCount))])
    }
}

/// `save NAME to PATH`: write a data set as CSV, TSV, JSON or NDJSON.
public enum SaveCommand: PetalCommand {
    public static let name = "save"
    public static let aliases = ["write"]
    public static let syntax = "save NAME to PATH [format=csv|tsv|json|ndjson]"
    public static let summary = "write a data set to a CSV, TSV, JSON or NDJSON file"
    public static let optionNames = ["format"]

    public static func complete(_ context: CompletionContext) -> [String] {
        context.previous.count == 1 ? Completion.datasetsAndColumns(context)
            : context.previous.count == 2 ? ["to"] : Completion.paths(context.partial)
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        guard args.positional[safe: 1]?.lowercased() == "to", let path = args.positional[safe: 2] else {
            throw DataError("save needs a destination", hint: "usage: \(syntax)")
        }
        try args.checkPositional(max: 3, syntax: syntax)
        let d = try session.dataset(name)
        let format = try FrameWriter.format(for: path, format: args.option("format"))
        try FrameWriter.write(d.frame, to: path, format: format)
        return MessageOutput("saved \(d.name) (\(NumberFormat.count(d.frame.rowCount)) rows) to \(path) as \(format.rawValue)",
                             fields: [("dataset", .string(d.name)), ("path", .string(path)), ("format", .string(format.rawValue)),
                                      ("rows", .int(d.frame.rowCount))])
    }
}

/// `drop NAME`: forget a data set.
public enum DropCommand: PetalCommand {
    public static let name = "drop"
    public static let aliases = ["close"]
    public static let syntax = "drop NAME"
    public static let summary = "forget a data set (files are not touched)"

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        try session.remove(name)
        return MessageOutput("dropped \(name)", fields: [("dataset", .string(name))])
    }
}

/// `datasets`: the open data sets.
public enum DatasetsCommand: PetalCommand {
    public static let name = "datasets"
    public static let aliases = ["ls"]
    public static let syntax = "datasets"
    public static let summary = "list the open data sets"

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        try args.checkPositional(max: 0, syntax: syntax)
        return DatasetsOutput(datasets: session.datasets)
    }
}

/// The result of `datasets`.
public struct DatasetsOutput: CommandOutput {
    public var datasets: [Dataset]
    public func renderText(width: Int) -> String {
        guard !datasets.isEmpty else { return "no data sets open; try: open samples/iris.csv" }
        var t = TextTable(headers: ["name", "rows", "columns", "source"], alignments: [.left, .right, .right, .left],
                          rows: datasets.map { [$0.name, NumberFormat.count($0.frame.rowCount), String($0.frame.columns.count), $0.source] })
        t.stickyColumns = 1
        return t.render(width: width)
    }
    public func json() -> JSONValue {
        .object([("datasets", .array(datasets.map {
            .object([("name", .string($0.name)), ("rows", .int($0.frame.rowCount)), ("columns", .int($0.frame.columns.count)),
                     ("source", .string($0.source))])
        }))])
    }
}
