import Foundation
import PetalBundle
import PetalData
import PetalTracking

/// `demo P [FIELD=value …] [label.FIELD=TEXT …] [examples=ROW,…] [row=N] [live=on]`: a prediction form for a
/// fitted pipeline. In the workbench it is interactive; as text it shows the form once with its prediction.
public enum DemoCommand: PetalCommand {
    public static let name = "demo"
    public static let syntax = "demo P|MODEL@ALIAS|BUNDLE [FIELD=value …] [label.FIELD=TEXT …] [examples=ROW,…] [row=N] [live=on] [require_signature=PUBKEY]"
    public static let summary = "a prediction form for a fitted model: type inputs, see the class and its probabilities"
    public static let parsesOwnText = true
    static let examples = CommandOption("examples", placeholder: "3,57,120", help: "the example rows (default: the first training row of each class)")
    static let row = CommandOption("row", placeholder: "N", help: "fill the form from row N of the training data set")
    static let live = CommandOption("live", .flag, default: "false", help: "predict on every keystroke (workbench)")
    /// Its own options; every other `FIELD=value` fills a field and `label.FIELD=TEXT` names one.
    public static let options = [examples, row, live, ServeCommand.requireSignature]
    public static let help = """
        P is a fitted pipeline, a registered model (NAME@alias or NAME/version; the data set it was trained
        on must be open) or a bundle folder written by export (its manifest gives the ranges).
        One field per input column, pre-filled with the training median (numbers) or the most frequent
        category (text); numbers show their training range and warn outside it. The prediction shows the
        class large with a bar per class, highest first (or the value, for regression).
          FIELD=value        fill a field (e.g. petal_length=1.4)
          label.FIELD=TEXT   show TEXT instead of the column name
        In the workbench: Tab/Shift-Tab move between fields, ↑/↓ (or +/-) nudge a number, Enter predicts,
        PgUp/PgDn fill an example, Ctrl-T live mode, Ctrl-F flag (saves to .petal/flags.csv, see flags),
        Ctrl-R the curl request for petal serve, Esc back.
        Examples:
          demo p
          demo p sepal_length=5.1 sepal_width=3.5 petal_length=1.4 petal_width=0.2
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        if context.previous.count == 1 { return context.session.pipelines.map(\.name) }
        guard let entry = context.session.pipelines.first(where: { $0.name == context.previous[1] }) else { return [] }
        return (entry.fit?.model.schema.inputs.map { $0.column + "=" } ?? []) + ["live=on"]
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a fitted pipeline, registered model or bundle folder", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        var labels: [String: String] = [:]
        for (k, v) in args.options where k.hasPrefix("label.") { labels[String(k.dropFirst(6))] = v }
        var exampleRows: [Int]?
        if let list = args.text(Self.examples) {
            exampleRows = try list.split(separator: ",").map { part in
                guard let r = Int(part.trimmingCharacters(in: .whitespaces)) else {
                    throw PetalError("examples=\(list): \"\(part)\" is not a row number", hint: "for example examples=0,50,100")
                }
                return r
            }
        }
        let key = try args.text(ServeCommand.requireSignature).map { try BundleVerifyingKey(file: $0) }
        let (model, data) = try resolve(name, session: session, labels: labels, exampleRows: exampleRows, requireSignature: key)
        var texts = model.fields.map(\.defaultText)
        if let rowText = args.text(Self.row) {
            guard let data else { throw PetalError("row= needs the training data; a bundle has none", hint: "type the values instead: FIELD=value") }
            guard let r = Int(rowText), r >= 0, r < data.frame.rowCount else {
                throw PetalError("row=\(rowText) is not a row of \(data.name) (0 to \(data.frame.rowCount - 1))")
            }
            texts = try model.fields.map { try DemoModel.text(data.frame.requireColumn($0.name, dataset: data.name), r) }
        }
        let known = Set(model.fields.map(\.name))
        let own = CommandOption.names(options)
        for (k, v) in args.options where !k.hasPrefix("label.") && !own.contains(k.lowercased()) {
            guard known.contains(k), let i = model.fields.firstIndex(where: { $0.name == k }) else {
                let best = model.fields.map(\.name).min { Levenshtein.distance($0, k) < Levenshtein.distance($1, k) }
                throw PetalError("\(name) has no input called \"\(k)\"", hint: "its inputs: " + model.fields.map(\.name).joined(separator: ", ")
                                + (best.map { Levenshtein.distance($0, k) <= 2 ? " (did you mean \($0)?)" : "" } ?? ""))
            }
            texts[i] = v
        }
        return DemoOutput(model: model, texts: texts, live: try args.bool(Self.live))
    }
}

extension DemoCommand {
    /// The model behind NAME: a pipeline of the session, a bundle folder, or a registered model; and the data
    /// set it was trained on, when there is one.
    static func resolve(_ name: String, session: Session, labels: [String: String], exampleRows: [Int]?,
                        requireSignature: BundleVerifyingKey? = nil) throws -> (DemoModel, Dataset?) {
        let isBundle = FileManager.default.fileExists(atPath: URL(fileURLWithPath: name).appendingPathComponent("petal.json").path)
        if requireSignature != nil && !isBundle {
            throw PetalError("require_signature= checks bundles; \(name) is not a bundle folder", hint: "export it with sign=KEYFILE, then demo DIR")
        }
        if let entry = session.pipelines.first(where: { $0.name == name }) {
            let model = try DemoModel.from(pipeline: entry, session: session, labels: labels, exampleRows: exampleRows)
            return (model, try session.dataset(try entry.fitted().dataset))
        }
        if isBundle {
            if exampleRows != nil { throw PetalError("examples= needs the training data; a bundle has none", hint: "leave examples= out") }
            let bundle = try ServingBundle.load(from: URL(fileURLWithPath: name), requireSignature: requireSignature)
            return (DemoModel.from(bundle: bundle, path: name, labels: labels), nil)
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: name, isDirectory: &isFolder) {
            // A path that exists is never a model reference (bundles/iris is not model "bundles", version "iris").
            throw PetalError(isFolder.boolValue ? "\(name) is a folder but not a bundle: it has no petal.json"
                                               : "\(name) is a file, not a bundle folder",
                            hint: "a bundle is the folder written by export P to DIR; demo also takes a fitted pipeline or NAME@alias")
        }
        if PathArgument.looksLikePath(name), !PathArgument.exists(name), !TrackingStore.isModelReference(name) {
            throw PathArgument.missing(name, what: "bundle folder")
        }
        if TrackingStore.isModelReference(name) {
            let training = try session.registeredTraining(name)
            return (try DemoModel.from(registered: training, reference: name, labels: labels, exampleRows: exampleRows), training.data)
        }
        _ = try session.pipeline(name)  // the error that lists the pipelines
        throw PetalError("no pipeline, bundle or registered model called \(name)")
    }
}
