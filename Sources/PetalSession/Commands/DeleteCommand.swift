import PetalData
import PetalTracking

/// `delete N …`: hides runs from listings (soft: `restore N` brings them back; nothing is erased).
public enum DeleteCommand: PetalCommand {
    public static let name = "delete"
    public static let syntax = "delete N [N …]"
    public static let summary = "delete runs (soft: restore brings them back; runs deleted lists them)"

    public static func complete(_ context: CompletionContext) -> [String] { [] }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        try RunDeletion.set(true, args: args, session: session, syntax: syntax)
    }
}

enum RunDeletion {
    static func set(_ deleted: Bool, args: Arguments, session: Session, syntax: String) throws -> any CommandOutput {
        guard !args.positional.isEmpty else { _ = try RunFormatting.runID(nil, verb: args.verb, syntax: syntax); return MessageOutput("") }
        let ids = try args.positional.map { try RunFormatting.runID($0, verb: args.verb, syntax: syntax) }
        let store = try session.requireStore()
        for id in ids { try store.setDeleted(deleted, run: id) }
        let list = ids.map(String.init).joined(separator: ", ")
        return MessageOutput(deleted ? "deleted run\(ids.count == 1 ? "" : "s") \(list) (restore \(list) brings \(ids.count == 1 ? "it" : "them") back)"
                                     : "restored run\(ids.count == 1 ? "" : "s") \(list)",
                             fields: [("run_ids", .array(ids.map { .int($0) })), ("deleted", .bool(deleted))])
    }
}
