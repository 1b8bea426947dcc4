import Foundation
import PetalData

/// The experiment log: one SQLite file (`petal.db`, WAL mode) in a tracking folder (`.petal/` in the working
/// folder), with run artifacts in `artifacts/RUN_ID/` beside it. Several processes may write at once: every write
/// is one `BEGIN IMMEDIATE` transaction and waits on the busy timeout for the others.
/// A store is used from one thread at a time.
public final class TrackingStore {
    /// The tracking folder (holds `petal.db` and `artifacts/`).
    public let folder: String
    public let databasePath: String
    let db: SQLiteDatabase
    /// Where times come from (a counting clock keeps notebooks' recorded output the same on every run).
    public let clock: TrackingClock
    /// What opening the store did that a user should hear about: a migration and its backup, runs marked failed.
    public private(set) var notices: [String] = []

    /// The schema version this Petal writes (`PRAGMA user_version`).
    public static var schemaVersion: Int { Schema.current }

    /// Opens (creating when missing) the store in `folder`, migrates an older one after a backup copy, and marks
    /// runs left "running" by processes that no longer exist as failed.
    /// - Throws: `DataError` when the folder cannot be created or written, or the store is from a newer Petal.
    public init(folder: String, clock: TrackingClock = .system, busyTimeoutMilliseconds: Int32 = 10_000) throws {
        self.folder = folder
        self.clock = clock
        databasePath = (folder as NSString).appendingPathComponent("petal.db")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DataError("cannot create the tracking folder \(folder): \(Self.reason(error))",
                            hint: "runs are not recorded; work in a folder you can write to, or set PETAL_HOME to one")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw DataError("the tracking folder \(folder) is read-only",
                            hint: "runs are not recorded; work in a folder you can write to, or set PETAL_HOME to one")
        }
        let path = databasePath
        do {
            db = try Self.retryingWhileBusy { try Self.open(path, busyTimeoutMilliseconds: busyTimeoutMilliseconds) }
        } catch let error as DataError {
            throw DataError("cannot open the tracking store \(databasePath): \(error.message)",
                            hint: "runs are not recorded; check the folder's space and permissions, or set PETAL_HOME to another folder")
        }
        try Self.retryingWhileBusy { try migrate() }
        try markAbandonedRuns()
    }

    /// Opens the database file in WAL mode.
    private static func open(_ path: String, busyTimeoutMilliseconds: Int32) throws -> SQLiteDatabase {
        let db = try SQLiteDatabase(path: path, access: .readWriteCreate, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        _ = try db.scalarText("PRAGMA journal_mode=WAL", doing: "cannot switch the tracking store to WAL mode")
        try db.execute("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON", doing: "cannot set up the tracking store")
        return db
    }

    /// Runs `work` again while SQLite reports the file busy or locked: switching a new file to WAL mode and creating
    /// its schema can answer SQLITE_BUSY at once, without waiting on the busy timeout, when another process is
    /// creating the same store at that moment (seen with two `petal` processes starting together).
    static func retryingWhileBusy<T>(attempts: Int = 40, _ work: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do { return try work() } catch let error as DataError {
                let text = error.message.lowercased()
                attempt += 1
                guard attempt < attempts, text.contains("locked") || text.contains("busy") else { throw error }
                usleep(useconds_t(25_000 + 5_000 * attempt))
            }
        }
    }

    // MARK: - Schema versions

    /// Brings the schema to `Schema.current`: creates a new store, migrates an older one after writing a backup
    /// copy beside it, refuses a newer one.
    private func migrate() throws {
        let found = Int(try db.scalarInt("PRAGMA user_version", doing: "cannot read the tracking store's version") ?? 0)
        if found > Schema.current {
            throw DataError("the tracking store \(databasePath) was written by a newer Petal (schema version \(found); this Petal reads up to \(Schema.current))",
                            hint: "upgrade Petal to use it, or move \(folder) aside to start a new log; runs are not recorded meanwhile")
        }
        guard found < Schema.current else { return }
        if found > 0 {
            // A consistent copy, WAL included, before anything changes.
            let backup = databasePath + ".v\(found).backup"
            try? FileManager.default.removeItem(atPath: backup)
            try db.run("VACUUM INTO ?", [.text(backup)], doing: "cannot write a backup of the tracking store before migrating it")
        }
        try db.transaction(doing: "cannot migrate the tracking store") {
            // Another process may have migrated while this one waited for the lock: read the version again.
            let now = Int(try db.scalarInt("PRAGMA user_version") ?? 0)
            guard now < Schema.current else { return }
            for version in now..<Schema.current {
                try db.execute(Schema.migrations[version], doing: "cannot migrate the tracking store to version \(version + 1)")
            }
            try db.execute("PRAGMA user_version = \(Schema.current)")
        }
        if found > 0 {
            notices.append("migrated the tracking store from schema version \(found) to \(Schema.current) (backup: \(databasePath).v\(found).backup)")
        }
    }

    /// Marks runs whose process ended without finishing them (killed, crashed) as failed.
    private func markAbandonedRuns() throws {
        let stmt = try db.prepare("SELECT id, pid, pid_start, host FROM runs WHERE status = 'running'", doing: "cannot read the running runs")
        var abandoned: [Int64] = []
        let me = ProcessIdentity.current
        while try stmt.step() {
            let pid = Int32(truncatingIfNeeded: stmt.int64(1))
            let start = stmt.isNull(2) ? nil : stmt.int64(2)
            let host = stmt.text(3)
            guard host == me.host else { continue }  // another machine's process: cannot tell
            if pid == me.pid && start == me.startTicks { continue }
            if !ProcessIdentity.isAlive(pid: pid, startTicks: start) { abandoned.append(stmt.int64(0)) }
        }
        guard !abandoned.isEmpty else { return }
        try db.transaction(doing: "cannot mark abandoned runs as failed") {
            for id in abandoned {
                try db.run("UPDATE runs SET status = 'failed', ended = ?, error = ? WHERE id = ? AND status = 'running'",
                           [.double(clock.now()), .text("the process ended before the run finished (killed or crashed)"), .int(id)])
            }
        }
        notices.append("marked run\(abandoned.count == 1 ? "" : "s") \(abandoned.map(String.init).joined(separator: ", ")) failed: the process that started \(abandoned.count == 1 ? "it" : "them") ended before finishing")
    }

    /// `PRAGMA integrity_check`'s answer ("ok" for a sound file).
    public func integrityCheck() throws -> String {
        try db.scalarText("PRAGMA integrity_check") ?? ""
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
