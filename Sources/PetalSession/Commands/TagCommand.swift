import PetalData
import PetalTracking

/// `tag N key=value …`: labels a run (an empty value removes the tag); `runs where tags.key = "value"` finds it.
public enum TagCommand: PetalCommand {
    public static let name = "tag"
    public static let syntax = "tag N KEY=VALUE [KEY=VALUE …]"
    public static let summary = "label a run with key=value tags (KEY= removes one)"
    public static let parsesOwnText = true

    public static func complete(_ context: CompletionContext) -> [String] { [] }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        try args.checkPositional(max: 1, syntax: syntax)
        let id = try RunFormatting.runID(args.positional.first, verb: name, syntax: syntax)
        guard !args.options.isEmpty else { throw PetalError("tag needs KEY=VALUE", hint: "e.g. tag \(id) stage=final") }
        let store = try session.requireStore()
        let tags = args.options.map { ($0.key, $0.value) }
        try store.setTags(tags, run: id)
        let text = tags.map { $0.1.isEmpty ? "removed \($0.0)" : "\($0.0)=\($0.1)" }.joined(separator: ", ")
        return MessageOutput("run \(id): \(text)", fields: [("run_id", .int(id)), ("tags", .object(tags.map { ($0.0, .string($0.1)) }))],
                             warnings: session.tracker?.runChanged(id).map { [$0] } ?? [])
    }
}
