import PetalData
import PetalML
import PetalTracking

/// `automl NAME target=COL time=SECONDS [metric=…] [seed=N] [folds=5] [test=0.2] [as P]`: holds out a test split,
/// searches pipelines on the training rows within the time budget (`AutoSearch`: successive halving, warm-started
/// from every family's defaults), fits the best on the training rows and scores it on the held-out rows, as `fit`.
public enum AutoMLCommand: PetalCommand {
    public static let name = "automl"
    public static let syntax = "automl NAME target=COL time=SECONDS [metric=M] [seed=N] [folds=5] [test=0.2] [as P]"
    public static let summary = "search preprocessing × family × hyperparameters within a time budget; the best becomes a fitted pipeline"
    static let time = CommandOption("time", .number(.above(0, atMost: 86_400)), placeholder: "SECONDS",
                                    help: "the budget (required; the search stops within it, the final fit comes after)")
    static let seed = CommandOption("seed", aliases: ["random_state"], .integer(0...Int(UInt32.max)), default: "42",
                                    help: "the search's draws and the split (same seed, same trials on the same machine)")
    static let test = CommandOption("test", aliases: ["test_size"], .number(.above(0, below: 1)), default: "0.2",
                                    help: "the share of rows held out (stratified for classes) to score the best pipeline on")
    public static let options = [ComparisonSetup.target, time, ComparisonSetup.metric, seed, ComparisonSetup.folds, test]
    public static let help = """
        Holds out test= of the rows (stratified for classes, seed=), then searches on the rest: every
        family at its defaults first (as leaderboard), then pipelines sampled around the best families —
        hyperparameters from each family's declared search ranges, the scaler and imputer its recipe calls
        for — by successive halving: each is scored on one fold, the best third on three, the best of those
        on every fold. The best pipeline is fitted on the training rows and scored on the held-out rows:
        report P, export P and demo P work as after fit. as P names the pipeline (default NAME_automl).
        Every trial is a run under one parent run. No ensemble is built: the answer is one pipeline.
        Example:
          automl penguins target=species time=30 as best
        """

    public static func complete(_ context: CompletionContext) -> [String] { LeaderboardCommand.complete(context) }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        guard args.text(Self.time) != nil else {
            throw PetalError("automl needs time=SECONDS, its budget", hint: "e.g. automl \(args.positional.first ?? "NAME") target=COL time=30")
        }
        let seconds = try args.number(Self.time)
        let fraction = try args.number(Self.test)
        let seedValue = try args.int(Self.seed)
        let setup = try ComparisonSetup(args, session: session, syntax: syntax, testFraction: fraction, splitSeed: UInt32(seedValue))
        guard let split = setup.split else { throw PetalError("automl needs a held-out split") }
        let outName = args.alias ?? "\(setup.dataset.name)_automl"
        let candidates = try setup.candidates(families: nil, exclude: [])
        // Notebooks: a virtual clock, so the same trials run on every machine (see WorkBudget).
        let budget = WorkBudget(seconds: seconds, virtualSecondsPerFit: session.measuresTime ? nil : 0.1)
        let search = AutoSearch(plan: setup.plan, metric: setup.metric, budget: budget, seed: seedValue)
        let recording = RunRecording.start("automl", session: session, args: args, pipeline: nil, pipelineName: outName, dataset: setup.dataset,
                                           seed: seedValue, params: setup.params + [("time", NumberText.shortest(seconds)),
                                                                                    ("test", NumberText.shortest(fraction))])
        let control = LoadControl()
        control.setTotal(Int(seconds * 10))
        session.loadObserver?.loadStarted(control, path: "automl \(setup.dataset.name)")
        defer { session.loadObserver?.loadEnded(control) }
        var output = AutoMLOutput(dataset: setup.dataset.name, target: setup.schema.target, metric: setup.metric, budget: seconds,
                                  folds: setup.folds, pipeline: outName, showsTimes: session.measuresTime)
        let trials = search.run(candidates: candidates, control: control) { trial in
            var row = LeaderboardRow(family: trial.family, pipeline: trial.pipeline, scores: trial.scores)
            row.runID = CandidateRuns.record(row, kind: "automl-trial", parent: recording, setup: setup, session: session, args: args,
                                             tags: [("bracket", String(trial.bracket)), ("folds_scored", String(trial.foldsScored))])
            output.trials += 1
            if trial.complete, trial.scores.ok,
               output.best.map({ setup.metric.better(trial.scores.mean(setup.metric), than: $0.scores.mean(setup.metric)) }) ?? true {
                output.best = trial
            }
            output.elapsed = budget.elapsed
            control.advance(by: max(0, Int(budget.elapsed * 10) - control.progress.done))
            var live = output
            live.finished = false
            session.loadObserver?.partialResult(live)
        }
        output.elapsed = budget.elapsed
        output.stopped = control.isCancelled
        guard let best = search.best(of: trials) else {
            _ = try? recording.around { throw PetalError("no pipeline was scored on a fold within \(NumberText.shortest(seconds)) s") }
            throw PetalError("automl scored no pipeline on a fold within \(NumberText.shortest(seconds)) s",
                            hint: output.stopped ? "it was stopped with Ctrl-C" : "give it more time=, or try leaderboard with fewer folds=")
        }
        output.best = best
        output.leaders = Array(trials.filter { $0.foldsScored == best.foldsScored && $0.scores.ok }
            .sorted { setup.metric.better($0.scores.mean(setup.metric), than: $1.scores.mean(setup.metric)) }.prefix(5))
        // The final fit: the best pipeline on the training rows, scored on the held-out rows.
        let fitStart = budget.elapsed
        let trainX = setup.x.rows(split.train), testX = setup.x.rows(split.test)
        let trainY = setup.y.rows(split.train), testY = setup.y.rows(split.test)
        let final = RunRecording.start("fit", session: session, args: args, pipeline: best.pipeline, pipelineName: outName, dataset: setup.dataset,
                                       seed: seedValue, params: [("target", setup.schema.target), ("test", NumberText.shortest(fraction)),
                                                                 ("seed", String(seedValue)), ("stratify", String(setup.plan.task == .classification))],
                                       tags: recording.id.map { [("parent_run", String($0))] } ?? [], fingerprint: recording.fingerprint,
                                       sessionPipeline: false)
        var result = try final.around {
            let model = try best.pipeline.fit(trainX, target: trainY, schema: setup.schema)
            try model.checkInput(testX)
            return FitResult(model: model, dataset: setup.dataset.name, split: split, scoredRows: split.test.count, scoredX: testX,
                             scoredTarget: testY, trainTarget: trainY,
                             seed: UInt32(seedValue), testFraction: fraction, stratified: setup.plan.task == .classification)
        }
        result.runID = final.id
        output.finalFitSeconds = budget.isVirtual ? 0 : budget.elapsed - fitStart
        RunArtifacts.record(FitOutput(pipeline: outName, result: result), in: final)
        output.result = result
        let text = PipelineText.full(best.pipeline)
        session.store(PipelineEntry(name: outName, recipe: best.pipeline, text: text, fit: result))
        output.runID = recording.id
        recording.tag([("best_pipeline", text)])
        recording.log(CandidateRuns.points(best.scores) + RunRecording.points(result.evaluation).map { MetricPoint("test_" + $0.key, $0.value) })
        recording.finish()
        output.warnings = recording.warnings + final.warnings
        return output
    }
}
