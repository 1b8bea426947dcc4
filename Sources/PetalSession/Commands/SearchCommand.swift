import PetalData
import PetalML

/// `search P on NAME target=COL PARAM=v1,v2 … [folds=5] [random=N seed=S]`: tries parameter combinations with
/// cross-validation (scikit-learn's `GridSearchCV` / `RandomizedSearchCV` over the same folds) and keeps the best
/// as a new pipeline `P_best`, refitted on every row searched (scikit-learn's `refit=True`) so it is ready to use.
public enum SearchCommand: PetalCommand {
    public static let name = "search"
    public static let aliases = ["tune"]
    public static let syntax = "search P on NAME target=COL PARAM=v1,v2,… [STEP.PARAM=…] [folds=5] [random=N] [seed=0]"
    public static let summary = "grid or random search of hyperparameters with cross-validation; the best becomes P_best"
    /// Every option but these is a parameter to sweep, so options are not checked against them.
    public static let parsesOwnText = true
    static let target = CommandOption("target", placeholder: "COL", help: "the column to predict (default: the one P was fitted on)")
    static let folds = CommandOption("folds", .integer(2...1000), default: "5", help: "how many stratified folds score each combination")
    static let random = CommandOption("random", .integer(0...100_000), default: "0", help: "try N combinations drawn at random (0: all of them, a grid)")
    // No random_state alias here: random_state=1,2,3 sweeps an estimator's parameter.
    static let seed = CommandOption("seed", .integer(0...Int(UInt32.max)), default: "0", help: "the random draw's seed")
    public static let options = [target, folds, random, seed]
    public static let help = """
        Every other name=value,value option is a parameter to sweep: its scikit-learn name or alias, or
        STEP.PARAM when two steps share a name. All combinations are tried (a grid); random=N tries N of them,
        drawn with seed=. Each is scored by cv on the same folds; the best is stored as P_best, refitted
        on all the rows (as GridSearchCV's refit=True), so predict, export and demo can use it at once.
        Examples:
          search p on iris target=variety k=1,3,5,7,9,15
          search t on penguins target=species trees=50,200 max_depth=3,6,none random=4 seed=1
        """

