import Foundation
import PetalData

/// A loaded bundle as a servable model: inputs, nullability and categories from its manifest, predictions
/// from `ServingBundle.predict` (which checks the input schema again).
public struct BundleModel: ServableModel {
    public let bundle: ServingBundle
    public let description: ModelDescription

    public init(_ bundle: ServingBundle) {
        self.bundle = bundle
        let m = bundle.manifest
        let inputs = m.inputs.map { f -> RequestField in
            switch f.type {
            case .number: return RequestField(name: f.name, kind: .number, nullable: f.nullable, acceptsBoolean: f.dtype == "bool")
            case .text: return RequestField(name: f.name, kind: f.categories.map { .category($0) } ?? .text, nullable: f.nullable)
            }
        }
        var example: [String: ExampleValue] = [:]
        for f in m.inputs {
            if let median = f.median, median.isFinite { example[f.name] = .number(median) }
            else if let first = f.categories?.first { example[f.name] = .text(first) }
        }
        // The model file's checksum names the version: it changes exactly when the model does.
        let version = String((m.files["model.json"] ?? "unknown").prefix(16))
        description = ModelDescription(name: m.name, version: version, inputs: inputs, classes: m.classLabels, task: m.task,
                                       example: example)
    }

    public func drift(of recent: Frame) throws -> DriftReport? {
        try DriftReport.compare(bundle.manifest, with: recent)
    }

    public func predict(_ frame: Frame) throws -> Predictions {
        // A `BundleInputError` (a field that does not fit) goes to the caller, who says it in its own terms
        // (the server as a 400 naming the field).
        let p = try bundle.predict(frame)
        switch p.task {
        case .classification: return .classes(codes: p.codes, probabilities: p.probabilities?.values ?? [])
        case .regression: return .values(p.values)
        case .clustering: return .clusters(p.clusters)
        }
    }
}

/// A bundle folder as a model source: the fingerprint is a checksum of its `petal.json` (which an export writes
/// last, listing every other file's SHA-256), so a re-export or a moved alias shows up at the next poll and the
/// new bundle is loaded and verified before it is served.
///
/// With `requireSignature`, every load — the first and each reload — needs a bundle signed by that key, so an
/// edited bundle is never swapped in (it is logged and the old model keeps serving).
public struct BundleSource: ModelSource {
    public let directory: URL
    public let requireSignature: BundleVerifyingKey?

    public init(directory: URL, requireSignature: BundleVerifyingKey? = nil) {
        self.directory = directory; self.requireSignature = requireSignature
    }

    public var location: String { directory.path }

    public func fingerprint() -> String? {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("petal.json")) else { return nil }
        return SHA256.hex(data)
    }

    public func load() throws -> any ServableModel {
        BundleModel(try ServingBundle.load(from: directory, requireSignature: requireSignature))
    }
}
