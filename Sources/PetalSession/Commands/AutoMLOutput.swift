import Foundation
import PetalData
import PetalML

/// The result of `automl` (and, unfinished, its live progress): the budget used, the best pipelines by
/// cross-validation on the training rows, and the chosen one's score on the held-out rows.
public struct AutoMLOutput: CommandOutput {
    public var dataset: String
    public var target: String
    public var metric: ScoreMetric
    public var budget: Double
    public var folds: Int
    /// The name the fitted pipeline is stored under.
    public var pipeline: String
    /// False when timings must not be printed (notebooks: the budget runs on a virtual clock).
    public var showsTimes = true
    /// Trials that have left the search so far.
    public var trials = 0
    /// Seconds of the budget used by the search.
    public var elapsed = 0.0
    /// The best trial scored on every fold (best so far while running).
    public var best: AutoTrial?
    /// The best five complete trials, best first.
    public var leaders: [AutoTrial] = []
    /// The final fit of the best pipeline on the training rows, scored on the held-out rows.
    public var result: FitResult?
    /// Seconds the final fit took (after the budget).
    public var finalFitSeconds = 0.0
    public var stopped = false
    public var finished = true
    public var runID: Int?
    public var warnings: [DataWarning] = []

    public func renderText(width: Int) -> String {
        let used = showsTimes ? String(format: "%.1f of %@ s", elapsed, NumberText.shortest(budget)) : "a budget of \(NumberText.shortest(budget)) s"
        var text = "automl on \(dataset) → \(target): \(trials) trial\(trials == 1 ? "" : "s") in \(used), \(folds)-fold cv on the training rows, by \(metric.rawValue)"
        guard finished else {
            if let best {
                text += String(format: "\n  best so far: %.4f ± %.4f  ", best.scores.mean(metric), best.scores.std(metric)) + PipelineText.full(best.pipeline)
            }
            return text
        }
        if !leaders.isEmpty {
            var table = TextTable(headers: ["rank", "trial", metric.rawValue + " ± std", "pipeline"], alignments: [.right, .right, .right, .left],
                                  rows: leaders.enumerated().map { k, t in
                                      [String(k + 1), String(t.number), String(format: "%.4f ± %.4f", t.scores.mean(metric), t.scores.std(metric)),
                                       Self.short(t.pipeline)]
                                  })
            table.stickyColumns = 3
            text += "\n" + table.render(width: width)
        }
        if stopped { text += "\nstopped with Ctrl-C: the best pipeline so far is kept" }
        if let best, best.foldsScored < folds {
            text += "\nthe budget ran out before any pipeline was scored on every fold: the best on \(best.foldsScored) of \(folds) folds is kept (give it more time=)"
        }
        if let result {
            text += "\nbest: " + PipelineText.full(result.model.recipe)
            text += "\nfitted \(pipeline) on \(result.split.train.count) training rows; held-out \(result.split.test.count) rows:\n  " + result.evaluation.summaryLine
        }
        if let runID { text += "\nrun \(runID) recorded (one run per trial, tagged parent_run=\(runID))" }
        text += "\nreport \(pipeline) shows the full report"
        return text
    }

    /// `imputer | standard_scaler | svm C=12.3 gamma=0.01`: the steps, and the parameters that differ from defaults.
    static func short(_ pipeline: Pipeline) -> String {
        pipeline.steps.map { step in
            let changed = step.descriptors.compactMap { d -> String? in
                let v = step.values.text(d)
                return v == d.defaultValue || d.name == "random_state" ? nil : "\(d.name)=\(v)"
            }
            return ([step.name] + changed).joined(separator: " ")
        }.joined(separator: " | ")
    }

    public func json() -> JSONValue {
        var fields: [(String, JSONValue)] = [("dataset", .string(dataset)), ("target", .string(target)), ("metric", .string(metric.rawValue)),
                                             ("budget_seconds", .number(budget)), ("elapsed_seconds", .number(elapsed)),
                                             ("final_fit_seconds", .number(finalFitSeconds)), ("trials", .int(trials)),
                                             ("stopped", .bool(stopped)), ("pipeline", .string(pipeline))]
        if let best {
            fields.append(("best", .object([("pipeline", .string(PipelineText.full(best.pipeline))), ("family", .string(best.family)),
                                            ("cv_mean", LeaderboardOutput.number(best.scores.mean(metric))),
                                            ("cv_std", LeaderboardOutput.number(best.scores.std(metric))), ("folds_scored", .int(best.foldsScored))])))
        }
        fields.append(("leaders", .array(leaders.map { t in
            .object([("trial", .int(t.number)), ("pipeline", .string(PipelineText.full(t.pipeline))),
                     ("cv_mean", LeaderboardOutput.number(t.scores.mean(metric))), ("cv_std", LeaderboardOutput.number(t.scores.std(metric)))])
        })))
        if let result {
            fields += [("train_rows", .int(result.split.train.count)), ("test_rows", .int(result.split.test.count)),
                       ("metrics", result.evaluation.metricsJSON)]
        }
        fields.append(("run_id", runID.map { .int($0) } ?? .null))
        return .object(fields)
    }
}
