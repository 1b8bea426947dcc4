import PetalData
import PetalML

/// `cv P on NAME target=COL [folds=5]`: stratified k-fold cross-validation, as scikit-learn's `cross_val_score`.
public enum CVCommand: PetalCommand {
    public static let name = "cv"
    public static let aliases = ["crossval"]
    public static let syntax = "cv P on NAME target=COL [folds=5]"
    public static let summary = "cross-validate a pipeline: accuracy on each of k stratified folds"
    static let target = CommandOption("target", placeholder: "COL", help: "the column to predict (default: the one P was fitted on)")
    static let folds = CommandOption("folds", .integer(2...1000), default: "5", help: "how many stratified folds")
    public static let options = [target, folds, PipelineArgs.asOf]

    public static func complete(_ context: CompletionContext) -> [String] { FitCommand.complete(context) }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let (entry, dataset) = try PipelineArgs.pipelineOnDataset(args, session: session, syntax: syntax)
        let target = args.text(Self.target) ?? entry.fit?.model.schema.target
        let k = try args.int(Self.folds)
        let (schema, x, y) = try Training.prepare(entry.recipe, dataset: dataset, target: target)
        if case .none = y {
            throw PetalError("cross-validation scores predictions, and \(entry.recipe.estimator.name) makes none",
                            hint: "fit \(entry.name) on \(dataset.name) shows its inertia and silhouette")
        }
        let recording = RunRecording.start("cv", session: session, args: args, pipeline: entry.recipe, pipelineName: entry.name, dataset: dataset,
                                           seed: nil, params: [("target", schema.target), ("folds", String(k))])
        let cv: CrossValidation = try recording.around {
            switch y {
            case .classes(let labels): return try CrossValidation.run(entry.recipe, x: x, labels: labels, schema: schema, folds: k)
            case .values(let values): return try CrossValidation.runRegression(entry.recipe, x: x, values: values, schema: schema, folds: k)
            case .none: throw PetalError("cross-validation scores predictions")
            }
        }
        var output = CVOutput(pipeline: entry.name, dataset: dataset.name, cv: cv, runID: recording.id)
        RunArtifacts.record(output, in: recording)
        output.warnings = recording.warnings
        return output
    }
}

/// The result of `cv`.
public struct CVOutput: CommandOutput {
    public var pipeline: String
    public var dataset: String
    public var cv: CrossValidation
    /// The tracked run (nil when tracking is off).
    public var runID: Int? = nil
    public var warnings: [DataWarning] = []

    public func renderText(width: Int) -> String {
        let regression = cv.task == .regression
        var t = TextTable(headers: ["fold", "train", "test", regression ? "r2" : "accuracy", regression ? "rmse" : "f1_macro"], alignments: [.right, .right, .right, .right, .right],
                          rows: cv.folds.indices.map { f in
                              [String(f + 1), String(cv.folds[f].train.count), String(cv.folds[f].test.count),
                               String(format: "%.4f", cv.accuracy[f]), String(format: "%.4f", cv.f1Macro[f])]
                          })
        t.stickyColumns = 1
        return "\(pipeline) on \(dataset), \(cv.folds.count) \(regression ? "" : "stratified ")folds:\n" + t.render(width: width)
            + String(format: "\n%@ %.4f ± %.4f (mean ± std over folds)", regression ? "r2" : "accuracy", cv.meanAccuracy, cv.stdAccuracy)
            + (runID.map { "\nrun \($0) recorded" } ?? "")
    }

    public func json() -> JSONValue {
        .object([("pipeline", .string(pipeline)), ("dataset", .string(dataset)), ("folds", .int(cv.folds.count)),
                 ("scores", .array(cv.accuracy.map { .number($0) })), (cv.task == .regression ? "rmse" : "f1_macro", .array(cv.f1Macro.map { .number($0) })),
                 ("metrics", cv.task == .regression
                    ? .object([("r2", .number(cv.meanAccuracy)), ("r2_std", .number(cv.stdAccuracy)),
                               ("rmse", .number(cv.f1Macro.reduce(0, +) / Double(max(1, cv.f1Macro.count))))])
                    : .object([("accuracy", .number(cv.meanAccuracy)), ("accuracy_std", .number(cv.stdAccuracy)),
                               ("f1_macro", .number(cv.f1Macro.reduce(0, +) / Double(max(1, cv.f1Macro.count))))])),
                 ("run_id", runID.map { .int($0) } ?? .null)])
    }
}
