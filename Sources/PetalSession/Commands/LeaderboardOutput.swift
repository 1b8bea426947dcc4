import Foundation
import PetalData
import PetalML

/// One row of a leaderboard: a candidate pipeline (or the baseline) and its cross-validated scores.
public struct LeaderboardRow: Sendable {
    /// The estimator's step name, or `baseline`.
    public var family: String
    /// nil for the baseline (majority class or training mean).
    public var pipeline: Pipeline?
    public var scores: FoldScores
    /// True when the corrected t-test does not find it worse than the best row (the best row itself too).
    public var notWorse = false
    /// The test's two-sided p-value against the best row (nil for the best and when untestable).
    public var pValue: Double?
    /// Its tracked run (nil when tracking is off).
    public var runID: Int?

    public var isBaseline: Bool { pipeline == nil }
    /// The pipeline as `imputer | standard_scaler | knn`, or how the baseline predicts.
    public var text: String { pipeline.map { $0.steps.map(\.name).joined(separator: " | ") } ?? "baseline" }
}

/// The result of `leaderboard` (and the warm start of `automl`): rows ranked by the metric's mean over the same
/// folds, the baseline among them, marks from the corrected resampled paired t-test.
public struct LeaderboardOutput: CommandOutput {
    public var dataset: String
    public var target: String
    public var task: LearningTask
    public var metric: ScoreMetric
    public var folds: Int
    /// Ranked, best first; candidates that failed or ran out of time last.
    public var rows: [LeaderboardRow]
    /// How many candidates there were in all (more than the rows when stopped early).
    public var candidates: Int
    /// True when Ctrl-C stopped the comparison: the rows are the candidates that finished.
    public var stopped = false
    /// False while the comparison is still running (the workbench's live table).
    public var finished = true
    /// False when timings must not be printed (notebooks).
    public var showsTimes = true
    public var runID: Int?
    public var warnings: [DataWarning] = []

    /// Ranks `rows` by `metric` and marks those not significantly worse than the best candidate.
    static func ranked(_ rows: [LeaderboardRow], metric: ScoreMetric, testFraction: Double) -> [LeaderboardRow] {
        let scored = rows.filter { $0.scores.ok && !$0.scores.mean(metric).isNaN }
        let failed = rows.filter { !($0.scores.ok && !$0.scores.mean(metric).isNaN) }
        var ranked = scored.sorted { a, b in
            let (ma, mb) = (a.scores.mean(metric), b.scores.mean(metric))
            return ma != mb ? metric.better(ma, than: mb) : (a.isBaseline ? false : b.isBaseline ? true : a.family < b.family)
        }
        guard let best = ranked.first(where: { !$0.isBaseline }), let bestFolds = best.scores.metrics[metric] else { return ranked + failed }
        for i in ranked.indices {
            guard let folds = ranked[i].scores.metrics[metric] else { continue }
            if ranked[i].family == best.family && !ranked[i].isBaseline { ranked[i].notWorse = true; continue }
            // Differences in the metric's good direction: positive when the best row is better.
            let (a, b) = metric.higherIsBetter ? (bestFolds, folds) : (folds, bestFolds)
            guard let test = PairedTTest.corrected(a, b, testFraction: testFraction) else { continue }
            ranked[i].pValue = test.p
            ranked[i].notWorse = test.p >= 0.05 || test.t <= 0
        }
        return ranked + failed
    }

