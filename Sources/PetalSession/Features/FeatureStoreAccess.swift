import Foundation
import PetalData
import PetalFeatures

extension Session {
    /// The feature store: the one set on the session, else the project's (`features.db` in the tracking folder,
    /// opened on first use with the tracking store's clock, so notebooks record the same times on every run).
    func requireFeatureStore() throws -> FeatureStore {
        if let featureStore { return featureStore }
        guard let tracker else {
            throw PetalError("this session has no feature store", hint: "the petal command line keeps one in .petal/ (or PETAL_HOME)")
        }
        let clock = tracker.store?.clock
        let store = try FeatureStores.open(folder: tracker.folder, now: { clock?.now() ?? Date().timeIntervalSince1970 })
        featureStore = store
        return store
    }

    /// The feature store when the project has one (set, named by `PETAL_FEATURE_STORE`, or `features.db` present),
    /// else nil: for commands that only look a name up (`describe NAME`, `fit P on NAME`), which must not create
    /// a store as a side effect.
    func existingFeatureStore() -> FeatureStore? {
        if let featureStore { return featureStore }
        guard let tracker else { return nil }
        let configured = !(ProcessInfo.processInfo.environment["PETAL_FEATURE_STORE"] ?? "").isEmpty
        guard configured || FileManager.default.fileExists(atPath: (tracker.folder as NSString).appendingPathComponent("features.db")) else { return nil }
        return try? requireFeatureStore()
    }

    /// The data set `name`, or the training data of the feature view `name` as of `asOf` (µs; nil = now) with the view's
    /// details for the run (`fit P on VIEW`, `cv P on VIEW`).
    func datasetOrView(_ name: String, asOf: Int64?) throws -> Dataset {
        if datasets.contains(where: { $0.name == name }) {
            if asOf != nil { throw PetalError("as_of= reads a feature view as of a time; \(name) is a data set", hint: "leave as_of out") }
            return try dataset(name)
        }
        if let store = existingFeatureStore(), store.hasView(name) {
            let data = try store.trainingData(try store.view(name), asOf: asOf)
            return Dataset(name: name, frame: data.frame, source: "feature view \(name) v\(data.view.version)",
                           view: ViewReference(name: name, version: data.view.version, asOf: data.asOf))
        }
        return try dataset(name)
    }
}

/// Times as commands write them: `as_of=2026-11-01`, `as_of=2026-11-01T12:00`.
enum TimeArgument {
    /// Microseconds since 1970 of `text`, or an error naming the option.
    static func micros(_ text: String, option: String) throws -> Int64 {
        guard let parsed = DateParsing.parse(text) else {
            throw PetalError("\(option)=\(text) is not a date", hint: "write it as 2026-11-01 or 2026-11-01T12:00")
        }
        return parsed.micros
    }

    /// `2026-11-01 12:00:00` for messages (seconds shown only when not zero; date only at midnight).
    static func text(_ micros: Int64) -> String {
        DateTimeText.format(micros: micros, dateOnly: micros % 86_400_000_000 == 0)
    }
}
