import Foundation
import PetalBundle
import PetalData
import PetalML

/// `predict BUNDLE on NAME [as OUT]`: the `predict` command with a bundle folder in place of a pipeline — the
/// same columns as `predict P on NAME`, from the exported model (checked against its input schema first).
enum PredictWithBundle {
    /// True when `word` names a folder holding a bundle manifest and no pipeline of the session is called so.
    static func applies(_ word: String, in session: Session) -> Bool {
        !session.pipelines.contains { $0.name == word }
            && FileManager.default.fileExists(atPath: URL(fileURLWithPath: word).appendingPathComponent("petal.json").path)
    }

    static func run(_ args: Arguments, in session: Session, syntax: String) throws -> any CommandOutput {
        let path = try args.required(0, "a pipeline or bundle folder", syntax: syntax)
        guard args.positional[safe: 1]?.lowercased() == "on", let name = args.positional[safe: 2] else {
            throw PetalError("predict needs on DATASET", hint: "usage: \(syntax)")
        }
        try args.checkPositional(max: 3, syntax: syntax)
        let bundle = try ServingBundle.load(from: URL(fileURLWithPath: path))
        let dataset = try session.dataset(name)
        let prediction: BundlePrediction
        let warnings: [String]
        do {
            warnings = try bundle.check(dataset.frame)
            prediction = try bundle.predict(dataset.frame)
        } catch let e as BundleInputError { throw e.dataError }
        var frame = dataset.frame
        switch prediction.task {
        case .clustering: frame = try frame.appending(Column(name: "cluster", storage: .int(prediction.clusters.map(Int64.init))))
        case .regression: frame = try frame.appending(Column(name: "predicted", storage: .float(prediction.values)))
        case .classification:
            frame = try frame.appending(Column.fromValues(name: "predicted", prediction.labels.map { .text($0) }))
            for (c, cls) in prediction.classes.enumerated() {
                frame = try frame.appending(Column(name: "p_\(cls)", storage: .float((0..<prediction.count).map { prediction.probabilities?[$0, c] ?? .nan })))
            }
        }
        let out = try args.alias.map(OpenCommand.validName) ?? "\(dataset.name)_predicted"
        session.store(frame, as: out, source: "predict \(path) on \(dataset.name)")
        let shown = frame.head(5)
        var output = FrameOutput(dataset: out, frame: shown, rowNumbers: Array(0..<shown.rowCount), hiddenRows: frame.rowCount - shown.rowCount,
                                 title: "\(out): \(NumberFormat.count(frame.rowCount)) rows scored by the bundle \(path) (\(bundle.manifest.name))")
        output.warnings = warnings.map { DataWarning($0) }
        return output
    }
}
