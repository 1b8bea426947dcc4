import PetalData
import PetalML
import PetalTracking
import PetalFeatures

/// `promote [P] to MODEL@ALIAS`: the retraining gate. Registers a fitted pipeline as MODEL's next version and moves
/// the alias to it only when it scores better than the alias's current version on the new fit's test rows.
public enum PromoteCommand: PetalCommand {
    public static let name = "promote"
    public static let syntax = "promote [P] to MODEL@ALIAS"
    public static let summary = "register a fit and move an alias to it only if it beats the alias's model on the fit's test rows"
    public static let help = """
        The retraining gate of a scheduled training pipeline (job … register=MODEL@ALIAS runs it after the script).
        P (default: the pipeline fitted last) is registered as MODEL's next version; the version ALIAS points at now
        is scored on the same test rows as P (for a fit on a feature view, the view's rows as of the fit's time, so
        both see the same data); the alias moves to the new version only if it scores higher (accuracy for
        classes, r2 for numbers). The decision is reported either way. An alias that points nowhere yet moves.
        Example:
          promote p to iris@champion
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        context.previous.count == 1 ? (["to"] + context.session.pipelines.filter { $0.fit != nil }.map(\.name)).filter { $0.hasPrefix(context.partial) } : []
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let words = args.positional
        try args.checkPositional(max: 3, syntax: syntax)
        guard let toIndex = words.firstIndex(where: { $0.lowercased() == "to" }), let target = words[safe: toIndex + 1], toIndex <= 1 else {
            throw PetalError("promote needs to MODEL@ALIAS", hint: "usage: \(syntax)")
        }
        let parts = target.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw PetalError("\(target) is not MODEL@ALIAS", hint: "e.g. promote p to iris@champion")
        }
        let (model, alias) = (parts[0], parts[1])
        let entry: PipelineEntry
        if toIndex == 1 { entry = try session.pipeline(words[0]) } else {
            guard let last = session.lastFitted else { throw PetalError("no pipeline is fitted yet", hint: "fit P on DATASET target=COL, then promote P to \(target)") }
            entry = last
        }
        let fit = try entry.fitted()
        guard let runID = fit.runID else { throw PetalError("\(entry.name)'s fit was not recorded as a run", hint: "the petal command line records fits in .petal/") }
        let store = try session.requireStore()
        let rows = fit.split.test.isEmpty ? fit.split.train : fit.split.test
        let frame = try session.fitFrame(fit).taking(rows)
        let newScore = try score(fit.model, frame: frame, dataset: fit.dataset)
        let current = try? store.resolve(target)
        var currentScore: Double?
        if let current {
            let old = try session.fittedModel(reference: "\(model)/\(current.version)").model
            let scored: (metric: String, value: Double)? = try? score(old, frame: frame, dataset: fit.dataset)
            currentScore = scored?.value
        }
        let version = try store.register(model, run: runID)
        var warnings: [DataWarning] = []
        do { try RegistryBundles.write(model: model, version: version, session: session, store: store) } catch {
            warnings.append(DataWarning("no serving bundle for \(model)/\(version): \(error) (petal serve and monitor need one)"))
        }
        let moved = currentScore.map { newScore.value > $0 } ?? true
        if moved { try store.setAlias(alias, model: model, version: version) }
        return PromoteOutput(pipeline: entry.name, model: model, alias: alias, version: version, metric: newScore.metric, newScore: newScore.value,
                             current: current?.version, currentScore: currentScore, moved: moved, rows: frame.rowCount, warnings: warnings)
    }

    /// The headline metric of `model` on `frame`: accuracy for classes, r2 for numbers.
    static func score(_ model: FittedPipeline, frame: Frame, dataset: String) throws -> (metric: String, value: Double) {
        let schema = model.schema
        let x = try schema.matrix(frame, dataset: dataset)
        try model.checkInput(x)
        if schema.target.isEmpty { throw PetalError("promote compares models that predict a target; a clustering model has none") }
        if schema.classes.isEmpty {
            let truth = try schema.values(frame, dataset: dataset)
            return ("r2", RegressionMetrics(truth: truth, predicted: model.predictValues(x) ?? []).r2)
        }
        let truth = try schema.labels(frame, dataset: dataset)
        return ("accuracy", ClassificationMetrics(truth: truth, predicted: model.predict(x), classes: schema.classes).accuracy)
    }
}

/// The result of `promote`: the new version, both scores and whether the alias moved.
public struct PromoteOutput: CommandOutput {
    public var pipeline, model, alias: String
    public var version: Int
    public var metric: String
    public var newScore: Double
    public var current: Int?
    public var currentScore: Double?
    public var moved: Bool
    public var rows: Int
    public var warnings: [DataWarning] = []

    public func renderText(width: Int) -> String {
        let new = "\(model)/\(version) (\(pipeline)) \(metric) \(NumberFormat.single(newScore))"
        guard let current else { return "registered \(new) on \(rows) test rows; \(model)@\(alias) pointed nowhere, now → \(version)" }
        let old = "\(model)/\(current) \(currentScore.map(NumberFormat.single) ?? "could not be scored")"
        return moved ? "registered \(new) on \(rows) test rows, beating \(old): \(model)@\(alias) moved \(current) → \(version)"
            : "registered \(new) on \(rows) test rows, not above \(old): \(model)@\(alias) stays at \(current)"
    }

    public func json() -> JSONValue {
        .object([("model", .string(model)), ("alias", .string(alias)), ("version", .int(version)), ("metric", .string(metric)),
                 ("score", .number(newScore)), ("current_version", current.map { .int($0) } ?? .null),
                 ("current_score", .number(currentScore)), ("moved", .bool(moved)), ("rows", .int(rows))])
    }
}

extension Session {
    /// The pipeline whose fit is most recent (by run id, else the last in the list).
    var lastFitted: PipelineEntry? {
        let fitted = pipelines.filter { $0.fit != nil }
        return fitted.max { ($0.fit?.runID ?? -1) < ($1.fit?.runID ?? -1) } ?? fitted.last
    }

    /// The rows a fit was made on: the data set, or its feature view's rows as of the fit's time.
    func fitFrame(_ fit: FitResult) throws -> Frame {
        if let view = fit.view {
            let store = try requireFeatureStore()
            return try store.trainingData(try store.view(view.name, version: view.version), asOf: view.asOf).frame
        }
        return try dataset(fit.dataset).frame
    }
}
