import PetalData

/// `sort NAME by=COL[,COL…] [desc]`: a sorted copy (nulls last).
public enum SortCommand: PetalCommand {
    public static let name = "sort"
    public static let syntax = "sort NAME by=COL[,-COL…] [as OUT]"
    public static let summary = "sort rows by columns (-COL for descending); stores the result"
    static let by = CommandOption("by", placeholder: "COL,-COL", help: "the columns to sort by, in order; -COL sorts that one descending (required)")
    public static let options = [by]

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        try args.checkPositional(max: 2, syntax: syntax)
        let d = try session.dataset(name)
        guard let by = args.text(Self.by) else { throw PetalError("sort needs by=COL", hint: "usage: \(syntax)") }
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
