import PetalData
import PetalML

/// A named pipeline in a session: its recipe and, once fitted, the model and its evaluation.
public struct PipelineEntry: Sendable {
    public var name: String
    public var recipe: Pipeline
    /// The text the user wrote (`standard_scaler | knn k=3`).
    public var text: String
    public var fit: FitResult?
}

/// How a fitted pipeline scored, with the baseline a real model must beat.
public enum Evaluation: Sendable {
    /// Class metrics and the majority-class baseline (scikit-learn's `DummyClassifier(strategy="most_frequent")`).
    case classification(ClassificationMetrics, baselineAccuracy: Double, baselineClass: String, probabilities: ProbabilityMetrics?)
    /// Regression metrics and those of always predicting the training mean (`DummyRegressor()`).
    case regression(RegressionMetrics, baseline: RegressionMetrics, baselineMean: Double)
    /// Clustering: inertia (sum of each row's squared distance to its cluster, as the estimator's `assign`
    /// measures it), mean silhouette, rows per cluster (ids from 0), and rows labelled noise (-1, dbscan).
    case clustering(inertia: Double, silhouette: Double?, sizes: [Int], noise: Int)

    /// The numbers `--json` reports under `metrics`.
    public var metricsJSON: JSONValue {
        switch self {
        case .classification(let m, _, _, let p):
            return .object([("accuracy", .number(m.accuracy)), ("f1_macro", .number(m.macro.f1)), ("precision_macro", .number(m.macro.precision)),
                            ("recall_macro", .number(m.macro.recall)), ("f1_weighted", .number(m.weighted.f1)),
                            ("balanced_accuracy", .number(m.balancedAccuracy)), ("mcc", .number(m.matthews)), ("kappa", .number(m.kappa)),
                            ("roc_auc", .number(p?.rocAUC)), ("log_loss", .number(p?.logLoss))])
        case .regression(let m, _, _):
            return .object([("r2", .number(m.r2)), ("rmse", .number(m.rmse)), ("mae", .number(m.mae)), ("mse", .number(m.mse))])
        case .clustering(let inertia, let silhouette, let sizes, let noise):
            // `noise` only where there is some (dbscan), so k-means' metrics read as before.
            return .object([("inertia", .number(inertia)), ("silhouette", .number(silhouette)), ("cluster_sizes", .array(sizes.map { .int($0) }))]
                           + (noise > 0 ? [("noise", .int(noise))] : []))
        }
    }

    /// One line: `accuracy 0.9667 · f1_macro 0.9666 · baseline 0.3333`.
    public var summaryLine: String {
        switch self {
        case .classification(let m, let b, let cls, _):
            return String(format: "accuracy  %.4f   f1_macro  %.4f   baseline accuracy  %.4f (always %@)", m.accuracy, m.macro.f1, b, cls)
        case .regression(let m, let b, let mean):
            return String(format: "r2  %.4f   rmse  %.4f   mae  %.4f   baseline rmse  %.4f (always %@)", m.r2, m.rmse, m.mae, b.rmse,
                          NumberFormat.single(mean))
        case .clustering(let inertia, let silhouette, let sizes, let noise):
            return "inertia  " + NumberFormat.single(inertia) + "   silhouette  " + (silhouette.map { String(format: "%.4f", $0) } ?? "n/a")
                + "   cluster sizes  " + sizes.map(String.init).joined(separator: ", ") + (noise > 0 ? "   noise  \(noise)" : "")
        }
    }
}

/// What `fit` produced: the model, the split, and the evaluation on the test rows.
public struct FitResult: Sendable {
    public var model: FittedPipeline
    public var dataset: String
    public var split: Split
    /// Rows scored: the test rows, or the training rows when test=0.
    public var scoredRows: Int
    /// The scored rows' features and targets (for permutation importance).
    public var scoredX: Matrix
    public var scoredTarget: Target
    public var evaluation: Evaluation
    public var seed: UInt32
    public var testFraction: Double
    public var stratified: Bool
    /// Each scored row's predicted class code (classification; empty otherwise), kept from scoring.
    public var scoredCodes: [Int] = []
    /// The tracked run that recorded this fit (nil when tracking is off).
    public var runID: Int? = nil
    /// The feature view (version and as-of time) the rows came from, when they did.
    public var view: ViewReference? = nil
}

extension FitResult {
    /// Scores `model` on the scored rows (`trainTarget` gives the baseline) and keeps each row's predicted class.
    /// `transformedX`, when given, is `model.transformed(scoredX)` (from `checkedInput`), so it is not made again.
    init(model: FittedPipeline, dataset: String, split: Split, scoredRows: Int, scoredX: Matrix, transformedX: Matrix? = nil,
         scoredTarget: Target, trainTarget: Target, seed: UInt32, testFraction: Double, stratified: Bool) {
        let (evaluation, codes) = Training.score(model, x: scoredX, transformed: transformedX, target: scoredTarget, trainTarget: trainTarget)
        self.init(model: model, dataset: dataset, split: split, scoredRows: scoredRows, scoredX: scoredX, scoredTarget: scoredTarget,
                  evaluation: evaluation, seed: seed, testFraction: testFraction, stratified: stratified, scoredCodes: codes)
    }

    /// For a classifier, the data set's row numbers behind each confusion-matrix cell (`[true][predicted]`), for the
    /// report view's drill-down; nil for other tasks or when the scored rows and codes do not line up.
    public var confusionRows: [[[Int]]]? {
        guard case .classification(let m, _, _, _) = evaluation, case .classes(let truth) = scoredTarget else { return nil }
        let rows = split.test.isEmpty ? split.train : split.test
        let n = m.classes.count
        guard rows.count == truth.count, scoredCodes.count == truth.count else { return nil }
        var cells = Array(repeating: Array(repeating: [Int](), count: n), count: n)
        for (k, r) in rows.enumerated() where (0..<n).contains(truth[k]) && (0..<n).contains(scoredCodes[k]) {
            cells[truth[k]][scoredCodes[k]].append(r)
        }
        return cells
    }
}

extension PipelineEntry {
    /// The fit result, or an error saying how to fit first.
    public func fitted() throws -> FitResult {
        guard let fit else { throw PetalError("\(name) is not fitted yet", hint: "fit \(name) on DATASET target=COLUMN") }
        return fit
    }
}

extension Session {
    /// The pipeline called `name`, or an error listing those that exist.
    public func pipeline(_ name: String) throws -> PipelineEntry {
        if let p = pipelines.first(where: { $0.name == name }) { return p }
        let hint = pipelines.isEmpty ? "define one first, e.g. pipeline p = standard_scaler | knn k=3"
            : "pipelines: " + pipelines.map(\.name).joined(separator: ", ")
        throw PetalError("no pipeline called \"\(name)\"", hint: hint)
    }

    /// Adds or replaces a pipeline.
    public func store(_ entry: PipelineEntry) {
        commandLog.defined(pipeline: entry.name)
        if let i = pipelines.firstIndex(where: { $0.name == entry.name }) { pipelines[i] = entry } else { pipelines.append(entry) }
    }
}
