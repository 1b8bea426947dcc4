import Foundation
import PetalBundle
import PetalData
import PetalTracking

/// The session's link to the experiment log: the store (or why there is none) and the current experiment.
/// Tracking never makes a command fail: when the store cannot be opened or written (a read-only folder, a full
/// disk, a store from a newer Petal), commands still run and say in a warning that their run was not recorded.
public final class Tracker {
    /// The tracking folder (`.petal/` in the working folder, or `PETAL_HOME`).
    public let folder: String
    public private(set) var store: TrackingStore?
    /// Why there is no store.
    public private(set) var unavailable: PetalError?
    private let clock: TrackingClock
    /// The experiment new runs go to (`experiment NAME` switches it).
    public var experiment = "default"
    /// The MLflow tracking server every run is also sent to (`MLFLOW_TRACKING_URI`, `tracking_uri=` / `setServer`);
    /// nil sends nothing. See `Tracking/RemoteTracking.swift`.
    public var remote: MLflowSync? {
        didSet { sender?.retire(); sender = nil }
    }
    /// Sends `remote`'s queue on a thread of its own (made at the first run that ends with a server set).
    var sender: RemoteSender?

    /// Opens the store in `folder`; never throws (a failure is kept in `unavailable`).
    public init(folder: String, clock: TrackingClock = .system) {
        self.folder = folder
        self.clock = clock
        (store, unavailable) = Tracker.open(folder: folder, clock: clock)
    }

    private static func open(folder: String, clock: TrackingClock) -> (TrackingStore?, PetalError?) {
        do {
            return (try TrackingStore(folder: folder, clock: clock), nil)
        } catch let error as PetalError {
            return (nil, error)
        } catch {
            return (nil, PetalError("\(error)"))
        }
    }

    /// `runs repair`: closes the store, copies what can be read into a new file (keeping the damaged one) and
    /// opens the new file.
    public func repair() throws -> RepairReport {
        store = nil  // the only connection this session holds: closed before the files move
        defer { (store, unavailable) = Tracker.open(folder: folder, clock: clock) }
        return try TrackingStore.repair(folder: folder)
    }

    /// The tracking folder for a working folder: `PETAL_HOME` when set, else `.petal` in the working folder.
    public static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment,
                                     workingFolder: String = FileManager.default.currentDirectoryPath) -> String {
        if let home = environment["PETAL_HOME"], !home.isEmpty { return home }
        return (workingFolder as NSString).appendingPathComponent(".petal")
    }

    /// The store, or the reason there is none (for commands that only read or edit the log).
    public func requireStore() throws -> TrackingStore {
        if let store { return store }
        throw unavailable ?? PetalError("tracking is off")
    }

    /// The warning a tracked command shows when its run could not be recorded.
    func notRecorded(_ error: Error) -> DataWarning {
        let reason = (error as? PetalError).map { $0.message } ?? "\(error)"
        return DataWarning("this run was not recorded (tracking is off: \(reason))")
    }
}

extension Session {
    /// The tracker, or an error saying how tracking is turned on.
    func requireTracker() throws -> Tracker {
        guard let tracker else {
            throw PetalError("this session does not track runs", hint: "the petal command line tracks runs in .petal/ (or PETAL_HOME)")
        }
        return tracker
    }

    /// The tracking store, or an error saying why there is none.
    func requireStore() throws -> TrackingStore { try requireTracker().requireStore() }
}
