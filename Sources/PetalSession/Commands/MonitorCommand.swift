import Foundation
import PetalBundle
import PetalData
import PetalFeatures
import PetalTracking

/// `monitor MODEL@ALIAS on OUTCOMES [log=GROUP] [every=day|week]`: logged predictions joined with outcomes by key —
/// accuracy (or error) per day or week, and drift of each input column against the training data per period.
public enum MonitorCommand: PetalCommand {
    public static let name = "monitor"
    public static let syntax = "monitor MODEL@ALIAS on OUTCOMES_GROUP [log=predictions] [every=day|week]"
    public static let summary = "how a model's logged predictions fared: accuracy (or error) and drift per day or week"
    static let log = CommandOption("log", default: "predictions", help: "the feature group the model's predictions were logged to")
    static let every = CommandOption("every", .choice(["day", "week", "1d", "7d", "daily", "weekly"]), default: "day",
                                     help: "the period: a day, or a week from Monday")
    public static let options = [log, every]
    public static let help = """
        Reads the predictions the model logged (predict … log_to=GROUP, petal predict --log-to GROUP; every version of
        MODEL) from the log group (log=, default predictions) and the outcomes group, whose rows carry the true
        value of the model's target under the same key columns as the log; each prediction is joined with its
        key's latest outcome. Per period of predicted_at (every=day, or week from Monday):
          predictions   rows logged;  outcomes   rows with an outcome so far
          accuracy      share right (classes), or mae and rmse (numbers), over the rows with outcomes
          drift         each input column against the training data of the version ALIAS points at (PSI and KS,
                        as drift): the columns that moved or need watching
        The text ends with a sparkline of accuracy (or mae) per period, oldest first; the workbench draws it as a
        column chart above the table. Predictions come from predict … log_to=, petal predict --log-to and
        petal serve --log-to.
        Example:
          monitor iris@champion on outcomes log=predictions every=day
        """

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let reference = try args.required(0, "a registered model (MODEL@ALIAS)", syntax: syntax)
        guard args.positional[safe: 1]?.lowercased() == "on", let outcomesName = args.positional[safe: 2] else {
            throw PetalError("monitor needs on OUTCOMES_GROUP", hint: "usage: \(syntax)")
        }
        try args.checkPositional(max: 3, syntax: syntax)
        let weekly: Bool
        switch try args.choice(Self.every) {
        case "week", "7d", "weekly": weekly = true
        default: weekly = false
        }
        let tracking = try session.requireStore()
        let (model, version, _) = try tracking.resolve(reference)
        let manifest = try ServingBundle.load(from: RegistryBundles.folder(tracking: try session.requireTracker().folder, model: model, version: version)).manifest
        guard !manifest.target.isEmpty else { throw PetalError("\(reference) is a clustering model: it has no outcomes to compare with") }
        let store = try session.requireFeatureStore()
        let logGroup = try store.group(args.value(Self.log) ?? "predictions")
        let outcomeGroup = try store.group(outcomesName)
        for k in logGroup.primaryKey where !outcomeGroup.columns.contains(where: { $0.name == k }) {
            throw PetalError("the outcomes group \(outcomeGroup.label) has no key column \(k) to join the predictions of \(logGroup.label) on",
                            hint: "insert outcomes with the log's key columns: " + logGroup.primaryKey.joined(separator: ", "))
        }
        guard outcomeGroup.columns.contains(where: { $0.name == manifest.target }) else {
            throw PetalError("the outcomes group \(outcomeGroup.label) has no column \(manifest.target), the target of \(reference)")
        }
        let logRows = try store.storage.rows(of: logGroup, through: nil).frame
        let modelColumn = try logRows.requireColumn(PredictionLog.modelColumn)
        let mine = logRows.filter { modelColumn[$0].plainText.hasPrefix(model + "/") }
        let outcomes = try store.currentRows(of: outcomeGroup, asOf: nil).frame
        let match = PointInTime.asOfJoin(leftKeys: try PointInTime.keys(mine, logGroup.primaryKey), leftTimes: Array(repeating: .max, count: mine.rowCount),
                                         rightKeys: try PointInTime.keys(outcomes, logGroup.primaryKey), rightTimes: Array(repeating: 0, count: outcomes.rowCount))
        let truth = PointInTime.taking(try outcomes.requireColumn(manifest.target), match)
        let predicted = try mine.requireColumn(PredictionLog.predictionColumn)
        guard case .datetime(let times, _) = try mine.requireColumn(PredictionLog.timeColumn).storage else {
            throw PetalError("\(logGroup.label)'s predicted_at holds no times")
        }
        let day: Int64 = 86_400_000_000
        let period = { (t: Int64) -> Int64 in
            let d = t >= 0 ? t / day : (t - day + 1) / day
            return weekly ? d - ((d + 3) % 7 + 7) % 7 : d   // weeks start on Monday (1970-01-01 was a Thursday)
        }
        var byPeriod: [Int64: [Int]] = [:]
        for i in 0..<mine.rowCount { byPeriod[period(times[i]), default: []].append(i) }
        let classification = manifest.task == .classification
        let inputs = manifest.inputs.map(\.name).filter { mine.column(named: $0) != nil }
        var rows: [MonitorOutput.Period] = []
        for key in byPeriod.keys.sorted() {
            let indices = byPeriod[key] ?? []
            let known = indices.filter { truth.isValid($0) }
            var p = MonitorOutput.Period(start: key * day, predictions: indices.count, outcomes: known.count)
            if !known.isEmpty {
                if classification {
                    p.accuracy = Double(known.filter { predicted[$0].plainText == truth[$0].plainText }.count) / Double(known.count)
                } else {
                    let errors = known.compactMap { i -> Double? in
                        guard let a = predicted[i].doubleValue, let b = truth[i].doubleValue else { return nil }
                        return a - b
                    }
                    p.mae = errors.map(abs).reduce(0, +) / Double(max(1, errors.count))
                    p.rmse = (errors.map { $0 * $0 }.reduce(0, +) / Double(max(1, errors.count))).squareRoot()
                }
            }
            if let report = try? DriftReport.compare(manifest, with: try mine.selecting(inputs).taking(indices)) {
                p.drift = report.columns.map { ($0.name, $0.status, $0.psi) }
            }
            rows.append(p)
        }
        return MonitorOutput(model: "\(model)/\(version)", reference: reference, weekly: weekly, classification: classification, periods: rows)
    }
}

