import PetalData
import PetalFeatures

/// `feature_view V = GROUP label=COL [join OTHER on KEYS]…`: training data over feature groups, joined by key as of
/// each label's event time.
public enum FeatureViewCommand: PetalCommand {
    public static let name = "feature_view"
    public static let syntax = "feature_view V = GROUP label=COL [join OTHER on KEY[,KEY]]…  |  feature_view"
    public static let summary = "a feature view: a label group joined with feature groups by key, as of each label's time"
    static let label = CommandOption("label", placeholder: "COL", help: "the label group's column to predict")
    public static let options = [label]
    public static let help = """
        The label group's rows (its latest row per key at the time asked for) get each joined group's features as
        they were at the label row's event time: the joined row with the same key and the latest event time at or
        before the label's — never one from after it, so no future value leaks into training. A key with no such row
        gets nulls (training_data says how many). The label group's event-time column is left out of the rows; a
        joined group adds every column but its keys and event time.
        Defining the same view again keeps its version; another definition makes the next version.
        fit P on V target=COL and cv P on V train on the view's rows now (or as_of=DATE), and the run records the
        view, its version and the as-of time. feature_view alone lists the views.
        Examples:
          feature_view iris_v = iris_fg label=variety
          feature_view churn_v = labels_fg label=churn join spend_fg on customer
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        let groups = (try? context.session.requireFeatureStore().storage.groups(named: nil).map(\.name)) ?? []
        let last = context.previous.last?.lowercased()
        if last == "=" || last == "join" { return Array(Set(groups)).sorted().filter { $0.hasPrefix(context.partial) } }
        return ["join", "on"].filter { $0.hasPrefix(context.partial) }
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let store = try session.requireFeatureStore()
        guard let name = args.positional.first else {
            let views = try store.storage.views(named: nil)
            let lines = views.map { v in
                "\(v.name) v\(v.version) = \(v.group) v\(v.groupVersion)" + (v.label.isEmpty ? "" : " label=\(v.label)")
                    + v.joins.map { " join \($0.group) v\($0.version) on \($0.keys.joined(separator: ","))" }.joined()
            }
            return MessageOutput(views.isEmpty ? "no feature views yet: feature_view V = GROUP label=COL" : lines.joined(separator: "\n"),
                                 fields: [("views", .array(views.map(Self.json)))])
        }
        let words = Array(args.positional.dropFirst())
        guard let group = words.first else { throw PetalError("feature_view needs = GROUP", hint: "usage: \(syntax)") }
        var joins: [(group: String, keys: [String])] = []
        var i = 1
        while i < words.count {
            guard words[i].lowercased() == "join", let other = words[safe: i + 1], words[safe: i + 2]?.lowercased() == "on", let keys = words[safe: i + 3] else {
                throw PetalError("feature_view: expected join GROUP on KEY at \"\(words[i])\"", hint: "usage: \(syntax)")
            }
            joins.append((other, keys.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
            i += 4
        }
        let (view, created) = try store.createView(name, group: group, label: args.text(Self.label) ?? "", joins: joins)
        let what = created ? "made feature view \(view.name) v\(view.version)" : "feature view \(view.name) v\(view.version) is already defined so"
        let joined = view.joins.isEmpty ? "" : ", joined as of each label's time with " + view.joins.map { "\($0.group) on \($0.keys.joined(separator: ","))" }.joined(separator: ", ")
        return MessageOutput("\(what): \(view.group) v\(view.groupVersion)" + (view.label.isEmpty ? "" : " label \(view.label)") + joined
                             + "\ntraining_data \(view.name) as NAME reads its rows; fit P on \(view.name)\(view.label.isEmpty ? "" : " target=\(view.label)") trains on them",
                             fields: [("view", Self.json(view)), ("created", .bool(created))])
    }

    static func json(_ v: FeatureView) -> JSONValue {
        .object([("name", .string(v.name)), ("version", .int(v.version)), ("group", .string(v.group)), ("group_version", .int(v.groupVersion)),
                 ("label", .string(v.label)),
                 ("joins", .array(v.joins.map { .object([("group", .string($0.group)), ("version", .int($0.version)), ("keys", .array($0.keys.map { .string($0) }))]) }))])
    }
}

/// `training_data V as NAME [as_of=DATE]`: a feature view's rows as a data set.
public enum TrainingDataCommand: PetalCommand {
    public static let name = "training_data"
    public static let syntax = "training_data V as NAME [as_of=DATE]"
    public static let summary = "a feature view's rows as they were at a time, as a data set (fit and cv take it)"
    static let asOf = CommandOption("as_of", placeholder: "DATE", help: "the time to read the rows as of: 2026-11-01 or 2026-11-01T12:00 (UTC); default now")
    public static let options = [asOf]
    public static let help = """
        The rows of feature view V as of DATE (default: now): each key's latest label row at that time, with the
        joined features as of the label's own time. The data set is what fit, cv and every other command take.
        Example:
          training_data iris_v as train as_of=2026-11-01
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        guard context.previous.count == 1 else { return [] }
        return ((try? context.session.requireFeatureStore().storage.views(named: nil).map(\.name)) ?? []).filter { $0.hasPrefix(context.partial) }
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a feature view", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        guard let alias = args.alias else { throw PetalError("training_data needs as NAME", hint: "usage: \(syntax)") }
        let store = try session.requireFeatureStore()
        let asOf = try args.text(Self.asOf).map { try TimeArgument.micros($0, option: Self.asOf.name) }
        let data = try store.trainingData(try store.view(name), asOf: asOf)
        session.store(data.frame, as: alias, source: "feature view \(name) v\(data.view.version) as of \(TimeArgument.text(data.asOf))",
                      view: ViewReference(name: name, version: data.view.version, asOf: data.asOf))
        var warnings: [DataWarning] = []
        for (group, rows) in data.unmatched where rows > 0 {
            warnings.append(DataWarning("\(rows) of \(data.frame.rowCount) rows found no \(group) row at or before their time: their \(group) features are null"))
        }
        return MessageOutput("\(alias): \(data.frame.rowCount) rows × \(data.frame.columns.count) columns from feature view \(name) v\(data.view.version) as of \(TimeArgument.text(data.asOf))",
                             fields: [("dataset", .string(alias)), ("view", .string(name)), ("view_version", .int(data.view.version)),
                                      ("as_of", .string(TimeArgument.text(data.asOf))), ("rows", .int(data.frame.rowCount))],
                             warnings: warnings)
    }
}
