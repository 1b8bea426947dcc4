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

/// What `fit` produced: the model, the split, and the test-set evaluation.
public struct FitResult: Sendable {
    public var model: FittedPipeline
    public var dataset: String
    public var split: Split
    /// Class codes of the evaluated rows (the test rows, or the training rows when test=0).
    public var truth: [Int]
    public var predicted: [Int]
    public var metrics: ClassificationMetrics
    /// Accuracy of always predicting the training set's most frequent class.
    public var baselineAccuracy: Double
    public var baselineClass: String
    public var seed: UInt32
    public var testFraction: Double
    public var stratified: Bool
}

extension Session {
    /// The pipeline called `name`, or an error listing those that exist.
    public func pipeline(_ name: String) throws -> PipelineEntry {
        if let p = pipelines.first(where: { $0.name == name }) { return p }
        let hint = pipelines.isEmpty ? "define one first, e.g. pipeline p = standard_scaler | knn k=3"
            : "pipelines: " + pipelines.map(\.name).joined(separator: ", ")
        throw DataError("no pipeline called \"\(name)\"", hint: hint)
    }

    /// Adds or replaces a pipeline.
    public func store(_ entry: PipelineEntry) {
        if let i = pipelines.firstIndex(where: { $0.name == entry.name }) { pipelines[i] = entry } else { pipelines.append(entry) }
    }
}
