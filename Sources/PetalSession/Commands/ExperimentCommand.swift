import PetalData
import PetalTracking

/// `experiment [NAME]`: switches the experiment new runs are recorded in (created on first use), or lists them.
public enum ExperimentCommand: PetalCommand {
    public static let name = "experiment"
    public static let aliases = ["experiments"]
    public static let syntax = "experiment [NAME]"
    public static let summary = "switch the experiment runs are recorded in, or list the experiments"
    public static let help = """
        Runs belong to an experiment ("default" until you choose one); runs lists the current experiment's runs.
          experiment tuning-knn     record the next runs in tuning-knn (created if new)
          experiment                list the experiments and their run counts
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        ((try? context.session.tracker?.store?.experiments().map(\.name)) ?? []).filter { $0.hasPrefix(context.partial) }
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let tracker = try session.requireTracker()
        let store = try tracker.requireStore()
        try args.checkPositional(max: 1, syntax: syntax)
        guard let name = args.positional.first else {
            let list = try store.experiments()
            var table = TextTable(headers: ["experiment", "runs", ""], alignments: [.left, .right, .left],
                                  rows: list.map { [$0.name, String($0.runs), $0.name == tracker.experiment ? "← current" : ""] })
            if !list.contains(where: { $0.name == tracker.experiment }) { table.rows.append([tracker.experiment, "0", "← current"]) }
            return MessageOutput(table.render(width: session.width),
                                 fields: [("current", .string(tracker.experiment)),
                                          ("experiments", .array(list.map { .object([("name", .string($0.name)), ("runs", .int($0.runs))]) }))])
        }
        guard !name.isEmpty, !name.contains(where: { $0.isNewline }) else { throw PetalError("an experiment needs a name", hint: "usage: \(syntax)") }
        try store.experimentID(name)
        tracker.experiment = name
        let count = try store.experiments().first { $0.name == name }?.runs ?? 0
        return MessageOutput("experiment \(name): new runs are recorded here (\(count) so far)",
                             fields: [("experiment", .string(name)), ("runs", .int(count))])
    }
}
