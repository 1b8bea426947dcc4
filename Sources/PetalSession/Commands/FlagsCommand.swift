import Foundation
import PetalData

/// `flags`: the predictions flagged in demo forms (`.petal/flags.csv`).
public enum FlagsCommand: PetalCommand {
    public static let name = "flags"
    public static let syntax = "flags"
    public static let summary = "predictions flagged in demo forms (Ctrl-F), from .petal/flags.csv"
    public static func complete(_ context: CompletionContext) -> [String] { [] }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        try args.checkPositional(max: 0, syntax: syntax)
        guard FileManager.default.fileExists(atPath: Flags.path) else {
            return MessageOutput("no flags yet: in a demo form, Ctrl-F flags a prediction")
        }
        let result = try Loaders.load(path: Flags.path)
        guard let frame = result.frame else { return MessageOutput("no flags yet") }
        return FrameOutput(dataset: "flags", frame: frame, rowNumbers: Array(0..<frame.rowCount), hiddenRows: 0,
                           title: "\(frame.rowCount) flagged prediction\(frame.rowCount == 1 ? "" : "s") in \(Flags.path)")
    }
}
