import PetalData
import PetalTracking

/// `compare 3 5 8`: runs side by side — attributes, every param (those that differ marked `*`), metrics, and
/// metric curves as sparklines.
public enum CompareCommand: PetalCommand {
    public static let name = "compare"
    public static let syntax = "compare N N [N …]"
    public static let summary = "show runs side by side: differing params marked *, metric curves as sparklines"

    public static func complete(_ context: CompletionContext) -> [String] { [] }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        guard args.positional.count >= 2 else { throw PetalError("compare needs at least two run numbers", hint: "e.g. compare 3 5 8; runs lists them") }
        let ids = try args.positional.map { try RunFormatting.runID($0, verb: name, syntax: syntax) }
        let store = try session.requireStore()
        return CompareOutput(runs: try ids.map { try store.run($0) })
    }
}

/// The result of `compare`.
public struct CompareOutput: CommandOutput {
    public var runs: [RunDetail]

    /// Params whose value is not the same in every compared run.
    public var differingParams: [String] {
        let keys = Set(runs.flatMap { $0.summary.params.keys }).sorted()
        return keys.filter { k in Set(runs.map { $0.summary.params[k] ?? "" }).count > 1 }
    }

    public func renderText(width: Int) -> String { renderText(in: RenderContext(width: width)) }

    public func renderText(in context: RenderContext) -> String {
        let width = context.width
        let summaries = runs.map(\.summary)
        let differing = Set(differingParams)
        var rows: [[String]] = []
        func row(_ name: String, _ value: (RunDetail) -> String) { rows.append([name] + runs.map(value)) }
        row("kind") { $0.summary.kind }
        row("status") { $0.summary.status.rawValue }
        row("experiment") { $0.summary.experiment }
        row("pipeline") { $0.summary.pipelineName ?? "" }
        row("data") { ($0.summary.dataset ?? "") + ($0.summary.fingerprint.map { " " + $0.prefix(8) } ?? "") }
        let paramKeys = Set(summaries.flatMap { $0.params.keys }).sorted { (differing.contains($0) ? 0 : 1, $0) < (differing.contains($1) ? 0 : 1, $1) }
        for k in paramKeys { row((differing.contains(k) ? "* " : "  ") + k) { $0.summary.params[k] ?? "" } }
        let metricKeys = RunFormatting.metricOrder(Set(summaries.flatMap { $0.metrics.keys }))
        for k in metricKeys {
            row(k) { d in
                guard let m = d.summary.metrics[k] else { return "" }
                if m.count <= 1 { return RunFormatting.number(m.last) }
                let curve = d.curves.first { $0.key == k }?.points.map(\.value) ?? []
                return Sparkline.render(curve, width: 12, unicode: context.unicode) + " " + RunFormatting.number(m.last)
            }
        }
        var table = TextTable(headers: ["run"] + runs.map { String($0.summary.id) }, alignments: [.left] + runs.map { _ in .right }, rows: rows)
        table.stickyColumns = 1
        let marked = differing.isEmpty ? "every param is the same in these runs" : "* marks the \(differing.count) param\(differing.count == 1 ? "" : "s") that differ"
        return table.render(width: width) + "\n" + marked
    }

    public func json() -> JSONValue {
        .object([("runs", .array(runs.map { RunOutput(detail: $0, folder: "").json() })),
                 ("differing_params", .array(differingParams.map { .string($0) }))])
    }
}
