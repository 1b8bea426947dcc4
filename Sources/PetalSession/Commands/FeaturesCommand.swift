import PetalData
import PetalFeatures

/// `features` lists the feature groups; `features NAME from DATASET primary_key=… event_time=…` makes one (or
/// inserts into it when it exists); `features insert NAME from DATASET` upserts; `features NAME` shows one.
public enum FeaturesCommand: PetalCommand {
    public static let name = "features"
    public static let aliases = ["feature_group"]
    public static let syntax = "features [NAME from DATASET primary_key=COLS event_time=COL|now]  |  features insert NAME from DATASET  |  features NAME"
    public static let summary = "feature groups: versioned tables with a primary key and event times, checked and validated on insert"
    static let primaryKey = CommandOption("primary_key", placeholder: "COLS", help: "the columns that name one row (comma-separated); a new group needs it")
    static let eventTime = CommandOption("event_time", default: "now",
                                         help: "the date/datetime column saying when each row's values held; now = the insert time")
    static let version = CommandOption("version", .choice(["new"]), help: "a batch with other columns (or another key) makes the next version of the group")
    public static let options = [primaryKey, eventTime, version]
    public static let help = """
        A feature group keeps rows by primary key and event time in the project's feature store (.petal/features.db):
        inserting a key again at a later time keeps the earlier row as history, so training data can be read as it
        was at any time (see feature_view, training_data). Every insert is checked as a whole — columns and types
        against the group's schema, keys and event times present, and the expect rules — and rejected whole when any
        row fails, listing the rows; statistics of the current rows are stored with it (describe NAME).
        Running the same features NAME from … line again (a scheduled feature pipeline) only inserts.
        Examples:
          features iris_fg from iris primary_key=sepal_length,sepal_width,petal_length,petal_width event_time=now
          features insert iris_fg from more_flowers
          features insert iris_fg from wider version=new
          features iris_fg
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        switch context.previous.count {
        case 1: return ["insert"].filter { $0.hasPrefix(context.partial) }
        case 2, 3: return context.previous.last == "from" ? [] : ["from"].filter { $0.hasPrefix(context.partial) }
        default:
            if context.previous.count >= 3, context.previous[context.previous.count - 1] == "from" {
                return context.session.datasets.map(\.name).filter { $0.hasPrefix(context.partial) }
            }
            return []  // options: from `options`, by Completion
        }
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let store = try session.requireFeatureStore()
        let words = args.positional
        if words.isEmpty { return FeatureGroupsOutput(groups: try store.storage.groups(named: nil)) }
        let newVersion = try args.choice(Self.version) == "new"
        if words.count == 1 {
            try args.checkOptions([], syntax: syntax)
            let g = try store.group(words[0])
            return FeatureGroupOutput(group: g, versions: try store.storage.groups(named: g.name).map(\.version),
                                      expectations: try store.storage.expectations(of: g.name), location: store.storage.location)
        }
        let inserting = words[0].lowercased() == "insert"
        let at = inserting ? 1 : 0
        guard let group = words[safe: at], words[safe: at + 1]?.lowercased() == "from", let source = words[safe: at + 2] else {
            throw PetalError("features needs NAME from DATASET", hint: "usage: \(syntax)")
        }
        try args.checkPositional(max: at + 3, syntax: syntax)
        let dataset = try session.dataset(source)
        let result: FeatureStore.InsertResult
        if inserting {
            try args.checkOptions([Self.version], syntax: syntax)
            result = try store.insert(group, frame: dataset.frame, dataset: dataset.name, newVersion: newVersion)
        } else {
            guard let keys = args.text(Self.primaryKey) else {
                if store.hasGroup(group) {
                    return InsertOutput(dataset: dataset.name, result: try store.insert(group, frame: dataset.frame, dataset: dataset.name, newVersion: newVersion))
                }
                throw PetalError("a new feature group needs primary_key=COLS", hint: "e.g. features \(group) from \(source) primary_key=id event_time=now")
            }
            let eventTime = args.value(Self.eventTime) ?? "now"
            result = try store.createAndInsert(group, frame: dataset.frame, dataset: dataset.name,
                                               primaryKey: keys.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                                               eventTime: eventTime.lowercased() == "now" ? nil : eventTime, newVersion: newVersion)
        }
        return InsertOutput(dataset: dataset.name, result: result)
    }
}

/// The result of an insert into a feature group.
public struct InsertOutput: CommandOutput {
    public var dataset: String
    public var result: FeatureStore.InsertResult

    public func renderText(width: Int) -> String {
        let r = result
        var parts = ["\(r.newKeys) new key\(r.newKeys == 1 ? "" : "s")"]
        if r.newHistory > 0 { parts.append("\(r.newHistory) newer row\(r.newHistory == 1 ? "" : "s") for known keys (history kept)") }
        if r.replaced > 0 { parts.append("\(r.replaced) replaced (same key and event time)") }
        let head = r.created ? "made feature group \(r.group.label) (primary key \(r.group.primaryKey.joined(separator: ",")), event time \(r.group.eventTime ?? "insert time"))\n" : ""
        return head + "inserted \(dataset) into \(r.group.label): " + parts.joined(separator: ", ")
            + "; \(r.statistics.keys) keys, \(r.statistics.historyRows) rows with history"
    }

    public func json() -> JSONValue {
        .object([("group", .string(result.group.name)), ("version", .int(result.group.version)), ("created", .bool(result.created)),
                 ("dataset", .string(dataset)), ("new_keys", .int(result.newKeys)), ("new_history", .int(result.newHistory)),
                 ("replaced", .int(result.replaced)), ("keys", .int(result.statistics.keys)), ("history_rows", .int(result.statistics.historyRows))])
    }
}

/// The result of `features`: every group version.
public struct FeatureGroupsOutput: CommandOutput {
    public var groups: [FeatureGroup]

    public func renderText(width: Int) -> String {
        guard !groups.isEmpty else { return "no feature groups yet: features NAME from DATASET primary_key=COLS event_time=COL|now" }
        let rows = groups.map { g -> [String] in
            [g.name, String(g.version), g.eventTime ?? "(insert time)", String(g.columns.count), g.statistics.map { String($0.keys) } ?? "0", g.statistics.map { String($0.historyRows) } ?? "0",
             g.statistics.map { TimeArgument.text(Int64($0.updated * 1_000_000)) } ?? ""]
        }
        var table = TextTable(headers: ["group", "version", "event time", "columns", "keys", "rows", "updated"],
                              alignments: [.left, .right, .left, .right, .right, .right, .left], rows: rows)
        table.stickyColumns = 1
        return table.render(width: width)
    }

    public func json() -> JSONValue { .object([("groups", .array(groups.map(FeatureGroupOutput.json)))]) }
}

/// The result of `features NAME`: the latest version's definition, rules and counts.
public struct FeatureGroupOutput: CommandOutput {
    public var group: FeatureGroup
    public var versions: [Int]
    public var expectations: [Expectation]
    public var location: String

    public func renderText(width: Int) -> String {
        var lines = ["feature group \(group.label) (versions \(versions.map(String.init).joined(separator: ", ")))",
                     "  primary key: \(group.primaryKey.joined(separator: ", "))",
                     "  event time:  \(group.eventTime ?? "the time of each insert")",
                     "  columns:     " + group.columns.map { "\($0.name) (\($0.type.rawValue))" }.joined(separator: ", ")]
        if let s = group.statistics {
            lines.append("  rows:        \(s.keys) keys, \(s.historyRows) with history; last insert \(TimeArgument.text(Int64(s.updated * 1_000_000)))")
        }
        lines.append(expectations.isEmpty ? "  expect:      no rules (expect \(group.name) COL between LO HI | not_null | in A,B)"
                     : "  expect:      " + expectations.map { "\($0.column) \($0.rule.text)" }.joined(separator: "; "))
        lines.append("describe \(group.name) shows its statistics")
        return lines.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        guard case .object(var fields) = Self.json(group) else { return Self.json(group) }
        fields.append(("versions", .array(versions.map { .int($0) })))
        fields.append(("location", .string(location)))
        fields.append(("expectations", .array(expectations.map { .object([("column", .string($0.column)), ("rule", .string($0.rule.text))]) })))
        return .object(fields)
    }

    static func json(_ g: FeatureGroup) -> JSONValue {
        .object([("name", .string(g.name)), ("version", .int(g.version)), ("primary_key", .array(g.primaryKey.map { .string($0) })),
                 ("event_time", g.eventTime.map { .string($0) } ?? .null),
                 ("columns", .array(g.columns.map { .object([("name", .string($0.name)), ("type", .string($0.type.rawValue))]) })),
                 ("keys", .int(g.statistics?.keys ?? 0)), ("history_rows", .int(g.statistics?.historyRows ?? 0))])
    }
}
