import Foundation
import PetalBundle
import PetalData
import PetalTracking

/// Serving bundles of registered model versions, kept beside the store in `registry/NAME/vVERSION/`, so that
/// `petal serve NAME@alias` serves whichever version the alias points to and switches when it moves.
public enum RegistryBundles {
    /// The bundle folder of a version.
    public static func folder(tracking: String, model: String, version: Int) -> URL {
        URL(fileURLWithPath: tracking).appendingPathComponent("registry").appendingPathComponent(model).appendingPathComponent("v\(version)")
    }

    /// Writes the bundle of `model`/`version` (its run's saved model, with input statistics from the data set
    /// the run was trained on, which must be open and unchanged).
    static func write(model: String, version: Int, session: Session, store: TrackingStore) throws {
        guard let tracker = session.tracker else { return }
        let export = try ExportCommand.registered("\(model)/\(version)", session: session)
        try BundleWriter.write(export, to: folder(tracking: tracker.folder, model: model, version: version))
    }
}

/// A registered model served by reference (`NAME@alias`, `NAME/version`, `NAME@latest`): the fingerprint is the
/// version the reference resolves to now, so moving the alias swaps the served model (in-flight requests finish
/// on the old one).
public final class RegistrySource: ModelSource, @unchecked Sendable {
    public let reference: String
    private let folder: String
    private let lock = NSLock()
    private var store: TrackingStore?
    /// When set, each version's bundle must be signed by this key (`--require-signature`).
    public let requireSignature: BundleVerifyingKey?

    public init(reference: String, trackingFolder: String, requireSignature: BundleVerifyingKey? = nil) throws {
        self.reference = reference
        self.requireSignature = requireSignature
        folder = trackingFolder
        store = try TrackingStore(folder: trackingFolder)
        _ = try resolve()
    }

    public var location: String { reference }

    /// The model name and version the reference points to now.
    private func resolve() throws -> (model: String, version: Int) {
        try lock.withLock {
            if store == nil { store = try TrackingStore(folder: folder) }
            guard let store else { throw PetalError("cannot open the tracking store in \(folder)") }
            let (model, version, _) = try store.resolve(reference)
            return (model, version)
        }
    }

    public func fingerprint() -> String? {
        guard let (model, version) = try? resolve() else { return nil }
        return "\(model)/\(version)"
    }

    public func load() throws -> any ServableModel {
        let (model, version) = try resolve()
        let bundle = RegistryBundles.folder(tracking: folder, model: model, version: version)
        guard FileManager.default.fileExists(atPath: bundle.appendingPathComponent("petal.json").path) else {
            throw PetalError("\(model)/\(version) has no serving bundle in \(bundle.path)",
                            hint: "register it from a session that has its data open, or export it: export \(model)/\(version) to DIR")
        }
        return BundleModel(try ServingBundle.load(from: bundle, requireSignature: requireSignature))
    }
}
