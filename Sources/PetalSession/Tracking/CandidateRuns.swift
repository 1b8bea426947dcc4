import PetalData
import PetalML
import PetalTracking

/// The candidates of `leaderboard` and the trials of `automl` as runs of their own (tagged `parent_run`), so
/// `runs where` and `compare` work on them like on any run.
enum CandidateRuns {
    /// Records one scored pipeline as a child of `parent`; returns its run id. A failed, timed-out or cancelled
    /// candidate is recorded with that status and the reason. Nothing is recorded for the baseline row.
    static func record(_ row: LeaderboardRow, kind: String, parent: RunRecording, setup: ComparisonSetup, session: Session,
                       args: Arguments, tags: [(String, String)] = []) -> Int? {
        guard let parentID = parent.id, let pipeline = row.pipeline else { return nil }
        let run = RunRecording.start(kind, session: session, args: args, pipeline: pipeline, pipelineName: row.family, dataset: setup.dataset,
                                     seed: setup.seed, params: setup.params,
                                     tags: [("parent_run", String(parentID)), ("family", row.family)] + tags,
                                     fingerprint: parent.fingerprint, sessionPipeline: false)
        let id = run.id
        switch row.scores.problem {
        case nil:
            run.log(points(row.scores))
            run.finish()
        case .failed(let why)?: _ = try? run.around { throw PetalError(why) }
        case .timedOut(let cap)?: _ = try? run.around { throw PetalError("stopped at the time cap of \(NumberText.shortest(cap)) s") }
        case .cancelled?: _ = try? run.around { throw PetalError("cancelled") }
        }
        if let w = run.warnings.first { parent.note(w) }
        return id
    }

    /// Every metric's mean and standard deviation, each fold's value as a curve (`fold_accuracy`, step = fold),
    /// and the timings and size.
    static func points(_ scores: FoldScores) -> [MetricPoint] {
        var out: [MetricPoint] = []
        for (metric, folds) in scores.metrics.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let mean = scores.mean(metric), std = scores.std(metric)
            if mean.isFinite { out.append(MetricPoint(metric.rawValue, mean)) }
            if std.isFinite { out.append(MetricPoint(metric.rawValue + "_std", std)) }
            for (f, v) in folds.enumerated() where v.isFinite { out.append(MetricPoint("fold_" + metric.rawValue, v, step: f + 1)) }
        }
        out.append(MetricPoint("fit_seconds", scores.meanFitSeconds))
        out.append(MetricPoint("predict_seconds_per_row", scores.predictSecondsPerRow))
        if let bytes = scores.modelBytes { out.append(MetricPoint("model_bytes", Double(bytes))) }
        return out
    }
}
