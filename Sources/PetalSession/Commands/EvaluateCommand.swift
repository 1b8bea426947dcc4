import PetalData
import PetalML

/// `evaluate P on NAME`: scores a fitted pipeline on every row of a data set that has the target column.
public enum EvaluateCommand: PetalCommand {
    public static let name = "evaluate"
    public static let aliases = ["score"]
    public static let syntax = "evaluate P on NAME"
    public static let summary = "score a fitted pipeline on another data set with the same columns"

    public static func complete(_ context: CompletionContext) -> [String] { FitCommand.complete(context) }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let (entry, dataset) = try PipelineArgs.pipelineOnDataset(args, session: session, syntax: syntax)
        guard let fit = entry.fit else { throw DataError("\(entry.name) is not fitted yet", hint: "fit \(entry.name) on DATASET target=COLUMN") }
        let schema = fit.model.schema
        let x = try schema.matrix(dataset.frame, dataset: dataset.name)
        let y = try schema.labels(dataset.frame, dataset: dataset.name)
        let metrics = ClassificationMetrics(truth: y, predicted: fit.model.predict(x), classes: schema.classes)
        return EvaluateOutput(pipeline: entry.name, dataset: dataset.name, rows: x.rows, metrics: metrics)
    }
}

/// The result of `evaluate`.
public struct EvaluateOutput: CommandOutput {
    public var pipeline: String
    public var dataset: String
    public var rows: Int
    public var metrics: ClassificationMetrics

    public func renderText(width: Int) -> String {
        "\(pipeline) on \(dataset) (\(NumberFormat.count(rows)) rows): accuracy \(String(format: "%.4f", metrics.accuracy))"
            + "   f1_macro \(String(format: "%.4f", metrics.macro.f1))\n\n" + metrics.report().trimmingCharacters(in: .newlines)
    }

    public func json() -> JSONValue {
        .object([("pipeline", .string(pipeline)), ("dataset", .string(dataset)), ("rows", .int(rows)),
                 ("metrics", FitOutput.metricsJSON(metrics)), ("run_id", .null)])
    }
}