    public func renderText(width: Int) -> String {
        let shown = ScoreMetric.main(for: task)
        let order = [metric] + shown.filter { $0 != metric }
        let ok = rows.filter(\.scores.ok)
        // The least important columns in the middle: a narrow table elides them first.
        var table = TextTable(headers: ["rank", "", "family", metric.rawValue + " ± std"] + order.dropFirst().map(\.rawValue)
                              + ["preprocessing"] + (showsTimes ? ["fit s", "µs/row"] : []) + ["size"],
                              alignments: [.right, .left, .left, .right] + order.dropFirst().map { _ in .right }
                              + [.left] + (showsTimes ? [.right, .right] : []) + [.right], rows: [])
        var rank = 0
        for row in ok {
            if !row.isBaseline { rank += 1 }
            let main = String(format: "%.4f ± %.4f", row.scores.mean(metric), row.scores.std(metric))
            let others = order.dropFirst().map { m in row.scores.mean(m).isNaN ? "–" : String(format: "%.4f", row.scores.mean(m)) }
            let prep = row.pipeline.map { $0.steps.dropLast().map(\.name).joined(separator: " ") } ?? ""
            let times = showsTimes
                ? [row.isBaseline ? "–" : String(format: "%.3f", row.scores.meanFitSeconds),
                   row.isBaseline ? "–" : String(format: "%.1f", row.scores.predictSecondsPerRow * 1e6)] : []
            table.rows.append([row.isBaseline ? "" : String(rank), row.notWorse ? "✓" : "",
                               row.isBaseline ? (task == .classification ? "baseline (majority)" : "baseline (mean)") : row.family, main]
                              + others + [prep.isEmpty ? "–" : prep] + times + [row.scores.modelBytes.map(Self.bytes) ?? "–"])
        }
        table.stickyColumns = 4
        let done = rows.filter { !$0.isBaseline }.count
        var text = "leaderboard of \(dataset) → \(target): \(candidates) candidate\(candidates == 1 ? "" : "s"), \(folds) \(task == .classification ? "stratified " : "")folds, ranked by \(metric.rawValue)"
        if !finished { text += " — \(done) of \(candidates) done" }
        text += "\n" + table.render(width: width)
        for row in rows where !row.scores.ok {
            switch row.scores.problem {
            case .failed(let why)?: text += "\n  \(row.family): failed — \(why)"
            case .timedOut(let cap)?: text += "\n  \(row.family): stopped at its time cap of \(NumberText.shortest(cap)) s"
            case .cancelled?: text += "\n  \(row.family): cancelled"
            case nil: break
            }
        }
        if stopped { text += "\nstopped with Ctrl-C: \(done) of \(candidates) candidates finished" }
        text += "\n" + TextWidth.wrap("✓ not significantly worse than the best over the folds: " + PairedTTest.name, width: max(20, width)).joined(separator: "\n")
        if let runID { text += "\nrun \(runID) recorded (one run per candidate, tagged parent_run=\(runID))" }
        return text
    }

    static func bytes(_ n: Int) -> String {
        n < 1024 ? "\(n) B" : n < 1024 * 1024 ? String(format: "%.0f KB", Double(n) / 1024) : String(format: "%.1f MB", Double(n) / 1048576)
    }

    public func json() -> JSONValue {
        .object([("dataset", .string(dataset)), ("target", .string(target)), ("task", .string(task.rawValue)),
                 ("metric", .string(metric.rawValue)), ("folds", .int(folds)), ("candidates", .int(candidates)),
                 ("test", .string(PairedTTest.name)), ("stopped", .bool(stopped)),
                 ("rows", .array(rows.map(Self.rowJSON))), ("run_id", runID.map { .int($0) } ?? .null)])
    }

    static func rowJSON(_ row: LeaderboardRow) -> JSONValue {
        var fields: [(String, JSONValue)] = [("family", .string(row.family)), ("baseline", .bool(row.isBaseline)),
                                             ("pipeline", row.pipeline.map { .string(PipelineText.full($0)) } ?? .null),
                                             ("ok", .bool(row.scores.ok))]
        let metrics = ScoreMetric.allCases.compactMap { m in
            row.scores.metrics[m].map { folds in
                (m.rawValue, JSONValue.object([("mean", Self.number(row.scores.mean(m))), ("std", Self.number(row.scores.std(m))),
                                               ("folds", .array(folds.map(Self.number)))]))
            }
        }
        fields += [("metrics", .object(metrics)), ("not_significantly_worse", .bool(row.notWorse)),
                   ("p_value", row.pValue.map(Self.number) ?? .null),
                   ("fit_seconds", .number(row.scores.meanFitSeconds)), ("predict_seconds_per_row", .number(row.scores.predictSecondsPerRow)),
                   ("model_bytes", row.scores.modelBytes.map { .int($0) } ?? .null)]
        switch row.scores.problem {
        case .failed(let why)?: fields.append(("problem", .string("failed: " + why)))
        case .timedOut(let cap)?: fields.append(("problem", .string("time cap of \(NumberText.shortest(cap)) s")))
        case .cancelled?: fields.append(("problem", .string("cancelled")))
        case nil: break
        }
        fields.append(("run_id", row.runID.map { .int($0) } ?? .null))
        return .object(fields)
    }

    static func number(_ v: Double) -> JSONValue { v.isFinite ? .number(v) : .null }
}
