import PetalData
import PetalTracking

/// `note N "text"`: a free-text note on a run (replacing the old one; `note N ""` clears it).
public enum NoteCommand: PetalCommand {
    public static let name = "note"
    public static let syntax = "note N \"TEXT\""
    public static let summary = "write a free-text note on a run"

    public static func complete(_ context: CompletionContext) -> [String] { [] }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let id = try RunFormatting.runID(args.positional.first, verb: name, syntax: syntax)
        guard args.positional.count >= 2 else { throw PetalError("note needs the text", hint: "e.g. note \(id) \"scaled features help kNN\"") }
        let text = args.positional.dropFirst().joined(separator: " ")
        try session.requireStore().setNote(text, run: id)
        return MessageOutput(text.isEmpty ? "run \(id): note cleared" : "run \(id): noted", fields: [("run_id", .int(id)), ("note", .string(text))],
                             warnings: session.tracker?.runChanged(id).map { [$0] } ?? [])
    }
}
