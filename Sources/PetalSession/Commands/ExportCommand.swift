import Foundation
import PetalBundle
import PetalData
import PetalML
import PetalTracking

/// `export P to DIR`: write a fitted pipeline as a serving bundle (model as data, ONNX inside, MLmodel).
public enum ExportCommand: PetalCommand {
    public static let name = "export"
    public static let syntax = "export P|MODEL@ALIAS|MODEL/VERSION to DIR [sign=KEYFILE]"
    static let sign = CommandOption("sign", placeholder: "KEYFILE", help: "sign the bundle with a secret key from petal keygen DIR")
    public static let options = [sign]
    public static let summary = "write a fitted pipeline as a serving bundle: petal.json, model.json, model.onnx, MLmodel"
    public static let help = """
        Writes a folder that serves the model without this session:
          petal.json        manifest: input schema (types, training min/max/median, categories), outputs,
                            class labels, metrics, training statistics for drift, SHA-256 of every file,
                            the SHA-256 of its own canonical content, and with sign= an Ed25519 signature
          model.json        the fitted pipeline as data (numbers and strings; nothing is executed on load)
          model.onnx        the whole pipeline, preprocessing included (ONNX-ML: IR 8, ai.onnx 17, ai.onnx.ml 3;
                            outputs label and probabilities); inputs: one tensor per column
          MLmodel           MLflow's onnx flavour, with python_env.yaml and requirements.txt
          README.md         how to serve it with Petal, MLflow and onnxruntime
        An existing bundle in DIR is replaced; the folder is swapped in whole, never half-written.
        A bundle signed with sign=KEYFILE (a secret key from petal keygen DIR) is served by petal serve DIR
        --require-signature PUBKEY only while it is unchanged (an edit with recomputed checksums is refused too).
        Then: petal serve DIR, petal predict DIR INPUT -o OUT, drift DIR on NAME.
        A registered model exports too: its model is the one saved with its run; the input statistics come
        from the data set the run was trained on (open and unchanged), all of its rows.
        Examples:
          export p to bundles/iris
          export iris-classifier@champion to bundles/champion
          export p to bundles/iris sign=keys/petal-signing.key
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        switch context.previous.count {
        case 1: return context.session.pipelines.filter { $0.fit != nil }.map(\.name)
        case 2: return ["to"]
        default: return Completion.paths(context.partial)
        }
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let p = try args.required(0, "a pipeline", syntax: syntax)
        guard args.positional[safe: 1]?.lowercased() == "to", let path = args.positional[safe: 2] else {
            throw PetalError("export needs a destination folder", hint: "usage: \(syntax)")
        }
        try args.checkPositional(max: 3, syntax: syntax)
        // The key first: a wrong key file fails before any work.
        let key = try args.text(Self.sign).map { try BundleSigningKey(file: $0) }
        var export: BundleExport
        if !session.pipelines.contains(where: { $0.name == p }), TrackingStore.isModelReference(p) {
            export = try registered(p, session: session)
        } else {
            let entry = try session.pipeline(p)
            let fit = try entry.fitted()
            let dataset = try session.dataset(fit.dataset)
            guard fit.split.train.allSatisfy({ $0 < dataset.frame.rowCount }) else {
                throw PetalError("\(dataset.name) has changed since \(entry.name) was fitted on it", hint: "fit \(entry.name) again, then export")
            }
            let training = dataset.frame.taking(fit.split.train)
            export = BundleExport(name: entry.name, model: fit.model, training: training, metrics: ExportCommand.metrics(fit.evaluation),
                                  sourceRun: fit.runID.map(String.init))
        }
        export.signingKey = key
        let (manifest, skipped) = try BundleWriter.writeReporting(export, to: URL(fileURLWithPath: path))
        return ExportOutput(pipeline: export.name, path: path, manifest: manifest, onnxSkipped: skipped)
    }

    /// The export of a registered model: its saved model, the metrics of its run, and its run's data set.
    static func registered(_ reference: String, session: Session) throws -> BundleExport {
        let t = try session.registeredTraining(reference)
        var metrics: [String: Double] = [:]
        for key in t.summary.metrics.keys { if let v = t.summary.metrics[key]?.value("last"), v.isFinite { metrics[key] = v } }
        return BundleExport(name: reference, model: t.model.model, training: t.data.frame, metrics: metrics, sourceRun: String(t.run))
    }

    /// The evaluation's numeric metrics by name.
    static func metrics(_ evaluation: Evaluation) -> [String: Double] {
        guard case .object(let fields) = evaluation.metricsJSON else { return [:] }
        var out: [String: Double] = [:]
        for (k, v) in fields {
            if case .number(let d) = v { out[k] = d } else if case .int(let i) = v { out[k] = Double(i) }
        }
        return out
    }
}

/// The result of `export`: where the bundle went and what it holds.
public struct ExportOutput: CommandOutput {
    public var pipeline: String
    public var path: String
    public var manifest: BundleManifest
    /// Why `model.onnx` was left out, when it was.
    public var onnxSkipped: PetalError? = nil

    public func renderText(width: Int) -> String {
        let m = manifest
        let signer = m.signature.flatMap { s in Data(base64Encoded: s.publicKey).map { String(SHA256.hex($0).prefix(16)) } } ?? ""
        let what: String
        switch m.task {
        case .classification: what = "classifies \(m.target) (\(m.classLabels.joined(separator: ", ")))"
        case .regression: what = "predicts \(m.target)"
        case .clustering: what = "assigns clusters"
        }
        let inputs = m.inputs.map { "\($0.name) (\($0.type.rawValue))" }.joined(separator: ", ")
        let outputs = m.outputs.map { "\($0.name) \($0.type) \($0.shape)" }.joined(separator: ", ")
        return """
            exported \(pipeline) to \(path): \(what)
              inputs   \(inputs)
              outputs  \(outputs)
              files    petal.json, \(m.files.keys.sorted().joined(separator: ", "))\(m.signature.map { _ in "\n  signed   Ed25519, key \(signer)" } ?? "")
              use      petal serve \(path) · petal predict \(path) INPUT -o OUT · drift \(path) on NAME
            """ + (onnxSkipped.map { "\n  no ONNX  model.onnx was not written: \($0.message)" + ($0.hint.map { " (\($0))" } ?? "") } ?? "")
    }

    public func json() -> JSONValue {
        .object([
            ("pipeline", .string(pipeline)), ("path", .string(path)), ("task", .string(manifest.task.rawValue)),
            ("format_version", .int(manifest.formatVersion)),
            ("inputs", .array(manifest.inputs.map { .object([("name", .string($0.name)), ("type", .string($0.type.rawValue))]) })),
            ("outputs", .array(manifest.outputs.map { .object([("name", .string($0.name)), ("type", .string($0.type)),
                                                                ("shape", .array($0.shape.map { .int($0) }))]) })),
            ("class_labels", .array(manifest.classLabels.map { .string($0) })),
            ("files", .object(manifest.files.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("signed", .bool(manifest.signature != nil)),
        ] + (onnxSkipped.map { [("onnx_skipped", .string($0.message))] } ?? []))
    }
}
