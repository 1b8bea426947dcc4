import Foundation
import PetalData
import PetalML

/// A loaded serving bundle: its manifest and the fitted pipeline, checked file by file. Nothing in a
/// bundle is executed: the model is numbers and strings (`model.json`), decoded and validated.
///
/// Named `ServingBundle`, not `Bundle`, so that it never shadows Foundation's `Bundle`.
public struct ServingBundle: Sendable {
    public let manifest: BundleManifest
    /// The fitted pipeline from `model.json`.
    public let model: FittedPipeline
    /// The folder it was loaded from.
    public let directory: URL

    /// The largest manifest or model file read (a guard against a huge or endless file).
    static let maximumFileSize = 2 << 30

    /// Loads the bundle in `directory`, verifying the manifest version, the manifest's own digest and signature
    /// (`ManifestIntegrity`), every file's SHA-256, and that `model.onnx` is an ONNX model whose inputs and
    /// outputs are the manifest's (`ONNXInterface`).
    /// - Parameter requireSignature: when given, the bundle must be signed by this key (`--require-signature`).
    /// - Throws: `PetalError` naming the file: no `petal.json` (not a bundle, or half-written), a manifest from a
    ///   newer Petal, a manifest that was edited, a missing or wrong signature, a listed file that is missing or
    ///   whose checksum differs (tampered), a path that leaves the folder, a `model.onnx` that is not the
    ///   manifest's model, or a model that fails validation.
    public static func load(from directory: URL, requireSignature: BundleVerifyingKey? = nil) throws -> ServingBundle {
        let folder = directory.standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PetalError("\(folder.path) is not a folder", hint: "a bundle is the folder written by export P to DIR")
        }
        let manifestURL = folder.appendingPathComponent("petal.json")
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            throw PetalError("\(folder.path) has no petal.json: not a Petal bundle, or an export that did not finish",
                            hint: "export the model again (export P to DIR)")
        }
        let manifestData = try read(manifestURL, name: "petal.json")
        let manifest = try decodeManifest(manifestData)
        try ManifestIntegrity.verify(manifest, folder: folder.lastPathComponent, requiredKey: requireSignature)
        guard manifest.files["model.json"] != nil else {
            throw PetalError("petal.json lists no model.json", hint: "export the model again (export P to DIR)")
        }
        var contents: [String: Data] = [:]
        for (name, expected) in manifest.files.sorted(by: { $0.key < $1.key }) {
            let url = try resolve(name, in: folder)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw PetalError("the bundle \(folder.lastPathComponent) is incomplete: \(name) is missing", hint: "export the model again")
            }
            let data = try read(url, name: name)
            guard SHA256.hex(data) == expected.lowercased() else {
                throw PetalError("\(name) in \(folder.lastPathComponent) does not match its checksum in petal.json: the file was changed or damaged",
                                hint: "export the model again; bundle files must not be edited")
            }
            if name == "model.json" { contents[name] = data }
            if name == manifest.onnx?.file { try ONNXInterface.verify(data, against: manifest, file: name) }
        }
        let model = try ModelFormat.decode(contents["model.json"] ?? Data(), file: "model.json")
        guard model.task == manifest.task, model.schema.classes == manifest.classLabels else {
            throw PetalError("petal.json and model.json disagree on the task or class labels", hint: "export the model again")
        }
        guard model.threshold == manifest.decisionThreshold else {
            throw PetalError("petal.json and model.json disagree on the decision threshold", hint: "export the model again")
        }
        return ServingBundle(manifest: manifest, model: model, directory: folder)
    }

    /// The input field names petal.json lists, read without verifying anything (nil when it cannot be read): for
    /// choosing which columns of an input file to parse while `load` verifies the bundle, which it must still do.
    public static func unverifiedInputNames(in directory: URL) -> [String]? {
        let url = directory.standardizedFileURL.appendingPathComponent("petal.json")
        guard let data = try? read(url, name: "petal.json"), let manifest = try? decodeManifest(data) else { return nil }
        return manifest.inputs.map(\.name)
    }

    /// Checks `frame` against the input schema (see `BundleManifest.check`) and returns the warnings.
    @discardableResult
    public func check(_ frame: Frame) throws -> [String] { try manifest.check(frame) }

    /// Scores every row of `frame`: checks the input schema first, then predicts.
    /// - Throws: `BundleInputError` for a frame that does not fit the schema, `PetalError` for values the
    ///   model cannot take (e.g. an unseen ordinal category with no imputer).
    public func predict(_ frame: Frame) throws -> BundlePrediction {
        try manifest.check(frame)
        return try predictChecked(frame)
    }

    /// `predict` for a frame already checked against the schema (batch scoring checks the whole input once).
    /// - Parameter firstRow: the batch row of `frame`'s first row, for errors (batch scoring predicts slices).
    /// - Throws: `BundleInputError` naming the row when a feature overflows inside the pipeline or an answer is
    ///   not a finite number (see `FiniteGuard`).
    func predictChecked(_ frame: Frame, firstRow: Int = 0) throws -> BundlePrediction {
        let p = try score(frame, firstRow: firstRow)
        if let probabilities = p.probabilities {
            try FiniteGuard.requireFiniteOutputs(probabilities.values, width: probabilities.columns, frame: frame, firstRow: firstRow)
        }
        try FiniteGuard.requireFiniteOutputs(p.values, width: 1, frame: frame, firstRow: firstRow)
        return p
    }

    /// The prediction, once the features after the transforms are known to be finite.
    private func score(_ frame: Frame, firstRow: Int) throws -> BundlePrediction {
        let x = try model.schema.matrix(frame, dataset: "the input")
        // Only missing inputs can reach the estimator as NaN; check (which transforms again) only then.
        if NaNScan.any(x.values) { try model.checkInput(x) }
        // The transforms run once: the finiteness check hands back the features it checked.
        let t = try FiniteGuard.requireFiniteFeatures(model, x, frame: frame, firstRow: firstRow)
        switch model.task {
        case .clustering:
            let assigned = model.clusters(transformed: t)
            return BundlePrediction(task: .clustering, classes: [], labels: [], values: [], clusters: assigned?.labels ?? [], probabilities: nil)
        case .regression:
            return BundlePrediction(task: .regression, classes: [], labels: [], values: model.predictValues(transformed: t) ?? [], clusters: [], probabilities: nil)
        case .classification:
            let (codes, p) = model.classify(transformed: t) ?? model.classify(x)
            let classes = model.schema.classes
            return BundlePrediction(task: .classification, classes: classes, labels: codes.map { classes[$0] }, values: [], clusters: [],
                                    probabilities: p, codes: codes)
        }
    }

    static func read(_ url: URL, name: String) throws -> Data {
        // FileCheck says what a path that is not a regular file is (a folder, a pipe, a link loop), and reads
        // without mapping, so a file replaced meanwhile is an error rather than a crash.
        do {
            try FileCheck.requireReadableFile(url.path)
            let size = FileCheck.regularFileSize(url.path) ?? 0
            guard size <= maximumFileSize else { throw PetalError("\(name) is \(size) bytes, more than a bundle file may be") }
            return Data(try FileCheck.readAll(url.path))
        } catch var error as PetalError {
            if error.location != nil { error.message = "\(name) in the bundle: " + error.message; error.location = nil }
            error.hint = error.hint ?? "export the model again"
            throw error
        }
    }

    static func decodeManifest(_ data: Data) throws -> BundleManifest {
        // The version first, so a newer manifest gets "update Petal" rather than a field error.
        struct Header: Decodable { var format: String?; var format_version: Int? }
        guard let object = try? JSONSerialization.jsonObject(with: data), let fields = object as? [String: Any] else {
            throw PetalError("petal.json is not valid JSON (or not a JSON object)", hint: "export the model again")
        }
        if let v = fields["format_version"], !(v is NSNull), (try? JSONDecoder().decode(Header.self, from: data)) == nil {
            let shown = v is String ? "the text \"\(v)\"" : "\(v)"
            throw PetalError("petal.json's format_version is \(shown), not a whole number", hint: "it reads \"format_version\": 1; export the model again")
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw PetalError("petal.json's format is not text", hint: "export the model again")
        }
        guard header.format == BundleManifest.formatName else {
            throw PetalError("petal.json is not a Petal bundle manifest (format \(header.format.map { "\"\($0)\"" } ?? "missing"))")
        }
        guard let version = header.format_version, version >= 1 else { throw PetalError("petal.json has no format_version") }
        guard version <= BundleManifest.currentVersion else {
            throw PetalError("this bundle was made by a newer Petal (bundle format \(version); this Petal reads up to \(BundleManifest.currentVersion))",
                            hint: "update Petal to load it, or export the model again with this version")
        }
        do { return try ModelFormat.decoder().decode(BundleManifest.self, from: data) } catch let e as DecodingError {
            throw PetalError("petal.json is not a valid manifest: \(ModelFormat.describe(e))", hint: "export the model again")
        }
    }

    /// The URL of a file the manifest names, refusing names that could leave the bundle folder.
    static func resolve(_ name: String, in folder: URL) throws -> URL {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, !name.hasPrefix("."), name.count <= 255, name.allSatisfy(allowed.contains) else {
            throw PetalError("petal.json names the file \"\(name)\", which is not a plain file name in the bundle folder",
                            hint: "a bundle lists only its own files; this one was edited — export the model again")
        }
        let url = folder.appendingPathComponent(name)
        let resolved = url.resolvingSymlinksInPath()
        guard resolved.deletingLastPathComponent().path == folder.resolvingSymlinksInPath().path else {
            throw PetalError("\(name) in the bundle is a link that leaves the bundle folder", hint: "export the model again")
        }
        return url
    }
}

/// What a bundle predicts for a batch: class labels with per-class probabilities (classes in `classes`
/// order), numbers (regression), or cluster ids (clustering).
public struct BundlePrediction: Sendable {
    public var task: LearningTask
    /// Class labels, the column order of `probabilities`.
    public var classes: [String]
    /// The predicted class of each row (classification).
    public var labels: [String]
    /// The predicted number of each row (regression).
    public var values: [Double]
    /// The cluster of each row (clustering).
    public var clusters: [Int]
    /// Rows × classes probabilities (classification); nil otherwise.
    public var probabilities: Matrix?
    /// The predicted class index of each row (classification).
    public var codes: [Int] = []

    /// Rows scored.
    public var count: Int {
        switch task {
        case .classification: return labels.count
        case .regression: return values.count
        case .clustering: return clusters.count
        }
    }

    /// Row `r`'s probabilities in `classes` order (empty unless classification).
    public func probabilities(row r: Int) -> [Double] {
        guard let p = probabilities, r >= 0, r < p.rows else { return [] }
        return Array(p.row(r))
    }
}
