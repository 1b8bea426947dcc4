import PetalData
import PetalML

/// `evaluate P on NAME`: scores a fitted pipeline on every row of a data set that has the target column.
public enum EvaluateCommand: PetalCommand {
    public static let name = "evaluate"
    public static let aliases = ["score"]
    public static let syntax = "evaluate P on NAME"
    public static var help: String {
        summary + "\nP is a fitted pipeline of this session or a registered model: NAME@alias or NAME/version (see models)."
    }
    public static let summary = "score a fitted pipeline on another data set with the same columns"

    public static func complete(_ context: CompletionContext) -> [String] { FitCommand.complete(context) }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let (resolved, dataset, x) = try PipelineArgs.fittedOnDataset(args, session: session, syntax: syntax)
        let schema = resolved.model.schema
        let target: Target = schema.target.isEmpty ? .none(rows: x.rows)
            : schema.classes.isEmpty ? .values(try schema.values(dataset.frame, dataset: dataset.name))
            : .classes(try schema.labels(dataset.frame, dataset: dataset.name))
        let evaluation = Training.evaluate(resolved.model, x: x, target: target, trainTarget: target)
        return EvaluateOutput(report: ReportOutput(pipeline: resolved.name, dataset: dataset.name, scoredRows: x.rows, trainOnly: false,
                                                   evaluation: evaluation), runID: resolved.runID)
    }
}

/// The result of `evaluate`: the report's numbers on another data set (its baseline uses that data's own mean
/// or majority class).
public struct EvaluateOutput: CommandOutput {
    public var report: ReportOutput
    /// The run the model came from, when tracked.
    public var runID: Int? = nil
    public func renderText(width: Int) -> String { report.renderText(width: width) }
    public func json() -> JSONValue {
        .object([("pipeline", .string(report.pipeline)), ("dataset", .string(report.dataset)), ("rows", .int(report.scoredRows)),
                 ("metrics", report.evaluation.metricsJSON), ("run_id", runID.map { .int($0) } ?? .null)])
    }
}