/// The result of `monitor`: one row per period, and a chart line of the metric.
public struct MonitorOutput: CommandOutput {
    public struct Period: Sendable {
        public var start: Int64
        public var predictions: Int
        public var outcomes: Int
        public var accuracy: Double?
        public var mae: Double?
        public var rmse: Double?
        public var drift: [(column: String, status: String, psi: Double)] = []
        init(start: Int64, predictions: Int, outcomes: Int) { self.start = start; self.predictions = predictions; self.outcomes = outcomes }
    }
    public var model: String
    public var reference: String
    public var weekly: Bool
    public var classification: Bool
    public var periods: [Period]

    /// The metric drawn in the chart: accuracy, or mae.
    public var series: [Double?] { periods.map { classification ? $0.accuracy : $0.mae } }

    public func renderText(width: Int) -> String { renderText(in: RenderContext(width: width)) }

    public func renderText(in context: RenderContext) -> String {
        guard !periods.isEmpty else { return emptyText }
        let chart = Sparkline.render(series, width: max(8, context.width - 20), unicode: context.unicode)
        return renderTable(width: context.width) + (chart.isEmpty ? "" : "\n\(metricName) " + chart)
    }

    /// What `monitor` says before anything was logged.
    public var emptyText: String { "\(reference) (\(model)) has logged no predictions yet: predict \(reference) on DATA log_to=predictions" }

    /// `accuracy` or `mae`: what `series` holds.
    public var metricName: String { classification ? "accuracy" : "mae" }

    /// The title line and the table of periods (the workbench draws its own chart above it).
    public func renderTable(width: Int) -> String {
        let rows = periods.map { p -> [String] in
            let metric = classification ? (p.accuracy.map { String(format: "%.4f", $0) } ?? "")
                : (p.mae.map { "mae " + NumberFormat.single($0) + " · rmse " + NumberFormat.single(p.rmse ?? .nan) } ?? "")
            let flagged = p.drift.filter { $0.status == "moved" || $0.status == "watch" }.map { "\($0.column) \($0.status)" }
            let drift = p.drift.isEmpty ? "" : flagged.isEmpty ? (p.drift.allSatisfy { $0.status == DriftReport.tooFewRows } ? "too few rows" : "stable") : flagged.joined(separator: ", ")
            return [DateTimeText.format(micros: p.start, dateOnly: true), NumberFormat.count(p.predictions), NumberFormat.count(p.outcomes), metric, drift]
        }
        let table = TextTable(headers: [weekly ? "week of" : "day", "predictions", "outcomes", classification ? "accuracy" : "error", "drift"],
                              alignments: [.left, .right, .right, .right, .left], rows: rows)
        return "monitor \(reference) (\(model)) per \(weekly ? "week" : "day")\n" + table.render(width: width)
    }

    public func json() -> JSONValue {
        .object([("model", .string(model)), ("reference", .string(reference)), ("every", .string(weekly ? "week" : "day")),
                 ("periods", .array(periods.map { p in
                    .object([("start", .string(DateTimeText.format(micros: p.start, dateOnly: true))), ("predictions", .int(p.predictions)),
                             ("outcomes", .int(p.outcomes)), ("accuracy", .number(p.accuracy)), ("mae", .number(p.mae)), ("rmse", .number(p.rmse)),
                             ("drift", .array(p.drift.map { .object([("column", .string($0.column)), ("status", .string($0.status)), ("psi", .number($0.psi))]) }))])
                 }))])
    }
}
