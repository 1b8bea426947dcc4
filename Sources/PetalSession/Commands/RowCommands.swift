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

/// `sample NAME [N] [seed=S]`: random rows, reproducible with a seed.
public enum SampleCommand: PetalCommand {
    public static let name = "sample"
    public static let syntax = "sample NAME [N] [seed=S] [as OUT]"
    public static let summary = "N random rows (default 10), reproducible with seed="
    public static let optionNames = ["seed"]

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let (d, n) = try RowArgs.parse(args, session: session, syntax: syntax)
        let seed = try args.int("seed", default: 42, range: 0...Int.max)
        var rng = SplitMix64(seed: UInt64(seed))
        var indices = Array(0..<d.frame.rowCount)
        let k = min(n, indices.count)
        for i in 0..<k { indices.swapAt(i, i + Int(rng.next() % UInt64(indices.count - i))) }
        let chosen = indices[0..<k].sorted()
        let frame = d.frame.taking(chosen)
        if let out = args.alias {
            session.store(frame, as: try OpenCommand.validName(out), source: "sample \(d.name)")
        }
        return FrameOutput(dataset: d.name, frame: frame, rowNumbers: chosen, hiddenRows: 0,
                           title: args.alias.map { "\($0): \(frame.rowCount) rows sampled from \(d.name)" })
    }
}

/// The `NAME [N]` arguments shared by head, tail and sample.
enum RowArgs {
    static func parse(_ args: Arguments, session: Session, syntax: String) throws -> (Dataset, Int) {
        let name = try args.required(0, "a data set", syntax: syntax)
        try args.checkPositional(max: 2, syntax: syntax)
        var n = 10
        if let text = args.positional[safe: 1] {
            guard let v = Int(text), v >= 0 else { throw DataError("\"\(text)\" is not a number of rows", hint: "usage: \(syntax)") }
            n = v
        }
        return (try session.dataset(name), n)
    }
}
