import PetalData

/// `sample NAME [N] [seed=S]`: random rows, reproducible with a seed.
public enum SampleCommand: PetalCommand {
    public static let name = "sample"
    public static let syntax = "sample NAME [N] [seed=S] [as OUT]"
    public static let summary = "N random rows (default 10), reproducible with seed="
    static let seed = CommandOption("seed", aliases: ["random_state"], .integer(0...Int.max), default: "42",
                                    help: "the draw's seed: the same seed gives the same rows")
    public static let options = [seed]

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let (d, n) = try RowArgs.parse(args, session: session, syntax: syntax)
        let seed = try args.int(Self.seed)
        let chosen = d.frame.sampleIndices(n, seed: UInt64(seed))
        let frame = d.frame.taking(chosen)
        if let out = args.alias {
            session.store(frame, as: try OpenCommand.validName(out), source: "sample \(d.name)")
        }
        return FrameOutput(dataset: d.name, frame: frame, rowNumbers: chosen, hiddenRows: 0,
                           title: args.alias.map { "\($0): \(frame.rowCount) rows sampled from \(d.name)" })
    }
}
