import Foundation
import PetalData
import PetalML

/// `leaderboard NAME target=COL [folds=5] [metric=…] [families=a,b] [exclude=…] [time=…] [seed=]`: every
/// registered family that does the target's task, each with the preprocessing its recipe declares it needs,
/// cross-validated on the same folds (PyCaret's `compare_models`, Weka's Experimenter).
public enum LeaderboardCommand: PetalCommand {
    public static let name = "leaderboard"
    public static let aliases = ["compare_models"]
    public static let syntax = "leaderboard NAME target=COL [folds=5] [metric=M] [families=a,b] [exclude=a,b] [time=S] [seed=N]"
    public static let summary = "cross-validate every model family on the same folds and rank them, with a significance test"
    static let families = CommandOption("families", placeholder: "a,b", help: "only these estimators")
    static let exclude = CommandOption("exclude", placeholder: "a,b", help: "leave these estimators out")
    static let time = CommandOption("time", .number(.above(0)), placeholder: "S",
                                    help: "stop a candidate that takes longer than S seconds (it is listed as stopped)")
    static let seed = CommandOption("seed", aliases: ["random_state"], .integer(0...Int(UInt32.max)), placeholder: "N",
                                    help: "random_state for the families that take one")
    public static let options = [ComparisonSetup.target, ComparisonSetup.folds, ComparisonSetup.metric, families, exclude, time, seed]
    public static let help = """
        Every registered estimator that fits the target (classes or numbers) is a candidate, with what its
        recipe declares it needs: an imputer when the data has missing values and the family does not
        handle them, one_hot for text columns, standard_scaler (or min_max_scaler) for families that
        depend on the scale. All are scored on the same folds (stratified for classes), folds in parallel.
        The baseline row predicts the training folds' majority class (or mean). ✓ marks rows the corrected
        resampled paired t-test (Nadeau & Bengio) does not find worse than the best. Each candidate is a
        run under one parent run. In the workbench the table fills in as candidates finish; Ctrl-C stops
        and keeps the finished rows.
        Examples:
          leaderboard penguins target=species
          leaderboard iris target=variety families=knn,svm,random_forest metric=f1_macro
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        if context.previous.count == 1 { return context.session.datasets.map(\.name) }
        if context.partial.hasPrefix("target="), let name = context.previous[safe: 1], let d = try? context.session.dataset(name) {
            return d.frame.columnNames.map { "target=" + $0 }
        }
        if context.partial.hasPrefix("families=") || context.partial.hasPrefix("exclude=") {
            let key = context.partial.hasPrefix("families=") ? "families=" : "exclude="
            return Steps.all.filter(\.isEstimator).map { key + $0.name }
        }
        return []
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let setup = try ComparisonSetup(args, session: session, syntax: syntax)
        let seconds = try args.optionalNumber(Self.time)
        let candidates = try setup.candidates(families: args.list(Self.families), exclude: args.list(Self.exclude) ?? [])
        let recording = RunRecording.start("leaderboard", session: session, args: args, pipeline: nil, pipelineName: "leaderboard", dataset: setup.dataset,
                                           seed: setup.seed, params: setup.params + [("candidates", String(candidates.count))]
                                               + (seconds.map { [("time", NumberText.shortest($0))] } ?? []))
        let control = LoadControl()
        control.setTotal(candidates.count)
        session.loadObserver?.loadStarted(control, path: "leaderboard \(setup.dataset.name)")
        defer { session.loadObserver?.loadEnded(control) }
        var output = setup.output(rows: [], candidates: candidates.count, session: session)
        output.rows = [LeaderboardRow(family: "baseline", pipeline: nil, scores: setup.plan.baseline())]
        for candidate in candidates {
            if control.isCancelled { output.stopped = true; break }
            let scores = setup.plan.score(candidate.pipeline, control: control, seconds: seconds)
            if scores.problem == .cancelled { output.stopped = true; break }
            var row = LeaderboardRow(family: candidate.family, pipeline: candidate.pipeline, scores: scores)
            row.runID = CandidateRuns.record(row, kind: "leaderboard-candidate", parent: recording, setup: setup, session: session, args: args)
            output.rows.append(row)
            output.rows = LeaderboardOutput.ranked(output.rows, metric: setup.metric, testFraction: setup.plan.testFraction)
            control.advance(by: 1)
            var live = output
            live.finished = false
            session.loadObserver?.partialResult(live)
        }
        output.runID = recording.id
        if let best = output.rows.first(where: { !$0.isBaseline && $0.scores.ok }) {
            recording.tag([("best_family", best.family), ("best_pipeline", best.pipeline.map(PipelineText.full) ?? "")])
            recording.log(CandidateRuns.points(best.scores))
        }
        recording.finish()
        output.warnings = recording.warnings
        return output
    }
}

/// What `leaderboard` and `automl` share: the data set, target, metric, features and folds, and the seed.
struct ComparisonSetup {
    /// The options both commands read here (`seed=` is each command's own: its default differs).
    static let target = CommandOption("target", placeholder: "COL", help: "the column to predict (required)")
    static let folds = CommandOption("folds", .integer(2...100), default: "5", help: "how many folds (stratified for classes)")
    static let metric = CommandOption("metric", .choice(ScoreMetric.allCases.map(\.rawValue)),
                                      help: "what ranks them: accuracy, f1_macro, roc_auc, log_loss for classes (default accuracy); r2, rmse, mae for numbers (default r2)")

    let dataset: Dataset
    let schema: FeatureSchema
    /// Folds over the rows compared on: every row, or the training rows of `split`.
    let plan: FoldPlan
    let metric: ScoreMetric
    let seed: Int?
    let folds: Int
    /// `automl`'s held-out split (nil for `leaderboard`, which compares on every row), with every row's
    /// features and targets.
    let split: Split?
    let x: Matrix
    let y: Target

    /// - Parameters:
    ///   - testFraction: rows held out before comparing (`automl`); their categories are not learned from.
    ///   - splitSeed: the held-out split's seed (stratified for classes).
    init(_ args: Arguments, session: Session, syntax: String, testFraction: Double? = nil, splitSeed: UInt32 = 42) throws {
        let name = try args.required(0, "a data set", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        dataset = try session.dataset(name)
        guard let target = args.text(Self.target) else {
            throw PetalError("\(args.verb) needs target=COLUMN, the column to predict",
                            hint: "columns of \(dataset.name): " + dataset.frame.columnNames.joined(separator: ", "))
        }
        folds = try args.int(Self.folds)
        // random_state for the families: only when seed= is given (automl's seed= default is for its split and draws).
        seed = args.text(LeaderboardCommand.seed) == nil ? nil : try args.int(LeaderboardCommand.seed)
        var split: Split?
        if let testFraction {
            let (_, all) = try Training.comparisonData(dataset: dataset, target: target, buildMatrix: false)
            let testCount = try TrainTestSplit.testCount(rows: dataset.frame.rowCount, fraction: testFraction)
            guard testCount > 0, testCount < dataset.frame.rowCount else {
                throw PetalError("test=\(NumberText.shortest(testFraction)) leaves no rows to \(testCount == 0 ? "score on" : "train on")",
                                hint: "for example test=0.2")
            }
            switch all.y {
            case .classes(let labels): split = try TrainTestSplit.stratified(labels: labels, testCount: testCount, seed: splitSeed)
            default: split = TrainTestSplit.random(rows: dataset.frame.rowCount, testCount: testCount, seed: splitSeed)
            }
        }
        self.split = split
        let (schema, data) = try Training.comparisonData(dataset: dataset, target: target, trainRows: split?.train)
        self.schema = schema
        x = data.x; y = data.y
        metric = try ScoreMetric.named(args.text(Self.metric), task: y.task)
        if let split {
            plan = try FoldPlan(x: x.rows(split.train), target: y.rows(split.train), schema: schema, folds: folds)
        } else {
            plan = try FoldPlan(x: x, target: y, schema: schema, folds: folds)
        }
    }

    /// The candidates of the registry for this data, with `random_state=seed` where a family takes one.
    func candidates(families: [String]?, exclude: [String]) throws -> [ModelCandidate] {
        try ModelCandidates.derive(task: plan.task, traits: ModelCandidates.traits(x: plan.x, schema: schema),
                                   families: families, exclude: exclude).map(seeded)
    }

    /// `candidate` with its estimator's `random_state` set to the seed, when both exist.
    func seeded(_ candidate: ModelCandidate) throws -> ModelCandidate {
        guard let seed, let last = candidate.pipeline.steps.last, last.descriptors.contains(where: { $0.name == "random_state" }) else { return candidate }
        var out = candidate
        out.pipeline = try Pipeline(steps: candidate.pipeline.steps.dropLast() + [try last.setting("random_state", to: String(seed))])
        return out
    }

    /// Parameters every comparison run records.
    var params: [(String, String)] {
        [("target", schema.target), ("folds", String(folds)), ("metric", metric.rawValue)] + (seed.map { [("seed", String($0))] } ?? [])
    }

    func output(rows: [LeaderboardRow], candidates: Int, session: Session) -> LeaderboardOutput {
        LeaderboardOutput(dataset: dataset.name, target: schema.target, task: plan.task, metric: metric, folds: folds, rows: rows,
                          candidates: candidates, showsTimes: session.measuresTime)
    }
}
