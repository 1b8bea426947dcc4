import PetalData

/// `save NAME to PATH`: write a data set in any format the registry can write (CSV, TSV, JSON, NDJSON, Parquet).
public enum SaveCommand: PetalCommand {
    public static let name = "save"
    public static let aliases = ["write"]
    public static let syntax = "save NAME to PATH [format=csv|tsv|json|ndjson|parquet]"
    public static let summary = "write a data set to a CSV, TSV, JSON, NDJSON or Parquet file"
    static let format = CommandOption("format", .choice(Loaders.writable.map(\.formatName)),
                                      help: "the format to write (default: from the path's extension)")
    public static let options = [format]

    public static func complete(_ context: CompletionContext) -> [String] {
        context.previous.count == 1 ? Completion.datasetsAndColumns(context)
            : context.previous.count == 2 ? ["to"] : Completion.paths(context.partial)
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        guard args.positional[safe: 1]?.lowercased() == "to", let path = args.positional[safe: 2] else {
            throw PetalError("save needs a destination", hint: "usage: \(syntax)")
        }
        try args.checkPositional(max: 3, syntax: syntax)
        let d = try session.dataset(name)
        let format = try FrameWriter.write(d.frame, to: path, format: args.text(Self.format))
        return MessageOutput("saved \(d.name) (\(NumberFormat.count(d.frame.rowCount)) rows) to \(path) as \(format)",
                             fields: [("dataset", .string(d.name)), ("path", .string(path)), ("format", .string(format)),
                                      ("rows", .int(d.frame.rowCount))])
    }
}
