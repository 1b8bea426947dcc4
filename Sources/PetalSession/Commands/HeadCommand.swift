import PetalData

/// `head NAME [N]`: the first rows.
public enum HeadCommand: PetalCommand {
    public static let name = "head"
    public static let aliases = ["show"]
    public static let syntax = "head NAME [N]"
    public static let summary = "the first N rows (default 10)"

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let (d, n) = try RowArgs.parse(args, session: session, syntax: syntax)
        let shown = d.frame.head(n)
        return FrameOutput(dataset: d.name, frame: shown, rowNumbers: Array(0..<shown.rowCount), hiddenRows: d.frame.rowCount - shown.rowCount)
    }
}

/// The `NAME [N]` arguments shared by head, tail and sample.
enum RowArgs {
    static func parse(_ args: Arguments, session: Session, syntax: String) throws -> (Dataset, Int) {
        let name = try args.required(0, "a data set", syntax: syntax)
        try args.checkPositional(max: 2, syntax: syntax)
        var n = 10
        if let text = args.positional[safe: 1] {
            guard let v = Int(text), v >= 0 else { throw PetalError("\"\(text)\" is not a number of rows", hint: "usage: \(syntax)") }
            n = v
        }
        return (try session.dataset(name), n)
    }
}
