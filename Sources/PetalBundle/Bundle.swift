import Foundation
import PetalData
import PetalML

/// A loaded serving bundle: its manifest and the fitted pipeline, checked file by file. Nothing in a
/// bundle is executed: the model is numbers and strings (`model.json`), decoded and validated.
///
/// In code that also imports Foundation, write `PetalBundle.Bundle` (or `ServingBundle`): Foundation has a
/// `Bundle` too.
public struct Bundle: Sendable {
    public let manifest: BundleManifest
    /// The fitted pipeline from `model.json`.
    public let model: FittedPipeline
    /// The folder it was loaded from.
    public let directory: URL

    /// The largest manifest or model file read (a guard against a huge or endless file).
    static let maximumFileSize = 2 << 30

    /// Loads the bundle in `directory`, verifying the manifest version and every file's SHA-256.
    /// - Throws: `DataError` naming the file: no `petal.json` (not a bundle, or half-written), a manifest from a
    ///   newer Petal, a listed file that is missing or whose checksum differs (tampered), a path that leaves
    ///   the folder, or a model that fails validation.
    public static func load(from directory: URL) throws -> Bundle {
        let folder = directory.standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError("\(folder.path) is not a folder", hint: "a bundle is the folder written by export P to DIR")
        }
        let manifestURL = folder.appendingPathComponent("petal.json")
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            throw DataError("\(folder.path) has no petal.json: not a Petal bundle, or an export that did not finish",
                            hint: "export the model again (export P to DIR)")
        }
        let manifestData = try read(manifestURL, name: "petal.json")
        let manifest = try decodeManifest(manifestData)
        guard manifest.files["model.json"] != nil else {
            throw DataError("petal.json lists no model.json", hint: "export the model again (export P to DIR)")
        }
        var contents: [String: Data] = [:]
        for (name, expected) in manifest.files.sorted(by: { $0.key < $1.key }) {
            let url = try resolve(name, in: folder)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw DataError("the bundle \(folder.lastPathComponent) is incomplete: \(name) is missing", hint: "export the model again")
            }
            let data = try read(url, name: name)
            guard SHA256.hex(data) == expected.lowercased() else {
                throw DataError("\(name) in \(folder.lastPathComponent) does not match its checksum in petal.json: the file was changed or damaged",
                                hint: "export the model again; bundle files must not be edited")
            }
            if name == "model.json" { contents[name] = data }
        }
        let model = try ModelFormat.decode(contents["model.json"] ?? Data(), file: "model.json")
        guard model.task == manifest.task, model.schema.classes == manifest.classLabels else {
            throw DataError("petal.json and model.json disagree on the task or class labels", hint: "export the model again")
        }
        return Bundle(manifest: manifest, model: model, directory: folder)
    }

    /// Checks `frame` against the input schema (see `BundleManifest.check`) and returns the warnings.
    @discardableResult
    public func check(_ frame: Frame) throws -> [String] { try manifest.check(frame) }

    /// Scores every row of `frame`: checks the input schema first, then predicts.
    /// - Throws: `BundleInputError` for a frame that does not fit the schema, `DataError` for values the
    ///   model cannot take (e.g. an unseen ordinal category with no imputer).
    public func predict(_ frame: Frame) throws -> BundlePrediction {
        try manifest.check(frame)
        return try predictChecked(frame)
    }

    /// `predict` for a frame already checked against the schema (batch scoring checks the whole input once).
    func predictChecked(_ frame: Frame) throws -> BundlePrediction {
        let x = try model.schema.matrix(frame, dataset: "the input")
        // Only missing inputs can reach the estimator as NaN; check (which transforms again) only then.
        if x.values.contains(where: \.isNaN) { try model.checkInput(x) }
        switch model.task {
        case .clustering:
            let assigned = model.clusters(x)
            return BundlePrediction(task: .clustering, classes: [], labels: [], values: [], clusters: assigned?.labels ?? [], probabilities: nil)
        case .regression:
            return BundlePrediction(task: .regression, classes: [], labels: [], values: model.predictValues(x) ?? [], clusters: [], probabilities: nil)
        case .classification:
            let (codes, p) = model.classify(x)
            let classes = model.schema.classes
            return BundlePrediction(task: .classification, classes: classes, labels: codes.map { classes[$0] }, values: [], clusters: [],
                                    probabilities: p, codes: codes)
        }
    }

    static func read(_ url: URL, name: String) throws -> Data {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= maximumFileSize else { throw DataError("\(name) is \(size) bytes, more than a bundle file may be") }
        do { return try Data(contentsOf: url) } catch {
            throw DataError("cannot read \(name): \(error.localizedDescription)", hint: "check the file's permissions")
        }
    }

    static func decodeManifest(_ data: Data) throws -> BundleManifest {
        // The version first, so a newer manifest gets "update Petal" rather than a field error.
        struct Header: Decodable { var format: String?; var format_version: Int? }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw DataError("petal.json is not valid JSON", hint: "export the model again")
        }
        guard header.format == BundleManifest.formatName else {
            throw DataError("petal.json is not a Petal bundle manifest (format \(header.format.map { "\"\($0)\"" } ?? "missing"))")
        }
        guard let version = header.format_version, version >= 1 else { throw DataError("petal.json has no format_version") }
        guard version <= BundleManifest.currentVersion else {
            throw DataError("this bundle was made by a newer Petal (bundle format \(version); this Petal reads up to \(BundleManifest.currentVersion))",
                            hint: "update Petal to load it, or export the model again with this version")
        }
        do { return try ModelFormat.decoder().decode(BundleManifest.self, from: data) } catch let e as DecodingError {
            throw DataError("petal.json is not a valid manifest: \(ModelFormat.describe(e))", hint: "export the model again")
        }
    }

    /// The URL of a file the manifest names, refusing names that could leave the bundle folder.
    static func resolve(_ name: String, in folder: URL) throws -> URL {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, !name.hasPrefix("."), name.count <= 255, name.allSatisfy(allowed.contains) else {
            throw DataError("petal.json names the file \"\(name)\", which is not a plain file name in the bundle folder",
                            hint: "a bundle lists only its own files; this one was edited — export the model again")
        }
        let url = folder.appendingPathComponent(name)
        let resolved = url.resolvingSymlinksInPath()
        guard resolved.deletingLastPathComponent().path == folder.resolvingSymlinksInPath().path else {
            throw DataError("\(name) in the bundle is a link that leaves the bundle folder", hint: "export the model again")
        }
        return url
    }
}

/// The same type under a name that does not clash with Foundation's `Bundle`.
public typealias ServingBundle = Bundle

/// What a bundle predicts for a batch: class labels with per-class probabilities (classes in `classes`
/// order), numbers (regression), or cluster ids (clustering).
public struct BundlePrediction: Sendable {
    public var task: Task
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
