import PetalData
import PetalML

/// `fit P on NAME target=COL [test=0.2] [seed=42] [stratify=false]`: split, fit on the training rows,
/// evaluate on the test rows — the same split and numbers as scikit-learn's `train_test_split` + `fit`.
public enum FitCommand: PetalCommand {
    public static let name = "fit"
    public static let aliases = ["train"]
    public static let syntax = "fit P on NAME target=COL [test=0.2] [seed=42] [stratify=false]"
    public static let summary = "train a pipeline on a data set and score it on a held-out test split"
    static let target = CommandOption("target", placeholder: "COL", help: "the column to predict (required)")
    static let test = CommandOption("test", aliases: ["test_size"], .number(.from(0, below: 1)), default: "0.2",
                                    help: "the share of rows held out (0 trains and scores on every row)")
    static let seed = CommandOption("seed", aliases: ["random_state"], .integer(0...Int(UInt32.max)), default: "42",
                                    help: "the split's random seed")
    static let stratify = CommandOption("stratify", .flag, default: "false", help: "true keeps each class's share in both parts")
    static let autoEncode = CommandOption("auto_encode", .flag, default: "true",
                                          help: "false refuses text columns instead of one-hot encoding them")
    static let orderBy = CommandOption("order_by", placeholder: "COL",
                                       help: "no shuffling: the latest rows by COL (a date, say) are the test rows — the honest split for data that arrive over time")
    public static let options = [target, test, seed, stratify, autoEncode, orderBy, PipelineArgs.asOf]
    public static let help = """
        Splits the rows as scikit-learn's train_test_split(test_size=test, random_state=seed, stratify=y
        if stratify) does, fits every step on the training rows only, and scores the test rows.
        Example:
          fit p on iris target=variety test=0.2 seed=42
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        switch context.previous.count {
        case 1: return context.session.pipelines.map(\.name)
        case 2: return ["on"]
        case 3: return context.session.datasets.map(\.name)
        default:
            if context.partial.hasPrefix("target="), let d = try? context.session.dataset(context.previous[3]) {
                return d.frame.columnNames.map { "target=" + $0 }
            }
            return []
        }
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let (entry, dataset) = try PipelineArgs.pipelineOnDataset(args, session: session, syntax: syntax)
        let target = args.text(Self.target)
        let fraction = try args.number(Self.test)
        let seedValue = try args.int(Self.seed)
        let stratify = try args.bool(Self.stratify)

        let autoEncode = try args.bool(Self.autoEncode)
        // The run's data fingerprint is hashed on the other core while the split, the matrices and the fit are made;
        // the run is written to the store there once it is (`RunRecording.start(…, pending:)`).
        let fingerprint = RunRecording.fingerprintSoon(dataset, session: session)
        // Targets first (to split on); the features are built once, from the training rows' categories, below.
        let (allRowsSchema, y) = try Training.schemaAndTarget(entry.recipe, dataset: dataset, target: target, autoEncode: autoEncode)
        let rowCount = dataset.frame.rowCount
        let testCount = try TrainTestSplit.testCount(rows: rowCount, fraction: fraction)
        let seed = UInt32(seedValue)
        var split = Split(train: Array(0..<rowCount), test: [])
        if testCount > 0 {
            guard rowCount - testCount >= 1 else { throw PetalError("test=\(fraction) leaves no rows to train on") }
            if let orderBy = args.text(Self.orderBy) {
                let column = try dataset.frame.requireColumn(orderBy, dataset: dataset.name)
                let order = (0..<rowCount).sorted { a, b in
                    let c = ValueOrder.compare(column[a], column[b])
                    return c != 0 ? c < 0 : a < b
                }
                split = Split(train: Array(order[0..<(order.count - testCount)]), test: Array(order[(order.count - testCount)...]))
            } else if stratify {
                guard case .classes(let labels) = y else {
                    throw PetalError("stratify=true needs a class target", hint: "leave stratify out for regression and clustering")
                }
                split = try TrainTestSplit.stratified(labels: labels, testCount: testCount, seed: seed)
            } else {
                split = TrainTestSplit.random(rows: rowCount, testCount: testCount, seed: seed)
            }
        }
        // Categories of text columns are learned from the training rows only.
        // (Numbers alone learn nothing from the rows: the schema inferred above is the one.)
        let schema = allRowsSchema.learnsCategories
            ? try Training.schemaAndTarget(entry.recipe, dataset: dataset, target: target, trainRows: split.train, autoEncode: autoEncode).0
            : allRowsSchema
        // The training and test rows' matrices in one pass over the columns (no matrix of every row to gather from).
        var trainX: Matrix
        let testX: Matrix, noNaN: Bool
        (trainX, testX, noNaN) = try schema.splitMatrices(dataset.frame, dataset: dataset.name, train: split.train, test: split.test)
        let trainTarget = y.rows(split.train)
        // The scored rows' features: the test rows, or (test=0) the training rows, which the fit then leaves as they are.
        let scoredX = split.test.isEmpty ? trainX : testX
        let control = LoadControl()
        session.loadObserver?.loadStarted(control, path: "fitting \(entry.name)")
        defer { session.loadObserver?.loadEnded(control) }
        let recording = RunRecording.start("fit", session: session, args: args, pipeline: entry.recipe, pipelineName: entry.name, dataset: dataset,
                                           seed: seedValue, params: [("target", schema.target), ("test", NumberText.shortest(fraction)),
                                                                     ("seed", String(seedValue)), ("stratify", String(stratify))],
                                           pending: fingerprint)
        var result = try recording.around {
            // The fit is handed the only reference to the training matrix, so a scaler writes over it (no new matrix).
            let model = try entry.recipe.fit(Self.take(&trainX), target: trainTarget, schema: schema, control: control, noNaN: noNaN)
            let scored = split.test.isEmpty ? split.train : split.test
            let scoredTarget = split.test.isEmpty ? trainTarget : y.rows(scored)
            let transformedX = try model.checkedInput(scoredX, noNaN: noNaN)
            return FitResult(model: model, dataset: dataset.name, split: split, scoredRows: scored.count,
                             scoredX: scoredX, transformedX: transformedX, scoredTarget: scoredTarget, trainTarget: trainTarget,
                             seed: seed, testFraction: fraction, stratified: stratify)
        }
        result.runID = recording.id
        result.view = dataset.view
        var output = FitOutput(pipeline: entry.name, result: result, warnings: Training.encodingWarnings(schema, pipeline: entry.recipe))
        RunArtifacts.record(output, in: recording)
        output.warnings += recording.warnings
        // A fit stopped early by Ctrl-C that kept its model so far says so (the MLP does).
        output.warnings += control.notes.map { DataWarning($0) }
        if let target, entry.recipe.estimator.tasks == [.clustering] {
            output.warnings.append(DataWarning("\(entry.recipe.estimator.name) ignores target=\(target): clustering learns no labels; \(target) was only left out of the features"))
        }
        var updated = entry
        updated.fit = result
        session.store(updated)
        return output
    }
}

extension FitCommand {
    /// `matrix`, leaving an empty one in its place (so the caller keeps no reference to its values).
    static func take(_ matrix: inout Matrix) -> Matrix {
        let out = matrix
        matrix = Matrix(rows: 0, columns: 0, values: [])
        return out
    }
}

/// Shared parsing of `P on NAME`.
enum PipelineArgs {
    /// `as_of=DATE`, for every command that reads `P on NAME` where NAME may be a feature view.
    static let asOf = CommandOption("as_of", placeholder: "DATE",
                                    help: "when NAME is a feature view: its rows as of DATE (default now); a run records the view, its version and the as-of time")

    static func pipelineOnDataset(_ args: Arguments, session: Session, syntax: String) throws -> (PipelineEntry, Dataset) {
        let p = try args.required(0, "a pipeline", syntax: syntax)
        guard args.positional[safe: 1]?.lowercased() == "on", let d = args.positional[safe: 2] else {
            throw PetalError("\(args.verb) needs on DATASET", hint: "usage: \(syntax)")
        }
        try args.checkPositional(max: 3, syntax: syntax)
        let asOf = try args.text(PipelineArgs.asOf).map { try TimeArgument.micros($0, option: PipelineArgs.asOf.name) }
        return (try session.pipeline(p), try session.datasetOrView(d, asOf: asOf))
    }

    /// `P on NAME` for a fitted model — a session pipeline or a registered `NAME@alias` / `NAME/version` — and the
    /// data set's features, checked for missing values.
    static func fittedOnDataset(_ args: Arguments, session: Session, syntax: String) throws -> (ResolvedModel, Dataset, Matrix) {
        let p = try args.required(0, "a pipeline or a registered model", syntax: syntax)
        guard args.positional[safe: 1]?.lowercased() == "on", let d = args.positional[safe: 2] else {
            throw PetalError("\(args.verb) needs on DATASET", hint: "usage: \(syntax)")
        }
        try args.checkPositional(max: 3, syntax: syntax)
        let resolved = try session.fittedModel(reference: p)
        let dataset = try session.dataset(d)
        let x = try resolved.model.schema.matrix(dataset.frame, dataset: dataset.name)
        try resolved.model.checkInput(x)
        return (resolved, dataset, x)
    }
}

/// The result of `fit`.
public struct FitOutput: CommandOutput {
    public var pipeline: String
    public var result: FitResult
    public var warnings: [DataWarning] = []

    public func renderText(width: Int) -> String {
        let rows = result.split.test.isEmpty
            ? "\(result.split.train.count) rows (test=0: scored on the training rows)"
            : "\(result.split.train.count) train / \(result.split.test.count) test rows"
        return """
            fitted \(pipeline) on \(result.dataset)\(result.model.schema.target.isEmpty ? "" : " → " + result.model.schema.target): \(rows), seed \(result.seed)\(result.stratified ? ", stratified" : "")
              \(result.evaluation.summaryLine)
            \(result.runID.map { "run \($0) recorded · " } ?? "")report \(pipeline) shows the full report
            """
    }

    public func json() -> JSONValue {
        .object([
            ("pipeline", .string(pipeline)), ("dataset", .string(result.dataset)), ("target", .string(result.model.schema.target)),
            ("task", .string(result.model.task.rawValue)),
            ("train_rows", .int(result.split.train.count)), ("test_rows", .int(result.split.test.count)),
            ("seed", .int(Int(result.seed))), ("stratify", .bool(result.stratified)),
            ("metrics", result.evaluation.metricsJSON),
            ("run_id", result.runID.map { .int($0) } ?? .null),
        ])
    }
}
