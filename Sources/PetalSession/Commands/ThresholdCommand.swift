import Foundation
import PetalData
import PetalML

/// `threshold P x`: sets a binary classifier's decision threshold — a row is the positive (second) class when its
/// probability reaches x — in the fitted model itself, so `report`, `predict`, `export` (model.json, petal.json,
/// the ONNX graph), `petal serve` and the demo form all apply the same cut. `threshold P none` goes back to the
/// most probable class; `threshold P` shows the current one.
public enum ThresholdCommand: PetalCommand {
    public static let name = "threshold"
    public static let syntax = "threshold P [x|none]"
    public static let summary = "set the decision threshold of a binary classifier (what export, serve and demo apply)"
    public static let help = """
        A binary classifier calls a row positive (its second class, in sorted order) when the probability of that
        class is at least x, as scikit-learn's FixedThresholdClassifier; the default is the most probable class
        (x = 0.5, except for models such as svm that decide labels by their own rule). Lower x finds more positives
        (recall up, precision down). The threshold is kept in the fitted model: report shows the metrics at it,
        and predict, export (model.json, petal.json, model.onnx), petal serve and demo apply it. Fitting again
        starts without one. curves P shows the precision-recall trade-off to choose x from.
        Examples:
          threshold p 0.35
          threshold p none
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        context.previous.count == 1 ? context.session.pipelines.filter { $0.fit?.model.schema.classes.count == 2 }.map(\.name) : ["0.5", "none"]
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a fitted binary classifier", syntax: syntax)
        try args.checkPositional(max: 2, syntax: syntax)
        var entry = try session.pipeline(name)
        var fit = try entry.fitted()
        let classes = fit.model.schema.classes
        guard let text = args.positional[safe: 1] else {
            return ThresholdOutput(pipeline: name, positive: classes.count == 2 ? classes[1] : nil, threshold: fit.model.threshold, before: nil, after: nil)
        }
        let value: Double?
        if text.lowercased() == "none" { value = nil } else {
            guard let v = Double(text), v.isFinite, (0...1).contains(v) else {
                throw PetalError("threshold takes a probability from 0 to 1, or none; \(text) is not one", hint: "e.g. threshold \(name) 0.35")
            }
            value = v
        }
        let model = try fit.model.withThreshold(value)
        guard case .classification(let before, let baseline, let baselineClass, let probabilities) = fit.evaluation,
              case .classes(let truth) = fit.scoredTarget else {
            throw PetalError("\(name) is not a classifier")
        }
        let after = ClassificationMetrics(truth: truth, predicted: model.predict(fit.scoredX), classes: classes)
        fit.model = model
        fit.evaluation = .classification(after, baselineAccuracy: baseline, baselineClass: baselineClass, probabilities: probabilities)
        entry.fit = fit
        session.store(entry)
        return ThresholdOutput(pipeline: name, positive: classes[1], threshold: value, before: before, after: after)
    }
}

/// The result of `threshold`: the cut, and the scored rows' metrics before and after it.
public struct ThresholdOutput: CommandOutput {
    public var pipeline: String
    public var positive: String?
    public var threshold: Double?
    public var before: ClassificationMetrics?
    public var after: ClassificationMetrics?

    var rule: String {
        guard let positive else { return "the most probable class" }
        return threshold.map { "\(positive) when P(\(positive)) ≥ \(NumberText.shortest($0))" } ?? "the most probable class (no threshold)"
    }

    public func renderText(width: Int) -> String {
        guard let before, let after else { return "\(pipeline) predicts \(rule)" }
        let p = 1
        var t = TextTable(headers: ["", "before", "after"], alignments: [.left, .right, .right], rows: [
            ["accuracy", String(format: "%.4f", before.accuracy), String(format: "%.4f", after.accuracy)],
            ["balanced accuracy", String(format: "%.4f", before.balancedAccuracy), String(format: "%.4f", after.balancedAccuracy)],
            ["precision (\(positive ?? ""))", String(format: "%.4f", before.precision[safe: p] ?? 0), String(format: "%.4f", after.precision[safe: p] ?? 0)],
            ["recall (\(positive ?? ""))", String(format: "%.4f", before.recall[safe: p] ?? 0), String(format: "%.4f", after.recall[safe: p] ?? 0)],
            ["f1 (\(positive ?? ""))", String(format: "%.4f", before.f1[safe: p] ?? 0), String(format: "%.4f", after.f1[safe: p] ?? 0)],
        ])
        t.stickyColumns = 1
        return "\(pipeline) now predicts \(rule)\n" + t.render(width: width)
            + "\nreport, predict, export, serve and demo apply it; report \(pipeline) shows the full report"
    }

    public func json() -> JSONValue {
        func metrics(_ m: ClassificationMetrics?) -> JSONValue {
            guard let m else { return .null }
            return .object([("accuracy", .number(m.accuracy)), ("balanced_accuracy", .number(m.balancedAccuracy)),
                            ("precision", .number(m.precision[safe: 1])), ("recall", .number(m.recall[safe: 1])), ("f1", .number(m.f1[safe: 1]))])
        }
        return .object([("pipeline", .string(pipeline)), ("positive_class", positive.map { .string($0) } ?? .null),
                        ("threshold", .number(threshold)), ("before", metrics(before)), ("after", metrics(after))])
    }
}
