import PetalData

/// `undo NAME`: puts a data set back as it was before the last command that replaced it (`filter` without
/// `as`, `sort`, `rename`, a second `open`) or dropped it; `undo` again redoes. One step, kept in memory.
public enum UndoCommand: PetalCommand {
    public static let name = "undo"
    public static let syntax = "undo NAME"
    public static let summary = "put a data set back as it was before its last change (undo again redoes)"

    public static func complete(_ context: CompletionContext) -> [String] { Completion.datasetsAndColumns(context) }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        guard let previous = session.replaced[name] else {
            let changed = session.replaced.keys.sorted()
            throw PetalError("\(name) has no earlier version to go back to",
                            hint: changed.isEmpty ? "undo goes back one change made by a command (filter without as, sort, rename, drop)"
                                : "data sets with one: " + changed.joined(separator: ", "))
        }
        let current = session.datasets.first { $0.name == name }
        session.store(previous.frame, as: name, source: previous.source)
        // The version just left becomes the one `undo` goes back to (a redo); a dropped data set has none.
        session.replaced[name] = current
        let f = previous.frame
        return MessageOutput("\(name) is back to \(NumberFormat.count(f.rowCount)) rows × \(f.columns.count) columns"
                             + (current == nil ? " (it had been dropped)" : "; undo \(name) again redoes"),
                             fields: [("dataset", .string(name)), ("rows", .int(f.rowCount))])
    }
}
