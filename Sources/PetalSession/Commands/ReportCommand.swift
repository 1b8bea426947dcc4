import Foundation
import PetalData
import PetalML

/// `report P`: for a classifier, scikit-learn's classification report, balanced accuracy, Matthews correlation
/// and Cohen's kappa, the confusion matrix with class names and the majority-class baseline; for a regressor, MAE, MSE, RMSE and R² beside the mean baseline.
public enum ReportCommand: PetalCommand {
    public static let name = "report"
    public static let syntax = "report P"
    public static let summary = "the full evaluation of a fitted pipeline, with its baseline"

    public static func complete(_ context: CompletionContext) -> [String] { context.session.pipelines.map(\.name) }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a pipeline", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        let entry = try session.pipeline(name)
        return ReportOutput(pipeline: name, fit: try entry.fitted())
    }
}

/// The result of `report` (and the body of `evaluate`).
public struct ReportOutput: CommandOutput {
    public var pipeline: String
    public var dataset: String
    public var scoredRows: Int
    public var trainOnly: Bool
    public var evaluation: Evaluation
    /// What steps learned that is worth showing (a PCA's explained variance), by step.
    public var learned: [(step: String, values: [(name: String, values: [Double])])] = []

    public init(pipeline: String, dataset: String, scoredRows: Int, trainOnly: Bool, evaluation: Evaluation,
                learned: [(step: String, values: [(name: String, values: [Double])])] = []) {
        self.pipeline = pipeline; self.dataset = dataset; self.scoredRows = scoredRows; self.trainOnly = trainOnly
        self.evaluation = evaluation; self.learned = learned
    }

    /// The report of `pipeline`'s fit, built from the fit result itself (the workbench shows it after `fit`
    /// without running a `report` command line).
    public init(pipeline: String, fit: FitResult) {
        self.init(pipeline: pipeline, dataset: fit.dataset, scoredRows: fit.scoredRows, trainOnly: fit.split.test.isEmpty,
                  evaluation: fit.evaluation, learned: fit.model.learnedSummaries)
    }

    public func renderText(width: Int) -> String {
        let scored = trainOnly ? "the \(scoredRows) training rows (test=0)" : "\(scoredRows) held-out rows"
        var text = "\(pipeline) on \(dataset), scored on \(scored):\n\n"
        switch evaluation {
        case .classification(let m, let baseline, let cls, let probabilities):
            text += m.report().trimmingCharacters(in: .newlines)
            text += "\n\nbalanced accuracy " + String(format: "%.4f", m.balancedAccuracy) + "   Matthews correlation "
                + String(format: "%.4f", m.matthews) + "   Cohen's kappa " + (m.kappa.map { String(format: "%.4f", $0) } ?? "n/a")
            if let probabilities {
                let auc = probabilities.rocAUC.map { String(format: "%.4f", $0) } ?? "n/a (a class is missing from these rows)"
                text += "\n\nROC AUC \(m.classes.count == 2 ? "" : "(one-vs-rest, macro) ")\(auc)   log loss "
                    + String(format: "%.4f", probabilities.logLoss)
            }
            text += "\n\nconfusion matrix (rows: true class, columns: predicted)\n"
            var t = TextTable(headers: [""] + m.classes, alignments: [.left] + m.classes.map { _ in .right },
                              rows: m.classes.indices.map { i in [m.classes[i]] + m.confusion[i].map(String.init) })
            t.stickyColumns = 1
            text += t.render(width: width)
            let delta = m.accuracy - baseline
            text += String(format: "\n\nbaseline (always %@): accuracy %.4f; the model: %.4f (%@%.4f)", cls, baseline, m.accuracy,
                           delta >= 0 ? "+" : "", delta)
        case .regression(let m, let b, let mean):
            let t = TextTable(headers: ["", "model", "baseline"], alignments: [.left, .right, .right], rows: [
                ["MAE", String(format: "%.4f", m.mae), String(format: "%.4f", b.mae)],
                ["MSE", String(format: "%.4f", m.mse), String(format: "%.4f", b.mse)],
                ["RMSE", String(format: "%.4f", m.rmse), String(format: "%.4f", b.rmse)],
                ["R²", String(format: "%.4f", m.r2), String(format: "%.4f", b.r2)],
            ])
            text += t.render(width: width) + "\n\nbaseline: always predict the training mean, \(NumberFormat.single(mean))"
        case .clustering(let inertia, let silhouette, let sizes, let noise):
            let total = max(1, sizes.reduce(0, +) + noise)
            var rows = sizes.indices.map { [String($0), String(sizes[$0]), NumberFormat.percent(sizes[$0], of: total)] }
            if noise > 0 { rows.append(["-1 (noise)", String(noise), NumberFormat.percent(noise, of: total)]) }
            var t = TextTable(headers: ["cluster", "rows", "%"], alignments: [.right, .right, .right], rows: rows)
            t.stickyColumns = 1
            text += t.render(width: width)
            text += "\n\ninertia " + NumberFormat.single(inertia) + " (sum of squared distances to the centres; lower is tighter)"
            text += "\nsilhouette " + (silhouette.map { String(format: "%.4f", $0) } ?? "n/a")
                + " (from -1 to 1; above 0.5 the clusters are well apart)"
        }
        for (step, values) in learned {
            for (key, numbers) in values {
                text += "\n\(step) \(key.replacingOccurrences(of: "_", with: " ")): " + numbers.map { String(format: "%.4f", $0) }.joined(separator: " ")
                if key.hasSuffix("ratio") { text += String(format: " (%.4f in all)", numbers.reduce(0, +)) }
            }
        }
        return text
    }

    public func json() -> JSONValue {
        var fields: [(String, JSONValue)] = [("pipeline", .string(pipeline)), ("dataset", .string(dataset)), ("rows", .int(scoredRows)),
                                             ("metrics", evaluation.metricsJSON)]
        switch evaluation {
        case .classification(let m, let baseline, let cls, _):
            fields += [
                ("classes", .array(m.classes.map { .string($0) })),
                ("per_class", .array(m.classes.indices.map { c in
                    .object([("class", .string(m.classes[c])), ("precision", .number(m.precision[c])), ("recall", .number(m.recall[c])),
                             ("f1", .number(m.f1[c])), ("support", .int(m.support[c]))])
                })),
                ("confusion_matrix", .array(m.confusion.map { .array($0.map { .int($0) }) })),
                ("baseline_accuracy", .number(baseline)), ("baseline_class", .string(cls)),
            ]
        case .regression(_, let b, let mean):
            fields += [("baseline", .object([("r2", .number(b.r2)), ("rmse", .number(b.rmse)), ("mae", .number(b.mae)), ("mse", .number(b.mse))])),
                       ("baseline_mean", .number(mean))]
        case .clustering:
            break
        }
        if !learned.isEmpty {
            fields.append(("learned", .array(learned.map { step, values in
                .object([("step", .string(step))] + values.map { ($0.name, .array($0.values.map { .number($0) })) })
            })))
        }
        return .object(fields)
    }
}
