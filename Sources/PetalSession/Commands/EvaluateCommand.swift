import PetalData
import PetalML

/// `evaluate P on NAME [by=COL]`: scores a fitted pipeline on every row of a data set that has the target column;
/// with `by=`, also on the rows of each value of a column (error analysis by population).
public enum EvaluateCommand: PetalCommand {
    public static let name = "evaluate"
    public static let aliases = ["score"]
    public static let syntax = "evaluate P on NAME [by=COL]"
    static let by = CommandOption("by", placeholder: "COL", help: "also score the rows of each value of COL apart")
    public static let options = [by]
    public static var help: String {
        summary + """

            P is a fitted pipeline of this session or a registered model: NAME@alias or NAME/version (see models).
            With by=COL the rows of each value of COL are scored apart (any column of NAME, used by the model or not;
            missing values form the group (missing)), with their counts: where the model is weaker, and for whom.
            Example:
              evaluate p on penguins by=island
            """
    }
    public static let summary = "score a fitted pipeline on a data set with the same columns, by=COL per value of a column"

    public static func complete(_ context: CompletionContext) -> [String] {
        if context.partial.hasPrefix("by="), let name = context.previous[safe: 3], let d = try? context.session.dataset(name) {
            return d.frame.columnNames.map { "by=" + $0 }
        }
        return FitCommand.complete(context)
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let (resolved, dataset, x) = try PipelineArgs.fittedOnDataset(args, session: session, syntax: syntax)
        let schema = resolved.model.schema
        let target: Target = schema.target.isEmpty ? .none(rows: x.rows)
            : schema.classes.isEmpty ? .values(try schema.values(dataset.frame, dataset: dataset.name))
            : .classes(try schema.labels(dataset.frame, dataset: dataset.name))
        let evaluation = Training.evaluate(resolved.model, x: x, target: target, trainTarget: target)
        var output = EvaluateOutput(report: ReportOutput(pipeline: resolved.name, dataset: dataset.name, scoredRows: x.rows, trainOnly: false,
                                                         evaluation: evaluation), runID: resolved.runID)
        if let by = args.text(Self.by) {
            if case .none = target {
                throw PetalError("by= scores predictions slice by slice, and \(resolved.name) finds clusters", hint: "counts \(dataset.name).\(by) and fit show the clusters")
            }
            let column = try dataset.frame.requireColumn(by, dataset: dataset.name)
            output.by = by
            output.slices = slices(of: column).map { value, rows in
                (value, rows.count, Training.evaluate(resolved.model, x: x.rows(rows), target: target.rows(rows), trainTarget: target.rows(rows)))
            }
        }
        return output
    }

    /// Row indices by value of `column` (as text), values in the column's sort order, missing values last.
    static func slices(of column: Column) -> [(value: String, rows: [Int])] {
        var groups: [String: [Int]] = [:]
        var first: [String: Int] = [:]
        for i in 0..<column.count {
            let key = column.isValid(i) ? column[i].plainText : "(missing)"
            if first[key] == nil { first[key] = i }
            groups[key, default: []].append(i)
        }
        let keys = groups.keys.sorted { a, b in
            let ia = first[a] ?? 0, ib = first[b] ?? 0
            let missingA = !column.isValid(ia), missingB = !column.isValid(ib)
            if missingA != missingB { return missingB }
            return ValueOrder.compare(column[ia], column[ib]) < 0
        }
        return keys.map { ($0, groups[$0] ?? []) }
    }
}

/// The result of `evaluate`: the report's numbers on another data set (its baseline uses that data's own mean
/// or majority class).
public struct EvaluateOutput: CommandOutput {
    public var report: ReportOutput
    /// The run the model came from, when tracked.
    public var runID: Int? = nil
    /// With `by=`: the column, and each of its values with its row count and scores.
    public var by: String? = nil
    public var slices: [(value: String, rows: Int, evaluation: Evaluation)] = []

    public func renderText(width: Int) -> String {
        var text = report.renderText(width: width)
        guard let by, !slices.isEmpty else { return text }
        let regression: Bool
        if case .regression = report.evaluation { regression = true } else { regression = false }
        let headers = regression ? ["rows", "r2", "rmse", "mae"] : ["rows", "%", "accuracy", "balanced", "f1_macro", "baseline"]
        let total = max(1, slices.reduce(0) { $0 + $1.rows })
        var t = TextTable(headers: [by] + headers, alignments: [.left] + headers.map { _ in .right }, rows: slices.map { s in
            switch s.evaluation {
            case .classification(let m, let baseline, _, _):
                return [s.value, String(s.rows), NumberFormat.percent(s.rows, of: total), String(format: "%.4f", m.accuracy),
                        String(format: "%.4f", m.balancedAccuracy), String(format: "%.4f", m.macro.f1), String(format: "%.4f", baseline)]
            case .regression(let m, _, _):
                return [s.value, String(s.rows), String(format: "%.4f", m.r2), String(format: "%.4f", m.rmse), String(format: "%.4f", m.mae)]
            case .clustering:
                return [s.value, String(s.rows)]
            }
        })
        t.stickyColumns = 1
        text += "\n\nby \(by) (each value's rows scored apart\(regression ? "" : "; baseline: the slice's majority class")):\n" + t.render(width: width)
        return text
    }

    public func json() -> JSONValue {
        var fields: [(String, JSONValue)] = [("pipeline", .string(report.pipeline)), ("dataset", .string(report.dataset)), ("rows", .int(report.scoredRows)),
                                             ("metrics", report.evaluation.metricsJSON), ("run_id", runID.map { .int($0) } ?? .null)]
        if let by {
            fields.append(("by", .string(by)))
            fields.append(("slices", .array(slices.map { s in
                .object([("value", .string(s.value)), ("rows", .int(s.rows)), ("metrics", s.evaluation.metricsJSON)])
            })))
        }
        return .object(fields)
    }
}
