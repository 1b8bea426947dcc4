import PetalData

/// `select NAME COL,COL [as OUT]`: keep some columns.
public enum SelectCommand: PetalCommand {
    public static let name = "select"
    public static let syntax = "select NAME COL[,COL…] [as OUT]"
    public static let summary = "keep only some columns (as a new data set with as OUT)"

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        let d = try session.dataset(name)
        let names = args.positional.dropFirst().flatMap { $0.split(separator: ",").map(String.init) }
        guard !names.isEmpty else { throw PetalError("select needs column names", hint: "usage: \(syntax)") }
        let frame = try d.frame.selecting(names)
        let out = try args.alias.map(OpenCommand.validName) ?? d.name
        session.store(frame, as: out, source: "select \(d.name)")
        return MessageOutput("\(out): \(NumberFormat.count(frame.rowCount)) rows × \(frame.columns.count) columns (\(names.joined(separator: ", ")))",
                             fields: [("dataset", .string(out)), ("rows", .int(frame.rowCount)), ("columns", .array(names.map { .string($0) }))])
    }
}
