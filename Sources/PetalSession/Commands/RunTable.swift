import PetalData
import PetalTracking

/// The runs listing as plain values for the workbench's runs view: a column per field (the headline metrics, a
/// search's best combination, the params that vary), a row per run with its cells as text and as numbers. Views
/// read this and never the tracking store's types (the layer rule in docs/ARCHITECTURE.md).
public struct RunTable: Sendable {
    public struct Column: Sendable, Hashable {
        public let title: String
    }

    public struct Row: Sendable {
        /// How the run stands, for colouring its row (`finished` also covers a cancelled run).
        public enum State: Sendable, Hashable { case finished, running, failed }
        public let id: Int
        /// What made it: `fit`, `cv`, `search`.
        public let kind: String
        public let state: State
        /// One text per column.
        public let cells: [String]
        /// One number per column where the cell is numeric (for sorting and right-aligning), else nil.
        public let numbers: [Double?]
    }

    public let columns: [Column]
    public let rows: [Row]

    /// The title of a search's best-combination column.
    public static let bestTitle = "best"

    /// The view's columns for `output`'s runs: `run`, status, kind, pipeline, data set, the headline metrics,
    /// `best` (when a search is listed), the params whose values differ between runs, start time and duration.
    public init(_ output: RunsOutput) {
        let runs = output.runs
        let metricKeys = RunFormatting.metricOrder(Set(runs.flatMap { $0.metrics.keys })).filter(RunFormatting.headline.contains)
        let paramKeys = Set(runs.flatMap { $0.params.keys }).sorted().filter { k in
            let values = runs.compactMap { output.param(k, of: $0) }
            return values.count > 1 && Set(values).count > 1
        }
        typealias Field = (title: String, text: (RunSummary) -> String, number: (RunSummary) -> Double?)
        var fields: [Field] = [
            ("run", { String($0.id) }, { Double($0.id) }),
            ("status", { $0.deleted ? "deleted" : $0.status.rawValue }, { _ in nil }),
            ("kind", { $0.kind }, { _ in nil }),
            ("pipeline", { $0.pipelineName ?? "" }, { _ in nil }),
            ("dataset", { $0.dataset ?? "" }, { _ in nil }),
        ]
        for k in metricKeys {
            fields.append((k, { RunFormatting.metric($0.metrics[k]) }, { $0.metrics[k]?.value("last") }))
        }
        // A search's row: its best combination (`best: k=5 (run 12)`) and that combination's params.
        if !output.best.isEmpty { fields.append((RunTable.bestTitle, { output.bestLabel($0) }, { _ in nil })) }
        for k in paramKeys {
            fields.append((k.split(separator: ".").last.map(String.init) ?? k, { output.param(k, of: $0) ?? "" },
                           { output.param(k, of: $0).flatMap(Double.init) }))
        }
        fields.append(("started", { RunFormatting.time($0.started) }, { $0.started }))
        fields.append(("took", { RunFormatting.duration($0.duration) }, { $0.duration }))
        columns = fields.map { Column(title: $0.title) }
        rows = runs.map { run in
            let state: Row.State = run.status == .failed ? .failed : run.status == .running ? .running : .finished
            return Row(id: run.id, kind: run.kind, state: state, cells: fields.map { $0.text(run) }, numbers: fields.map { $0.number(run) })
        }
    }
}
