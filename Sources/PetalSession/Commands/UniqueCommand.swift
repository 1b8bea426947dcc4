import PetalData

/// `unique NAME.COL`: the distinct values of a column.
public enum UniqueCommand: PetalCommand {
    public static let name = "unique"
    public static let aliases = ["distinct"]
    public static let syntax = "unique NAME.COL [top=N]"
    public static let summary = "the distinct values of a column, in order of first appearance"
    static let top = CommandOption("top", .integer(1...1_000_000), default: "50", help: "how many values to show")
    public static let options = [top]

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let ref = try args.required(0, "a column, as NAME.COL", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        let top = try args.int(Self.top)
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
