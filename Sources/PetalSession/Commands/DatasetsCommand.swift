import PetalData

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
        guard !datasets.isEmpty else { return "no data sets open; try: open FILE, or describe iris (built in)" }
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
