import Foundation
import PetalData

/// Opens the feature store a project uses: `PETAL_FEATURE_STORE` when set, else `features.db` in the tracking folder.
public enum FeatureStores {
    /// - Parameters:
    ///   - folder: the tracking folder (`.petal/` or `PETAL_HOME`), where the SQLite store lives.
    ///   - environment: read for `PETAL_FEATURE_STORE` (`sqlite:FOLDER`, or a `postgresql://` URL once a backend exists).
    /// - Throws: `PetalError` for a store that cannot be opened, or a kind of store this Petal has no backend for.
    public static func open(folder: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                            now: @escaping () -> Double) throws -> FeatureStore {
        let setting = environment["PETAL_FEATURE_STORE"]?.trimmingCharacters(in: .whitespaces) ?? ""
        if setting.isEmpty { return FeatureStore(storage: try SQLiteFeatureStorage(folder: folder), now: now) }
        if setting.hasPrefix("sqlite:") {
            return FeatureStore(storage: try SQLiteFeatureStorage(folder: String(setting.dropFirst("sqlite:".count))), now: now)
        }
        let scheme = setting.prefix { $0 != ":" }
        if scheme == "postgresql" || scheme == "postgres" {
            throw PetalError("PETAL_FEATURE_STORE names a PostgreSQL server, and this Petal has no PostgreSQL feature store yet",
                            hint: "unset PETAL_FEATURE_STORE to keep feature groups in \(folder)/features.db")
        }
        throw PetalError("PETAL_FEATURE_STORE=\(setting) is not a feature store Petal knows",
                        hint: "leave it unset for \(folder)/features.db, or sqlite:FOLDER for features.db in another folder")
    }
}
