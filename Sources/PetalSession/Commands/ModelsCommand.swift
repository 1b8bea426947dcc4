import PetalData
import PetalTracking

/// `models`: the registered models with their versions, runs and aliases.
public enum ModelsCommand: PetalCommand {
    public static let name = "models"
    public static let syntax = "models"
    public static let summary = "list registered models: versions, the runs they came from, aliases"

    public static func complete(_ context: CompletionContext) -> [String] { [] }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        try args.checkPositional(max: 0, syntax: syntax)
        let store = try session.requireStore()
        let models = try store.models()
        let runs = try store.runs(visibility: .all)
        var metric: [Int: String] = [:]
        for r in runs {
            if let (k, v) = ["accuracy", "r2", "inertia"].lazy.compactMap({ k in r.metrics[k]?.last.map { (k, $0) } }).first {
                metric[r.id] = "\(k) \(RunFormatting.number(v))"
            }
        }
        return ModelsOutput(models: models, scores: metric)
    }
}

/// The result of `models`.
public struct ModelsOutput: CommandOutput {
    public var models: [RegisteredModel]
    /// A run's headline metric, by run id.
    public var scores: [Int: String]

    public func renderText(width: Int) -> String {
        guard !models.isEmpty else { return "no registered models yet: register P as NAME" }
        var rows: [[String]] = []
        for m in models {
            for v in m.versions.reversed() {
                let aliases = m.aliases.filter { $0.version == v.version }.map { "@" + $0.alias }.joined(separator: " ")
                rows.append([m.name, String(v.version), String(v.run), scores[v.run] ?? "", aliases])
            }
        }
        var table = TextTable(headers: ["model", "version", "run", "score", "aliases"], alignments: [.left, .right, .right, .left, .left], rows: rows)
        table.stickyColumns = 1
        return table.render(width: width)
    }

    public func json() -> JSONValue {
        .object([("models", .array(models.map { m in
            .object([("name", .string(m.name)),
                     ("versions", .array(m.versions.map { .object([("version", .int($0.version)), ("run_id", .int($0.run))]) })),
                     ("aliases", .object(m.aliases.map { ($0.alias, .int($0.version)) }))])
        }))])
    }
}