    public static func complete(_ context: CompletionContext) -> [String] { FitCommand.complete(context) }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let (entry, dataset) = try PipelineArgs.pipelineOnDataset(args, session: session, syntax: syntax)
        let target = args.text(Self.target) ?? entry.fit?.model.schema.target
        let folds = try args.int(Self.folds)
        let random = try args.int(Self.random)
        let seed = try args.int(Self.seed)
        let reserved = Set(CommandOption.names(options))
        let sweeps = args.options.filter { !reserved.contains($0.key.lowercased()) }
        guard !sweeps.isEmpty else {
            throw PetalError("search needs at least one parameter to sweep", hint: "e.g. search \(entry.name) on \(dataset.name) target=\(target ?? "COLUMN") k=1,3,5")
        }
        let base = try PipelineCommand.specifications(try Tokenizer.tokens(entry.text))
        // Which step each swept parameter belongs to.
        var axes: [(step: Int, key: String, values: [String])] = []
        for (key, list) in sweeps {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            let stepName = parts.count == 2 ? parts[0] : nil
            let param = parts.count == 2 ? parts[1] : key
            let candidates = base.indices.filter { i in
                (stepName == nil || base[i].name == stepName) && Steps.entry(named: base[i].name)?.parameter(param) != nil
            }
            guard let step = candidates.last else {
                let known = base.flatMap { s in (Steps.entry(named: s.name)?.parameters ?? []).map(\.name) }
                let close = known.min { Levenshtein.distance($0, param) < Levenshtein.distance($1, param) }
                throw PetalError("no step of \(entry.name) has a parameter \"\(param)\"",
                                hint: close.flatMap { Levenshtein.distance($0, param) <= 2 ? "did you mean \($0)? (names are case-sensitive)" : nil }
                                    ?? "help \(base.last?.name ?? "STEP") lists the parameters")
            }
            let values = list.split(separator: ",").map(String.init).filter { !$0.isEmpty }
            guard !values.isEmpty else { throw PetalError("\(key)= needs values separated by commas", hint: "e.g. k=1,3,5") }
            axes.append((step, param, values))
        }
        // Every combination, or `random` of them drawn reproducibly.
        var combos: [[String]] = [[]]
        for axis in axes { combos = combos.flatMap { c in axis.values.map { c + [$0] } } }
        if random > 0 && random < combos.count {
            var rng = NumpyRandomState(seed: UInt32(seed))
            combos = Array(rng.permutation(combos).prefix(random))
        }
        let (schema, x, y) = try Training.prepare(entry.recipe, dataset: dataset, target: target)
        let recording = RunRecording.start("search", session: session, args: args, pipeline: entry.recipe, pipelineName: entry.name, dataset: dataset,
                                           seed: seed, params: [("target", schema.target), ("folds", String(folds)), ("random", String(random)),
                                                                ("seed", String(seed))] + axes.map { ("sweep." + $0.key, $0.values.joined(separator: ",")) })
        var results: [(parameters: [(String, String)], pipeline: Pipeline, cv: CrossValidation)] = []
        try recording.around {
        for combo in combos {
            var specs = base
            var chosen: [(String, String)] = []
            for (a, value) in combo.enumerated() {
                let axis = axes[a]
                let d = Steps.entry(named: specs[axis.step].name)?.parameter(axis.key)
                var params = specs[axis.step].parameters.filter { p in !(d?.answers(to: p.0) ?? false) }
                if value.lowercased() != "none" { params.append((axis.key, value)) }
                specs[axis.step].parameters = params
                chosen.append((axis.key, value))
            }
            let pipeline = try PipelineCommand.build(specs)
            let cv: CrossValidation
            switch y {
            case .classes(let labels): cv = try CrossValidation.run(pipeline, x: x, labels: labels, schema: schema, folds: folds)
            case .values(let values): cv = try CrossValidation.runRegression(pipeline, x: x, values: values, schema: schema, folds: folds)
            case .none: throw PetalError("search scores predictions, and \(entry.recipe.estimator.name) makes none", hint: "compare k-means runs with fit and their inertia")
            }
            results.append((chosen, pipeline, cv))
        }
        }
        // Best first; ties keep the order tried, so the best is also the first trial run with its score.
        let order = results.indices.sorted { a, b in
            results[a].cv.meanAccuracy != results[b].cv.meanAccuracy ? results[a].cv.meanAccuracy > results[b].cv.meanAccuracy : a < b
        }
        let ranked = order.map { results[$0] }
        guard let best = ranked.first, let bestIndex = order.first else { throw PetalError("nothing to search") }
        let bestName = "\(entry.name)_best"
        let text = best.pipeline.steps.enumerated().map { i, step in
            var params = step.parameterList.map { ($0.name, $0.value) }
            if let selection = best.pipeline.columns[safe: i] ?? nil { params.append(("columns", PipelineOutput.describe(selection))) }
            return ([step.name] + params.map { "\($0.0)=\($0.1)" }).joined(separator: " ")
        }.joined(separator: " | ")
        // Refit on every row searched (GridSearchCV's refit=True), so the best is ready for report, predict and export.
        let all = Array(0..<x.rows)
        let refit = try best.pipeline.fit(x, target: y, schema: schema)
        try refit.checkInput(x)
        let fit = FitResult(model: refit, dataset: dataset.name, split: Split(train: all, test: []), scoredRows: x.rows, scoredX: x,
                            scoredTarget: y, trainTarget: y,
                            seed: UInt32(seed), testFraction: 0, stratified: false)
        session.store(PipelineEntry(name: bestName, recipe: best.pipeline, text: text, fit: fit))
        var output = SearchOutput(pipeline: entry.name, best: bestName, regression: schema.classes.isEmpty,
                                  rows: ranked.map { ($0.parameters, $0.cv.meanAccuracy, $0.cv.stdAccuracy) }, runID: recording.id,
                                  refitRows: x.rows, dataset: dataset.name)
        recording.tag([("best_pipeline", text)])
        let trials = SearchTrials.record(results, parent: recording, session: session, args: args, pipelineName: entry.name, dataset: dataset,
                                         target: schema.target, folds: folds)
        // The parent names its best trial, so `runs` shows the best parameters on its row rather than the base pipeline's.
        if let bestRun = trials[safe: bestIndex] ?? nil {
            recording.tag([("best_run", String(bestRun)), ("best_params", best.parameters.map { "\($0.0)=\($0.1)" }.joined(separator: " "))])
        }
        RunArtifacts.record(output, in: recording)
        output.warnings = recording.warnings
        return output
    }
}

/// The result of `search`: every combination ranked by its mean cross-validated score.
public struct SearchOutput: CommandOutput {
    public var pipeline: String
    public var best: String
    public var regression: Bool
    public var rows: [(parameters: [(String, String)], mean: Double, std: Double)]
    /// The tracked run (nil when tracking is off).
    public var runID: Int? = nil
    /// The rows the best pipeline was refitted on (every row searched), and their data set.
    public var refitRows: Int = 0
    public var dataset: String = ""
    public var warnings: [DataWarning] = []

    public func renderText(width: Int) -> String {
        let keys = rows.first?.parameters.map(\.0) ?? []
        var t = TextTable(headers: ["rank"] + keys + [regression ? "r2" : "accuracy", "± std"],
                          alignments: [.right] + keys.map { _ in .right } + [.right, .right],
                          rows: rows.enumerated().map { k, r in
                              [String(k + 1)] + r.parameters.map(\.1) + [String(format: "%.4f", r.mean), String(format: "%.4f", r.std)]
                          })
        t.stickyColumns = 1
        if t.rows.count > 20 { t.hiddenRows = t.rows.count - 20; t.rows = Array(t.rows.prefix(20)) }
        return "\(pipeline): \(rows.count) combinations, best kept as \(best)\n" + t.render(width: width)
            + (runID.map { "\nrun \($0) recorded (one run per combination, tagged parent_run=\($0))" } ?? "")
            + "\n\(best) is refitted on all \(refitRows) rows of \(dataset) and ready: predict, export or demo it "
            + "(its cross-validated score above is the honest estimate; fit \(best) on DATASET target=COLUMN scores a held-out split)"
    }

    public func json() -> JSONValue {
        .object([("pipeline", .string(pipeline)), ("best", .string(best)), ("results", .array(rows.map { r in
            .object([("parameters", .object(r.parameters.map { ($0.0, .string($0.1)) })),
                     (regression ? "r2" : "accuracy", .number(r.mean)), ("std", .number(r.std))])
        })), ("refit_rows", .int(refitRows)), ("run_id", runID.map { .int($0) } ?? .null)])
    }
}
