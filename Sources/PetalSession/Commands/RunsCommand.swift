import Foundation
import PetalData
import PetalTracking

/// `runs [all|deleted] [experiment=NAME|*] [where CONDITION] [sort=KEY] [limit=N] [export to FILE]`: the experiment log.
public enum RunsCommand: PetalCommand {
    public static let name = "runs"
    public static let syntax = "runs [all|deleted] [experiment=NAME|*] [where CONDITION] [sort=[-]KEY] [limit=50] [export to FILE.csv]"
    public static let summary = "list recorded runs with their params and metrics; filter, sort, export"
    public static let parsesOwnText = true
    public static let options = RunQuery.options
    public static let help = """
        Every fit, cv and search records a run in .petal/petal.db. runs lists the current experiment's runs, newest
        first, with the params that differ between them and their metrics (a curve shows last/min/max). A search's
        row scores as its best combination and shows that combination's params; a line under the table names the
        trial run (best: k=5 (run 12)).
          all / deleted        include deleted runs / only deleted runs (delete and restore move them)
          export to FILE.csv   every matching run, one column per attribute, param and metric
          repair               copy every run that can be read from a damaged store into a new file
                               (the old one is kept as petal.db.damaged-TIME)
          sync [tracking_uri=URL]  send the runs not yet there to the MLflow tracking server
                               (MLFLOW_TRACKING_URI, or URL, which then receives every new run too)
        where CONDITION filters with comparisons (=, !=, <, <=, >, >=), IN (…), LIKE "%…%", IS [NOT] NULL,
        AND, OR, NOT and parentheses over params.NAME, metrics.NAME (its last value; .min, .max), tags.NAME and the
        attributes id, experiment, status, kind, pipeline, steps, dataset, seed, fingerprint, note, started, ended,
        duration. A bare name is an attribute, else a metric, else a param (n_neighbors finds knn.n_neighbors).
        Text is quoted. A run without the name never matches a comparison.
        Examples:
          runs where accuracy > 0.9 and (n_neighbors in (3, 5) or tags.stage = "final") sort=-accuracy
          runs where not status = "finished" or pipeline like "%forest%"
          runs export to runs.csv
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        var words = ["where", "all", "deleted", "export", "repair", "and", "or", "not", "in", "like"]
        if let keys = try? context.session.tracker?.store?.knownKeys() {
            words += keys.params.map { "params." + $0 } + keys.metrics.map { "metrics." + $0 } + keys.tags.map { "tags." + $0 }
            words += keys.metrics.map { "sort=-" + $0 }
        }
        return words.filter { $0.hasPrefix(context.partial) }.sorted()
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let tracker = try session.requireTracker()
        if args.rawText.trimmingCharacters(in: .whitespaces).lowercased() == "repair" { return try repair(tracker) }
        let words = args.rawText.split(separator: " ").map(String.init)
        if words.first?.lowercased() == "sync" { return try sync(tracker, options: Array(words.dropFirst())) }
        let store = try tracker.requireStore()
        let query = try RunQuery(args.rawText, verbLength: args.verb.count + 1, syntax: syntax)
        let runs: [RunSummary]
        do {
            runs = try query.run(on: store, experiment: tracker.experiment)
        } catch var error as PetalError where store.damage != nil || error.message.contains("malformed") {
            error.hint = "the tracking store is damaged; `runs repair` copies every run that can be read into a new file"
            throw error
        }
        let scope = query.experiment == "*" ? "every experiment" : "experiment \(query.experiment ?? tracker.experiment)"
        if let path = query.exportPath {
            try RunsExport.write(runs, to: path)
            return MessageOutput("wrote \(NumberFormat.count(runs.count)) run\(runs.count == 1 ? "" : "s") of \(scope) to \(path)",
                                 fields: [("path", .string(path)), ("runs", .int(runs.count))])
        }
        return RunsOutput(scope: scope, runs: runs, limit: query.limit, condition: query.condition,
                          best: RunBest.children(of: runs, store: store))
    }
}

extension RunsCommand {
    /// `runs sync [tracking_uri=URL|off]`: sends the runs not yet on the MLflow server; says how many went and wait.
    static func sync(_ tracker: Tracker, options: [String]) throws -> any CommandOutput {
        for option in options {
            guard option.lowercased().hasPrefix("tracking_uri=") else {
                throw PetalError("runs sync takes only tracking_uri=URL, got \(SourceAddress.redacted(option))",
                                hint: "runs sync tracking_uri=http://localhost:5000")
            }
            let said = try tracker.setServer(String(option.dropFirst("tracking_uri=".count)))
            if tracker.remote == nil { return MessageOutput(said, fields: []) }
        }
        let report = try tracker.syncNow()
        let server = tracker.remote?.server ?? ""
        var text = "sent \(report.sent.count) run\(report.sent.count == 1 ? "" : "s") to MLflow at \(server)"
        if let failure = report.failure { text += "; stopped: \(failure.message)" }
        text += "; \(report.waiting) waiting"
        if report.artifactsSkipped > 0 {
            text += "\nthe server does not serve artifacts (start it with --serve-artifacts): params, metrics and tags were sent, the model files stay in .petal"
        }
        return MessageOutput(text, fields: [("server", .string(server)), ("sent", .int(report.sent.count)), ("waiting", .int(report.waiting)),
                                            ("remote_ids", .array(report.sent.map { .string($0.remoteID) })),
                                            ("error", report.failure.map { .string($0.message) } ?? .null)])
    }

    /// `runs repair`: what was recovered, table by table.
    static func repair(_ tracker: Tracker) throws -> any CommandOutput {
        let report = try tracker.repair()
        let counts = report.rows.map { "\($0.table) \(NumberFormat.count($0.rows))" }.joined(separator: ", ")
        let state = report.checkBefore == "ok" ? "the store was sound" : "the store was damaged (\(report.checkBefore))"
        return MessageOutput("repaired the tracking store: \(state); copied \(counts); the old file is kept as \(report.keptAs)",
                             fields: [("kept", .string(report.keptAs)),
                                      ("rows", .object(report.rows.map { ($0.table, JSONValue.int($0.rows)) }))])
    }
}

/// The result of `runs`: a table of runs (text) or every run in full (JSON).
public struct RunsOutput: CommandOutput {
    public var scope: String
    public var runs: [RunSummary]
    public var limit: Int
    public var condition: String?
    /// Per parent run (a search), its best child: the parent's row shows the child's params and a `best` column.
    public var best: [Int: BestChild] = [:]

    public init(scope: String, runs: [RunSummary], limit: Int, condition: String?, best: [Int: BestChild] = [:]) {
        self.scope = scope; self.runs = runs; self.limit = limit; self.condition = condition; self.best = best
    }

    /// A param as a run's row shows it (a search's row: its best combination's value).
    public func param(_ key: String, of run: RunSummary) -> String? { RunBest.param(key, of: run, best: best) }

    /// The `best` cell of a run's row (empty for runs that are not a search).
    public func bestLabel(_ run: RunSummary) -> String { best[run.id]?.label ?? "" }

    public func renderText(width: Int) -> String {
        let title = "\(NumberFormat.count(runs.count)) run\(runs.count == 1 ? "" : "s") in \(scope)" + (condition.map { " where \($0)" } ?? "")
        guard !runs.isEmpty else {
            return title + (condition == nil ? "\nfit, cv and search record runs; try fit p on iris target=variety" : "")
        }
        let shown = Array(runs.prefix(limit))
        // Params that differ between the listed runs (the same value everywhere says nothing in a table).
        // The headline metrics first (the rest are in run N, --json and export), then params that vary.
        let metricKeys = RunFormatting.metricOrder(Set(shown.flatMap { $0.metrics.keys })).filter(RunFormatting.headline.contains)
        // A param is a column when at least two runs have it and they do not all agree.
        let paramKeys = Set(shown.flatMap { $0.params.keys }).sorted().filter { k in
            let values = shown.compactMap { param(k, of: $0) }
            return values.count > 1 && Set(values).count > 1
        }
        let stepped = Set(metricKeys.filter { k in shown.contains { ($0.metrics[k]?.count ?? 0) > 1 } })
        let headers = ["run", "status", "kind", "pipeline"] + metricKeys.map { stepped.contains($0) ? $0 + " last/min/max" : $0 } + paramKeys
        var table = TextTable(headers: headers,
                              alignments: [.right, .left, .left, .left] + metricKeys.map { _ in .right } + paramKeys.map { _ in .right },
                              rows: shown.map { r in
                                  [String(r.id), r.deleted ? "deleted" : r.status.rawValue, r.kind, r.pipelineName ?? ""]
                                      + metricKeys.map { RunFormatting.metric(r.metrics[$0]) } + paramKeys.map { param($0, of: r) ?? "" }
                              })
        table.stickyColumns = 1
        table.hiddenRows = runs.count - shown.count
        // A search's row scores as its best combination and shows that combination's params; a line under the
        // table says so (a column would push the params off an 80-column table; the runs view has one).
        let notes = shown.compactMap { r in best[r.id].map { "run \(r.id) (\(r.kind)) \($0.label), on its row" } }
        return title + "\n" + table.render(width: width) + notes.map { "\n" + $0 }.joined()
    }

    public func json() -> JSONValue {
        .object([("scope", .string(scope)), ("count", .int(runs.count)), ("runs", .array(runs.map(RunFormatting.json)))])
    }
}

/// `runs export to FILE.csv`: one row per run; attributes, then `params.*`, then `metrics.*` (last; `.min`/`.max` for curves).
enum RunsExport {
    static func write(_ runs: [RunSummary], to path: String) throws {
        let paramKeys = Set(runs.flatMap { $0.params.keys }).sorted()
        let metricKeys = Set(runs.flatMap { $0.metrics.keys }).sorted()
        let stepped = Set(metricKeys.filter { k in runs.contains { ($0.metrics[k]?.count ?? 0) > 1 } })
        var header = ["id", "experiment", "kind", "status", "pipeline", "steps", "dataset", "started", "ended", "duration", "seed", "fingerprint", "note"]
        header += paramKeys.map { "params." + $0 }
        for k in metricKeys { header += stepped.contains(k) ? ["metrics.\(k)", "metrics.\(k).min", "metrics.\(k).max"] : ["metrics." + k] }
        var lines = [header.map(csv).joined(separator: ",")]
        for r in runs {
            var cells = [String(r.id), r.experiment, r.kind, r.status.rawValue, r.pipelineName ?? "", r.pipeline ?? "", r.dataset ?? "",
                         RunFormatting.time(r.started), RunFormatting.time(r.ended), r.duration.map { String($0) } ?? "",
                         r.seed.map(String.init) ?? "", r.fingerprint ?? "", r.note]
            cells += paramKeys.map { r.params[$0] ?? "" }
            for k in metricKeys {
                let m = r.metrics[k]
                cells.append(m?.last.map { String($0) } ?? "")
                if stepped.contains(k) { cells += [m?.min.map { String($0) } ?? "", m?.max.map { String($0) } ?? ""] }
            }
            lines.append(cells.map(csv).joined(separator: ","))
        }
        do { try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw PetalError("cannot write \(path): \(error.localizedDescription)", hint: "check the folder exists and can be written")
        }
    }

    static func csv(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
