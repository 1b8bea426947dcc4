import PetalData

/// `drop NAME`: forget a data set.
public enum DropCommand: PetalCommand {
    public static let name = "drop"
    public static let aliases = ["close"]
    public static let syntax = "drop NAME"
    public static let summary = "forget a data set (files are not touched)"

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        try session.remove(name)
        return MessageOutput("dropped \(name)", fields: [("dataset", .string(name))])
    }
}
