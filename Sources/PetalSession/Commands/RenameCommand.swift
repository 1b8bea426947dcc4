import PetalData

/// `rename NAME.COL NEW`: renames a column of a data set (`undo NAME` renames it back).
public enum RenameCommand: PetalCommand {
    public static let name = "rename"
    public static let syntax = "rename NAME.COL NEW"
    public static let summary = "rename a column of a data set"

    public static func complete(_ context: CompletionContext) -> [String] { Completion.datasetsAndColumns(context) }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let reference = try args.required(0, "a column (NAME.COL)", syntax: syntax)
        let new = try args.required(1, "the new name", syntax: syntax)
        try args.checkPositional(max: 2, syntax: syntax)
        let (d, column) = try session.column(reference, syntax: syntax)
        guard d.frame.column(named: new) == nil else {
            throw PetalError("\(d.name) already has a column called \(new)", hint: "choose another name, or drop that column first")
        }
        let columns = d.frame.columns.map { c -> Column in
            var c = c
            if c.name == column.name { c.name = new }
            return c
        }
        session.store(try Frame(columns: columns), as: d.name, source: d.source)
        return MessageOutput("renamed \(d.name).\(column.name) to \(new) (undo \(d.name) renames it back)",
                             fields: [("dataset", .string(d.name)), ("column", .string(new))])
    }
}
