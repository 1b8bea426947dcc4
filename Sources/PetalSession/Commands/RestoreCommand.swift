import PetalData
import PetalTracking

/// `restore N …`: undoes `delete`.
public enum RestoreCommand: PetalCommand {
    public static let name = "restore"
    public static let syntax = "restore N [N …]"
    public static let summary = "bring back deleted runs"

    public static func complete(_ context: CompletionContext) -> [String] { [] }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        try RunDeletion.set(false, args: args, session: session, syntax: syntax)
    }
}
