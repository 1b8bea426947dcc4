import Foundation
import PetalData
import PetalML
import PetalTracking

/// A fitted pipeline saved as data (`model.json` beside its run) and loaded back for registry references.
enum ModelArtifact {
    static let name = "model.json"

    /// The model in PetalML's versioned model format (`ModelFormat`), written to `path`.
    static func write(_ model: FittedPipeline, toFile path: String) throws { try ModelFormat.write(model, toFile: path) }

    static func decode(_ data: Data, source: String) throws -> FittedPipeline {
        do { return try ModelFormat.decode(data, file: source) } catch let error as PetalError { throw error } catch {
            throw PetalError("cannot read the model in \(source): \(error)", hint: "the file may be damaged; fit the pipeline again")
        }
    }
}

/// A fitted model found by name: a session pipeline, or a registered model.
public struct ResolvedModel: Sendable {
    /// How to call it in messages (`p`, `iris-classifier@champion`).
    public var name: String
    public var model: FittedPipeline
    /// The run it came from, when known.
    public var runID: Int?
}

extension Session {
    /// The fitted model called `reference`: a fitted pipeline of this session (`p`), or a registered model
    /// (`NAME@alias`, `NAME/version`) loaded from its run's `model.json`.
    public func fittedModel(reference: String) throws -> ResolvedModel {
        if pipelines.contains(where: { $0.name == reference }) || !TrackingStore.isModelReference(reference) {
            let entry = try pipeline(reference)
            let fit = try entry.fitted()
            return ResolvedModel(name: entry.name, model: fit.model, runID: fit.runID)
        }
        let store = try requireStore()
        let (model, version, run) = try store.resolve(reference)
        guard let data = try store.artifact(ModelArtifact.name, run: run) else {
            throw PetalError("\(model)/\(version) (run \(run)) has no saved model", hint: "fit the pipeline again and register the new run")
        }
        return ResolvedModel(name: reference, model: try ModelArtifact.decode(data, source: "run \(run)'s \(ModelArtifact.name)"), runID: run)
    }
}

/// A registered model with the data set its run was trained on, for what needs training rows (export, demo).
public struct RegisteredTraining: Sendable {
    public var model: ResolvedModel
    public var run: Int
    public var summary: RunSummary
    /// The run's data set, open in the session and unchanged since (its fingerprint checked).
    public var data: Dataset
}

extension Session {
    /// `reference` resolved with its run's data set, which must be open and match the run's fingerprint.
    public func registeredTraining(_ reference: String) throws -> RegisteredTraining {
        let resolved = try fittedModel(reference: reference)
        guard let run = resolved.runID, let store = tracker?.store else {
            throw PetalError("\(reference) has no run to take its training data from")
        }
        let summary = try store.run(run).summary
        guard let name = summary.dataset else { throw PetalError("run \(run) does not name its data set") }
        let data = try runDataset(name, summary: summary)
        if let recorded = summary.fingerprint, DataFingerprint.of(data.frame) != recorded {
            throw PetalError("\(name) has changed since run \(run) was trained on it",
                            hint: "open the data it was trained on (replay \(run) shows its commands), or use a bundle exported from it")
        }
        return RegisteredTraining(model: resolved, run: run, summary: summary, data: data)
    }

    /// A run's data set: open in the session, or (for a run on a feature view that is not open under its name)
    /// the view's rows as of the run's time, read again — point-in-time reads give the same rows.
    func runDataset(_ name: String, summary: RunSummary) throws -> Dataset {
        guard !datasets.contains(where: { $0.name == name }), let view = summary.params["view"], let version = Int(summary.params["view_version"] ?? ""),
              let asOf = summary.params["as_of"].flatMap(DateParsing.parse)?.micros else { return try dataset(name) }
        let store = try requireFeatureStore()
        let data = try store.trainingData(try store.view(view, version: version), asOf: asOf)
        return Dataset(name: name, frame: data.frame, source: "feature view \(view) v\(version)", view: ViewReference(name: view, version: version, asOf: asOf))
    }
}
