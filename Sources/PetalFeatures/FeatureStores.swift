import Foundation
import PetalData

/// Opens the feature store a project uses: `PETAL_FEATURE_STORE` when set, else `features.db` in the tracking folder.
public enum FeatureStores {
    /// - Parameters:
    ///   - folder: the tracking folder (`.petal/` or `PETAL_HOME`), where the SQLite store lives.
    ///   - environment: read for `PETAL_FEATURE_STORE` (`sqlite:FOLDER`, or a `postgresql://` address: a shared store).
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
            return FeatureStore(storage: try PostgresFeatureStorage(address: setting), now: now)
        }
        throw PetalError("PETAL_FEATURE_STORE=\(setting) is not a feature store Petal knows",
                        hint: "leave it unset for \(folder)/features.db, sqlite:FOLDER for features.db in another folder, or postgresql://user@host/database for a shared store")
    }
}
