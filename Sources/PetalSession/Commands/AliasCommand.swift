import PetalData
import PetalTracking

/// `alias NAME@ALIAS VERSION`: points an alias of a registered model at one of its versions.
public enum AliasCommand: PetalCommand {
    public static let name = "alias"
    public static let syntax = "alias NAME@ALIAS VERSION"
    public static let summary = "point an alias (champion, staging, …) of a registered model at a version"

    public static func complete(_ context: CompletionContext) -> [String] {
        ((try? context.session.tracker?.store?.models().map { $0.name + "@" }) ?? []).filter { $0.hasPrefix(context.partial) }
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        try args.checkPositional(max: 2, syntax: syntax)
        let reference = try args.required(0, "NAME@ALIAS", syntax: syntax)
        let parts = reference.split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[1] != "latest" else {
            throw PetalError("\"\(reference)\" is not NAME@ALIAS", hint: "e.g. alias iris-classifier@champion 2 (latest is built in)")
        }
        let text = try args.required(1, "a version number", syntax: syntax)
        guard let version = Int(text.hasPrefix("v") ? String(text.dropFirst()) : text) else {
            throw PetalError("\"\(text)\" is not a version number", hint: "models lists the versions")
        }
        try session.requireStore().setAlias(parts[1], model: parts[0], version: version)
        return MessageOutput("\(parts[0])@\(parts[1]) → version \(version)",
                             fields: [("model", .string(parts[0])), ("alias", .string(parts[1])), ("version", .int(version))])
    }
}
