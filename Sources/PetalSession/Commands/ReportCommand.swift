import Foundation
import PetalData
import PetalML

/// `report P`: scikit-learn's classification report, the confusion matrix with class names, and the baseline.
public enum ReportCommand: PetalCommand {
    public static let name = "report"
    public static let syntax = "report P"
    public static let summary = "classification report, confusion matrix and majority-class baseline of a fitted pipeline"

    public static func complete(_ context: CompletionContext) -> [String] { context.session.pipelines.map(\.name) }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a pipeline", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        let entry = try session.pipeline(name)
        guard let fit = entry.fit else {
            throw DataError("\(name) is not fitted yet", hint: "fit \(name) on DATASET target=COLUMN")
        }
        return ReportOutput(pipeline: name, result: fit)
    }
}

/// The result of `report`.
public struct ReportOutput: CommandOutput {
    public var pipeline: String
    public var result: FitResult

    public func renderText(width: Int) -> String {
        let m = result.metrics
        let scored = result.split.test.isEmpty ? "the \(result.truth.count) training rows (test=0)" : "the \(result.truth.count) test rows"
        var text = "\(pipeline) on \(result.dataset), scored on \(scored):\n\n" + m.report().trimmingCharacters(in: .newlines)
        text += "\n\nconfusion matrix (rows: true class, columns: predicted)\n"
        let names = m.classes
        var t = TextTable(headers: [""] + names, alignments: [.left] + names.map { _ in .right },
                          rows: names.indices.map { i in [names[i]] + m.confusion[i].map(String.init) })
        t.stickyColumns = 1
        text += t.render(width: width)
        let delta = m.accuracy - result.baselineAccuracy
        text += String(format: "\n\nbaseline (always %@): accuracy %.4f; the model: %.4f (%@%.4f)", result.baselineClass,
                       result.baselineAccuracy, m.accuracy, delta >= 0 ? "+" : "", delta)
        return text
    }

    public func json() -> JSONValue {
        let m = result.metrics
        return .object([
            ("pipeline", .string(pipeline)), ("dataset", .string(result.dataset)),
            ("classes", .array(m.classes.map { .string($0) })),
            ("per_class", .array(m.classes.indices.map { c in
                .object([("class", .string(m.classes[c])), ("precision", .number(m.precision[c])), ("recall", .number(m.recall[c])),
                         ("f1", .number(m.f1[c])), ("support", .int(m.support[c]))])
            })),
            ("confusion_matrix", .array(m.confusion.map { .array($0.map { .int($0) }) })),
            ("metrics", FitOutput.metricsJSON(m)),
            ("baseline_accuracy", .number(result.baselineAccuracy)), ("baseline_class", .string(result.baselineClass)),
        ])
    }
}
