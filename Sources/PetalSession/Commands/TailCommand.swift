import PetalData

/// `tail NAME [N]`: the last rows.
public enum TailCommand: PetalCommand {
    public static let name = "tail"
    public static let syntax = "tail NAME [N]"
    public static let summary = "the last N rows (default 10)"

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let (d, n) = try RowArgs.parse(args, session: session, syntax: syntax)
        let shown = d.frame.tail(n)
        let first = d.frame.rowCount - shown.rowCount
        return FrameOutput(dataset: d.name, frame: shown, rowNumbers: Array(first..<d.frame.rowCount), hiddenRows: first)
    }
}
