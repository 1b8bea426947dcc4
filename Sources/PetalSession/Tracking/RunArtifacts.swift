import Foundation
import PetalData
import PetalML
import PetalTracking

/// The metrics a tracked command's result records, so that recording and `replay` read the same numbers.
protocol TrackedOutput: CommandOutput {
    var runMetrics: [MetricPoint] { get }
}

extension FitOutput: TrackedOutput {
    /// The evaluation's metrics, and for gradient boosting the curve over rounds.
    var runMetrics: [MetricPoint] { RunRecording.points(result.evaluation) + RunArtifacts.boostingCurve(result) }
}

extension CVOutput: TrackedOutput {
    /// The means over folds, and each fold's scores as a curve (`fold_accuracy` step 1…k).
    var runMetrics: [MetricPoint] {
        var out: [MetricPoint] = []
        if case .object(let fields) = json(), case .object(let metrics)? = fields.first(where: { $0.0 == "metrics" })?.1 {
            for (k, v) in metrics { if case .number(let d) = v { out.append(MetricPoint(k, d)) } }
        }
        let regression = cv.task == .regression
        for (f, score) in cv.accuracy.enumerated() { out.append(MetricPoint(regression ? "fold_r2" : "fold_accuracy", score, step: f + 1)) }
        for (f, score) in cv.f1Macro.enumerated() { out.append(MetricPoint(regression ? "fold_rmse" : "fold_f1_macro", score, step: f + 1)) }
        return out
    }
}

extension SearchOutput: TrackedOutput {
    /// The best combination's mean score and its std, and every combination's mean by rank (`ranked_accuracy`, step = rank).
    var runMetrics: [MetricPoint] {
        let key = regression ? "r2" : "accuracy"
        var out: [MetricPoint] = []
        // The search scores as its best combination does (so `runs where accuracy > …` compares it with cv runs).
        if let best = rows.first { out += [MetricPoint(key, best.mean), MetricPoint(key + "_std", best.std)] }
        for (rank, r) in rows.enumerated() { out.append(MetricPoint("ranked_" + key, r.mean, step: rank + 1)) }
        return out
    }
}

/// Writes a tracked command's metrics and artifacts and ends its run.
enum RunArtifacts {
    static func record(_ output: some TrackedOutput, in recording: RunRecording) {
        recording.log(output.runMetrics)
        recording.finish()
    }

    /// `fit`: metrics, the report, the confusion matrix (classes) and the model as data.
    static func record(_ output: FitOutput, in recording: RunRecording) {
        let result = output.result
        recording.log(output.runMetrics)
        let report = ReportOutput(pipeline: output.pipeline, fit: result)
        recording.artifact("report.txt", Data((report.renderText(width: 100) + "\n").utf8))
        if case .classification(let m, _, _, _) = result.evaluation {
            let json = JSONValue.object([("classes", .array(m.classes.map { .string($0) })),
                                         ("matrix", .array(m.confusion.map { .array($0.map { .int($0) }) }))])
            recording.artifact("confusion_matrix.json", Data((json.serialized() + "\n").utf8))
        }
        recording.artifact(ModelArtifact.name) { try ModelArtifact.write(result.model, toFile: $0) }
        recording.finish()
    }

    /// For gradient boosting: the scored rows' metric after each round (`round_accuracy` / `round_rmse`, step = round),
    /// from the fitted rounds (no refitting).
    static func boostingCurve(_ result: FitResult) -> [MetricPoint] {
        guard let staged = result.model.stagedScores(result.scoredX, target: result.scoredTarget) else { return [] }
        return staged.values.enumerated().map { MetricPoint(staged.key, $0.element, step: $0.offset + 1) }
    }
}

/// `search`'s combinations as runs of their own (kind `search-trial`, tagged `parent_run`), so `runs where` and
/// `compare` work on them like on any run.
enum SearchTrials {
    /// Records one run per combination; returns their ids in `results`' order (nil where none was recorded).
    @discardableResult
    static func record(_ results: [(parameters: [(String, String)], pipeline: Pipeline, cv: CrossValidation)], parent: RunRecording,
                       session: Session, args: Arguments, pipelineName: String, dataset: Dataset, target: String, folds: Int) -> [Int?] {
        guard let parentID = parent.id else { return [] }
        var ids: [Int?] = []
        for (k, r) in results.enumerated() {
            let trial = RunRecording.start("search-trial", session: session, args: args, pipeline: r.pipeline, pipelineName: pipelineName,
                                           dataset: dataset, seed: nil, params: [("target", target), ("folds", String(folds))],
                                           tags: [("parent_run", String(parentID)), ("trial", String(k + 1))], fingerprint: parent.fingerprint)
            ids.append(trial.id)
            RunArtifacts.record(CVOutput(pipeline: pipelineName, dataset: dataset.name, cv: r.cv, runID: trial.id), in: trial)
            if let w = trial.warnings.first { parent.note(w); return ids }
        }
        return ids
    }
}

extension RunRecording {
    /// Adds a warning from related work (a search's trial runs) to this run's command output.
    func note(_ warning: DataWarning) { appendWarning(warning) }
}
