import ArgumentParser
import Foundation
import PetalBundle
import PetalData
import PetalFeatures
import PetalSession

/// `petal predict BUNDLE INPUT [-o OUT]`: batch scoring with a bundle, no workbench. The input (CSV, TSV,
/// JSON, NDJSON or SQLite with --table/--query) is checked against the bundle's input schema before anything
/// is scored; rows stream out chunk by chunk to OUT (written beside it and renamed when complete) or to
/// standard output; a progress line shows on a terminal.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Score a file with a serving bundle (batch prediction).",
        discussion: """
            Writes the input columns followed by `predicted` and one `p_<class>` probability per class
            (`predicted` for regression, `cluster` for clustering). Output format from OUT's extension:
            .csv (default, also on standard output), .tsv, .ndjson.
            Every value must fit the bundle's input schema: a missing field, a wrong type, a number that is not \
            finite (inf; NaN where the model has no imputer) or true/false in a field that was not boolean in training \
            stops it before anything is written. Rows whose inputs overflow inside the pipeline (e.g. 1e308 through a \
            scaler), so that an answer would not be a finite number, are an error naming the row: scoring stops there, \
            -o OUT is not written (rows already sent to standard output stay), and no row is ever written with a label \
            and empty probabilities. With --require-signature PUBKEY the bundle must be signed by that key.
            Example: petal predict bundles/iris new_flowers.csv -o predicted.csv
            """
    )

    @Argument(help: "The bundle folder (written by `export P to DIR`).")
    var bundle: String

    @Argument(help: "The rows to score: .csv, .tsv, .json, .ndjson, or a SQLite database with --table or --query.")
    var input: String

    @Option(name: [.short, .customLong("output")], help: "Where to write the predictions (default: standard output).")
    var output: String?

    @Option(help: "The SQLite table to read.")
    var table: String?

    @Option(help: "The SQLite query to read.")
    var query: String?

    @Flag(help: "Write only the prediction columns, not the input columns before them (a CSV input then has only the model's input columns read).")
    var predictionsOnly = false

    @Flag(help: "No progress line.")
    var quiet = false

    @Option(name: .customLong("require-signature"), help: "Score only with a bundle signed by this public key file (from petal keygen).")
    var requireSignature: String?

    @Option(name: .customLong("log-to"), help: "Also keep the predictions in this feature group of the project (.petal/ or PETAL_HOME): the inputs, prediction, model and predicted_at, for monitor.")
    var logTo: String?

    @Option(help: "With --log-to: the columns outcomes will be joined on, comma-separated (default: every input column).")
    var key: String?

    func run() throws {
        do {
            let key = try requireSignature.map { try BundleVerifyingKey(file: $0) }
            let format = try BatchScorer.format(for: output)
            let bundleURL = URL(fileURLWithPath: bundle)
            var options = LoadOptions()
            options.table = table; options.query = query
            // Only the model's inputs are read when nothing else of the input is written or logged (CSV skips the
            // other columns' fields without parsing them; a missing input is still named by the schema check).
            if predictionsOnly && logTo == nil, let names = ServingBundle.unverifiedInputNames(in: bundleURL) { options.csv.onlyColumns = Set(names) }
            let started = Date()
            // The input is read while the bundle is verified and decoded; a bundle that fails to load is the error
            // either way (it is said first, as when the two ran one after the other).
            let (path, chosen) = (input, options)
            let reading = Pending { Result { try Loaders.load(path: path, options: chosen) } }
            let loaded: ServingBundle
            do { loaded = try ServingBundle.load(from: bundleURL, requireSignature: key) } catch { _ = reading.value; throw error }
            let result = try reading.value.get()
            guard let frame = result.frame else {
                throw PetalError("\(input) is a database: name the rows to score", hint: "add --table NAME or --query \"SELECT …\"")
            }
            let scorer = BatchScorer(bundle: loaded, format: format, predictionsOnly: predictionsOnly)
            let showProgress = !quiet && isatty(STDERR_FILENO) == 1
            let sink = try OutputSink(path: output)
            let warnings: [String]
            var written = 0
            do {
                warnings = try scorer.score(frame, write: sink.write) { done, total in
                    written = done
                    if showProgress { Self.progress("scored \(done.formatted()) of \(total.formatted()) rows") }
                }
                try sink.finish()
            } catch let e as BundleInputError where written > 0 {
                sink.abandon()
                if showProgress { Self.progress("") }
                let kept = output == nil ? "the \(written.formatted()) rows before its chunk were written to standard output" : "\(output ?? "") was not written"
                FileHandle.standardError.write(Data("error: \(input): \(e.message)\n  scoring stopped; \(kept)\n".utf8))
                throw ExitCode(1)
            } catch { sink.abandon(); throw error }
            if showProgress { Self.progress("") }
            if let logTo { try log(frame, bundle: loaded, group: logTo) }
            for w in warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
            if output != nil && !quiet {
                let seconds = Date().timeIntervalSince(started)
                FileHandle.standardError.write(Data("scored \(frame.rowCount.formatted()) rows with \(loaded.manifest.name) → \(output ?? "") in \(String(format: "%.2f", seconds)) s\n".utf8))
            }
        } catch let e as BundleInputError {
            let text = "error: \(input): \(e.message)\n  nothing was scored; the model expects: \(Self.expected(bundle))\n"
            FileHandle.standardError.write(Data(text.utf8))
            throw ExitCode(1)
        } catch let e as PetalError {
            FileHandle.standardError.write(Data("error: \(e)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// Inserts the scored rows into feature group `group` (see `PredictionLog`). The model is named NAME/VERSION
    /// for a registry bundle (`.petal/registry/NAME/vVERSION`), else by the bundle's pipeline name.
    func log(_ frame: Frame, bundle loaded: ServingBundle, group: String) throws {
        let prediction = try loaded.predict(frame)
        let column: Column
        switch prediction.task {
        case .classification: column = Column.fromValues(name: "prediction", prediction.labels.map { .text($0) })
        case .regression: column = Column(name: "prediction", storage: .float(prediction.values))
        case .clustering: column = Column(name: "prediction", storage: .int(prediction.clusters.map(Int64.init)))
        }
        let model = PredictionLog.modelName(bundle: bundle, manifestName: loaded.manifest.name)
        let store = try FeatureStores.open(folder: Tracker.defaultFolder(), now: { Date().timeIntervalSince1970 })
        let rows = try PredictionLog.frame(inputs: frame, target: loaded.manifest.target, predictions: column, model: model, time: Date().timeIntervalSince1970)
        let result = try PredictionLog.insert(rows, into: group, key: key.map { $0.split(separator: ",").map(String.init) }, store: store)
        if !quiet { FileHandle.standardError.write(Data("logged \(frame.rowCount.formatted()) predictions of \(model) to feature group \(result.group.label)\n".utf8)) }
    }

    /// The input fields, for an error message.
    static func expected(_ bundle: String) -> String {
        guard let b = try? ServingBundle.load(from: URL(fileURLWithPath: bundle)) else { return "see petal.json" }
        return b.manifest.inputs.map { "\($0.name) (\($0.type.rawValue))" }.joined(separator: ", ")
    }

    static func progress(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }
}

/// Standard output, or a file written as OUT.partial and renamed to OUT when complete.
final class OutputSink {
    let path: String?
    let handle: FileHandle
    let partial: String?

    init(path: String?) throws {
        self.path = path
        guard let path else { handle = FileHandle.standardOutput; partial = nil; return }
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil), let h = FileHandle(forWritingAtPath: partial) else {
            throw PetalError("cannot write \(path)", hint: "check that the folder exists and is writable")
        }
        self.partial = partial
        handle = h
    }

    func write(_ data: [UInt8]) throws {
        do { try handle.write(contentsOf: data) } catch {
            throw PetalError("cannot write \(path ?? "standard output"): \(error.localizedDescription)", hint: "check the disk space")
        }
    }

    func finish() throws {
        guard let path, let partial else { return }
        try handle.close()
        _ = try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: partial, toPath: path)
    }

    func abandon() {
        guard let partial else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: partial)
    }
}
