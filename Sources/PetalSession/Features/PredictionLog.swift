import Foundation
import PetalData
import PetalFeatures
import PetalBundle

/// Predictions kept in a feature group (`predict … log_to=GROUP`, `petal predict --log-to GROUP`): the input
/// columns, the `prediction`, the `model` that made it (`iris/2`) and `predicted_at`, keyed by the input's key
/// columns so outcomes that arrive later (`features insert outcomes …`) join by key (`monitor`).
public enum PredictionLog {
    public static let predictionColumn = "prediction", modelColumn = "model", timeColumn = "predicted_at"

    /// The rows to log: `inputs` (without `target`, which a prediction does not know) and the three log columns.
    public static func frame(inputs: Frame, target: String, predictions: Column, model: String, time: Double) throws -> Frame {
        var columns = inputs.columns.filter { $0.name != target && ![predictionColumn, modelColumn, timeColumn].contains($0.name) }
        var p = predictions
        p.name = predictionColumn
        columns.append(p)
        columns.append(Column(name: modelColumn, storage: .text(codes: Array(repeating: 0, count: inputs.rowCount), dictionary: [model])))
        columns.append(Column(name: timeColumn, storage: .datetime(Array(repeating: Int64((time * 1_000_000).rounded()), count: inputs.rowCount), dateOnly: false)))
        return try Frame(columns: columns)
    }

    /// How the log names a bundle's model: `NAME/VERSION` for a registry bundle (`.petal/registry/NAME/vVERSION`, the
    /// form `monitor` looks for), else the bundle's pipeline name.
    public static func modelName(bundle path: String, manifestName: String) -> String {
        let parts = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        if parts.count >= 3, parts[parts.count - 3] == "registry", parts[parts.count - 1].hasPrefix("v") {
            return "\(parts[parts.count - 2])/\(parts[parts.count - 1].dropFirst())"
        }
        return manifestName
    }

    /// The server's answers as the log's prediction column: class labels, numbers or cluster numbers.
    public static func column(_ predictions: Predictions, classes: [String]) -> Column {
        switch predictions {
        case .classes(let codes, _):
            return Column.fromValues(name: predictionColumn, codes.map { classes.indices.contains($0) ? .text(classes[$0]) : .null })
        case .values(let v): return Column(name: predictionColumn, storage: .float(v))
        case .clusters(let c): return Column(name: predictionColumn, storage: .int(c.map(Int64.init)))
        }
    }

    /// The rows of `frames` (which share their columns' names and types) one after another.
    public static func concatenating(_ frames: [Frame]) throws -> Frame {
        guard let first = frames.first else { throw PetalError("no rows to log") }
        guard frames.count > 1 else { return first }
        return try Frame(columns: first.columns.indices.map { c in try Column.concatenating(frames.map { $0.columns[c] }) })
    }

    /// Inserts the rows into `group` (made on first use: primary key `key`, or every input column; event time
    /// `predicted_at`).
    public static func insert(_ frame: Frame, into group: String, key: [String]?, store: FeatureStore) throws -> FeatureStore.InsertResult {
        if store.hasGroup(group) { return try store.insert(group, frame: frame, dataset: "the predictions", newVersion: false) }
        let keys = key ?? frame.columnNames.filter { ![predictionColumn, modelColumn, timeColumn].contains($0) }
        return try store.createAndInsert(group, frame: frame, dataset: "the predictions", primaryKey: keys, eventTime: timeColumn, newVersion: false)
    }
}
