import PetalData
import PetalML
import PetalFeatures
import PetalTracking

/// `predict P on NAME [as OUT]`: a new data set with the predicted class and each class's probability.
public enum PredictCommand: PetalCommand {
    public static let name = "predict"
    public static let syntax = "predict P on NAME [as OUT] [log_to=GROUP [key=COLS]]"
    static let logTo = CommandOption("log_to", placeholder: "GROUP", help: "keep the predictions in this feature group (made on first use)")
    static let key = CommandOption("key", placeholder: "COLS", help: "with log_to=: the logged rows' key columns (default: every input column)")
    public static let options = [logTo, key]
    public static let summary = "add predictions (and class probabilities) to a data set, stored as OUT"
    public static let help = """
        Adds the predicted class and one p_<class> probability per class (predicted for regression,
        cluster for clustering) to a copy of NAME, stored as OUT (NAME_predicted by default).
        P is a fitted pipeline, a registered model (NAME@alias or NAME/version, see models), or a bundle
        folder written by export (checked against its input schema). With a bundle, a number that is not finite
        (inf, or NaN where the model has no imputer), or inputs that overflow inside the pipeline so that an
        answer would not be a finite number, stop the command with an error naming the field and row: no row
        ever gets a label with empty probabilities.
        With log_to=GROUP the predictions are kept in feature group GROUP (made on first use): the input columns, prediction,
        model (NAME/VERSION for a registered model) and predicted_at, keyed by key=COLS (default: every input
        column), so outcomes inserted later into another group join by key (monitor MODEL on OUTCOMES log=GROUP).
        Examples:
          predict p on iris as scored
          predict iris@champion on new_flowers log_to=predictions
          predict bundles/iris on new_flowers
        """

    public static func complete(_ context: CompletionContext) -> [String] { FitCommand.complete(context) }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        if let first = args.positional.first, PredictWithBundle.applies(first, in: session) {
            return try PredictWithBundle.run(args, in: session, syntax: syntax)
        }
        let (resolved, dataset, x) = try PipelineArgs.fittedOnDataset(args, session: session, syntax: syntax)
        let fit = resolved
        let schema = fit.model.schema
        var frame = dataset.frame
        if let assigned = fit.model.clusters(x) {
            frame = try frame.appending(Column(name: "cluster", storage: .int(assigned.labels.map(Int64.init))))
        } else if let values = fit.model.predictValues(x) {
            frame = try frame.appending(Column(name: "predicted", storage: .float(values)))
        } else {
            let proba = fit.model.predictProba(x)
            let predicted = fit.model.predict(x)
            frame = try frame.appending(Column.fromValues(name: "predicted", predicted.map { .text(schema.classes[$0]) }))
            for (c, cls) in schema.classes.enumerated() {
                frame = try frame.appending(Column(name: "p_\(cls)", storage: .float((0..<x.rows).map { proba[$0, c] })))
            }
        }
        var logged: FeatureStore.InsertResult?
        if let group = args.text(Self.logTo) {
            let column = try frame.requireColumn(schema.target.isEmpty ? "cluster" : "predicted")
            let model = (try? session.requireStore().resolve(resolved.name)).map { "\($0.model)/\($0.version)" } ?? resolved.name
            let store = try session.requireFeatureStore()
            let log = try PredictionLog.frame(inputs: dataset.frame, target: schema.target, predictions: column, model: model, time: session.featureClockNow())
            logged = try PredictionLog.insert(log, into: group, key: args.text(Self.key).map { $0.split(separator: ",").map(String.init) }, store: store)
        }
        let out = try args.alias.map(OpenCommand.validName) ?? "\(dataset.name)_predicted"
        session.store(frame, as: out, source: "predict \(resolved.name) on \(dataset.name)")
        let shown = frame.head(5)
        return FrameOutput(dataset: out, frame: shown, rowNumbers: Array(0..<shown.rowCount), hiddenRows: frame.rowCount - shown.rowCount,
                           title: "\(out): \(NumberFormat.count(frame.rowCount)) rows with "
                            + (schema.target.isEmpty ? "a cluster column" : "a predicted column" + (schema.classes.isEmpty ? "" : " and p_<class> probabilities"))
                            + (logged.map { "; logged to \($0.group.label) (\($0.statistics.keys) keys)" } ?? ""))
    }
}
