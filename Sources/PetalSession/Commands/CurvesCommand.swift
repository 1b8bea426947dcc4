import PetalData
import PetalML

/// `curves P [bins=10] [folds=5]`: the diagnostics of a fitted classifier — ROC and precision–recall curves of
/// each class against the rest (with AUC and average precision), the calibration curve, and the learning curve
/// over training sizes — on the rows `fit` held out, numbers as scikit-learn's `roc_curve`,
/// `precision_recall_curve`, `calibration_curve` and `learning_curve` give them.
public enum CurvesCommand: PetalCommand {
    public static let name = "curves"
    public static let syntax = "curves P [bins=10] [folds=5]"
    public static let summary = "ROC, precision-recall, calibration and learning curves of a fitted pipeline"
    static let bins = CommandOption("bins", .integer(2...1000), default: "10", help: "the calibration curve's bins")
    static let folds = CommandOption("folds", .integer(2...100), default: "5", help: "the learning curve's stratified folds")
    public static let options = [bins, folds]
    public static let help = """
        On the rows fit held out (the training rows when test=0), for each class against the rest (for two
        classes, the second, positive class):
          ROC curve and its AUC            roc_curve (drop_intermediate=True), auc
          precision-recall and AP          precision_recall_curve, average_precision_score
          calibration (bins=10)            calibration_curve(strategy="uniform"): per bin that holds rows, the
                                           mean predicted probability and the share that is the class
        and the learning curve: the pipeline refitted on growing shares (10 %, 32.5 %, 55 %, 77.5 %, 100 %) of
        the training rows of each of folds=5 stratified folds of the training split, scored on those rows and
        on the fold's other rows (learning_curve, shuffle=False; accuracy, or R² for a regressor, which gets
        only this curve). A wide gap means more data or a simpler model would help; two low lines, a richer one.
        The first ROC threshold is +∞ (null in --json): the point where nothing is called positive.
        Example:
          curves p bins=5
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        context.previous.count == 1 ? context.session.pipelines.filter { $0.fit != nil }.map(\.name) : []
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a fitted pipeline", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        let bins = try args.int(Self.bins)
        let folds = try args.int(Self.folds)
        let entry = try session.pipeline(name)
        let fit = try entry.fitted()
        let model = fit.model
        if case .none = fit.scoredTarget {
            throw PetalError("\(name) finds clusters; curves need predictions to score", hint: "report \(name) shows its inertia and silhouette")
        }
        // The learning curve refits on the training split: the data set must still be there, with its rows.
        let dataset = try session.dataset(fit.dataset)
        guard fit.split.train.allSatisfy({ $0 < dataset.frame.rowCount }) else {
            throw PetalError("\(fit.dataset) has changed since \(name) was fitted", hint: "fit \(name) on \(fit.dataset) again, then curves \(name)")
        }
        let x = try model.schema.matrix(dataset.frame, dataset: dataset.name).rows(fit.split.train)
        let y: Target = model.schema.classes.isEmpty ? .values(try model.schema.values(dataset.frame, dataset: dataset.name))
            : .classes(try model.schema.labels(dataset.frame, dataset: dataset.name))
        let control = LoadControl()
        session.loadObserver?.loadStarted(control, path: "learning curve of \(name)")
        defer { session.loadObserver?.loadEnded(control) }
        let learning = try LearningCurve.run(model.recipe, x: x, target: y.rows(fit.split.train), schema: model.schema, folds: folds,
                                             control: control)
        var classes: [ClassCurves] = []
        if case .classes(let truth) = fit.scoredTarget {
            let p = model.predictProba(fit.scoredX)
            let names = model.schema.classes
            for c in (names.count == 2 ? [1] : Array(names.indices)) {
                let positive = truth.map { $0 == c }
                let scores = (0..<p.rows).map { p[$0, c] }
                classes.append(ClassCurves(name: names[c], roc: BinaryCurves.roc(positive: positive, scores: scores),
                                           pr: BinaryCurves.precisionRecall(positive: positive, scores: scores),
                                           averagePrecision: BinaryCurves.averagePrecision(positive: positive, scores: scores),
                                           calibration: BinaryCurves.calibration(positive: positive, probabilities: scores, bins: bins)))
            }
        }
        return CurvesOutput(pipeline: name, dataset: fit.dataset, scoredRows: fit.scoredRows, trainOnly: fit.split.test.isEmpty,
                            trainRows: fit.split.train.count, bins: bins, folds: folds, classes: classes, learning: learning)
    }
}

/// The curves of one class against the rest (nil where undefined: the class is absent from the scored rows).
public struct ClassCurves: Sendable {
    public var name: String
    public var roc: (fpr: [Double], tpr: [Double], thresholds: [Double])?
    public var pr: (precision: [Double], recall: [Double], thresholds: [Double])?
    public var averagePrecision: Double?
    public var calibration: (fractionPositive: [Double], meanPredicted: [Double], counts: [Int])

    public var rocAUC: Double? { roc.map { BinaryCurves.area(x: $0.fpr, y: $0.tpr) } }
}
