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
    /// What opening the store did that a user should hear about: a migration and its backup, runs marked failed,
    /// a damaged file, a read-only folder.
    public private(set) var notices: [String] = []
    /// True when the folder (or the file) cannot be written: runs can be listed, none are recorded.
    public let isReadOnly: Bool
    /// What `PRAGMA quick_check` found wrong at open, or nil for a sound file.
    public private(set) var damage: String?

    /// The schema version this Petal writes (`PRAGMA user_version`).
    public static var schemaVersion: Int { Schema.current }

    /// Opens (creating when missing) the store in `folder`, migrates an older one after a backup copy, and marks
    /// runs left "running" by processes that no longer exist as failed.
    /// - Throws: `PetalError` when the folder cannot be created or written, or the store is from a newer Petal.
    /// - Parameter readOnly: open read-only even when the folder could be written (tests; root can write anywhere).
    public init(folder: String, clock: TrackingClock = .system, busyTimeoutMilliseconds: Int32 = 10_000, readOnly: Bool = false) throws {
        self.folder = folder
        self.clock = clock
        databasePath = (folder as NSString).appendingPathComponent("petal.db")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw PetalError("cannot create the tracking folder \(folder): \(Self.reason(error))",
                            hint: "runs are not recorded; work in a folder you can write to, or set PETAL_HOME to one")
        }
        let path = databasePath
        let writable = !readOnly && FileManager.default.isWritableFile(atPath: folder)
            && (!FileManager.default.fileExists(atPath: path) || FileManager.default.isWritableFile(atPath: path))
        guard writable || FileManager.default.fileExists(atPath: path) else {
            throw PetalError("the tracking folder \(folder) is read-only",
                            hint: "runs are not recorded; work in a folder you can write to, or set PETAL_HOME to one")
        }
        isReadOnly = !writable
        do {
            db = try Self.retryingWhileBusy {
                writable ? try Self.open(path, busyTimeoutMilliseconds: busyTimeoutMilliseconds) : try Self.openReadOnly(path)
            }
        } catch let error as PetalError {
            throw PetalError("cannot open the tracking store \(databasePath): \(error.message)",
                            hint: "runs are not recorded; check the folder's space and permissions, or set PETAL_HOME to another folder")
        }
        if isReadOnly {
            try checkVersionReadOnly()
            notices.append("the tracking folder \(folder) is read-only: runs can be listed, but new runs are not recorded")
        } else {
            try Self.retryingWhileBusy { try migrate() }
        }
        checkIntegrity()
        if !isReadOnly && damage == nil { try markAbandonedRuns() }
    }

    /// Another connection to this store's file, for another thread (a store is used from one thread at a time):
    /// the MLflow sender's. It does not migrate, check or mark runs: opening this store did that.
    public func anotherConnection() throws -> TrackingStore { try TrackingStore(sharing: self) }

    private init(sharing other: TrackingStore) throws {
        folder = other.folder
        clock = other.clock
        databasePath = other.databasePath
        isReadOnly = other.isReadOnly
        let path = databasePath, readOnly = isReadOnly
        do {
            db = try Self.retryingWhileBusy {
                readOnly ? try Self.openReadOnly(path) : try Self.open(path, busyTimeoutMilliseconds: 10_000)
            }
        } catch let error as PetalError {
            throw PetalError("cannot open a second connection to the tracking store \(path): \(error.message)")
        }
    }

    /// Opens a store in a folder that cannot be written: read-only, and (when sqlite cannot set up WAL's shared
    /// memory there) as an immutable file.
    private static func openReadOnly(_ path: String) throws -> SQLiteDatabase {
        do {
            let db = try SQLiteDatabase(path: path, access: .readOnly)
            _ = try db.scalarInt("SELECT count(*) FROM sqlite_master")
            return db
        } catch {
            return try SQLiteDatabase(path: path, access: .immutable)
        }
    }

    /// A read-only store must already have this Petal's schema (it cannot be migrated).
    private func checkVersionReadOnly() throws {
        let found = Int(try db.scalarInt("PRAGMA user_version", doing: "cannot read the tracking store's version") ?? 0)
        guard found != Schema.current else { return }
        throw PetalError("the tracking store \(databasePath) has schema version \(found) and its folder is read-only, so it cannot be \(found < Schema.current ? "upgraded" : "read by this Petal")",
                        hint: "open it from a folder you can write to, or set PETAL_HOME to a copy")
    }

    /// Runs `PRAGMA quick_check` and keeps what it finds; a damaged store still takes new runs.
    private func checkIntegrity() {
        let answer: String
        do { answer = try integrityCheck(quick: true) } catch let error as PetalError { answer = error.message } catch { answer = "\(error)" }
        guard answer != "ok" else { return }
        damage = answer
        notices.append("the tracking store \(databasePath) is damaged (\(answer.split(separator: "\n").first ?? "")); "
                       + "work goes on, but listing may fail: `runs repair` copies every run that can still be read into a new file and keeps the old one")
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
            do { return try work() } catch let error as PetalError {
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
            throw PetalError("the tracking store \(databasePath) was written by a newer Petal (schema version \(found); this Petal reads up to \(Schema.current))",
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

    /// `PRAGMA integrity_check`'s answer ("ok" for a sound file); `quick` runs the faster `quick_check`.
    /// Only the first few problems are reported.
    public func integrityCheck(quick: Bool = false) throws -> String {
        let stmt = try db.prepare(quick ? "PRAGMA quick_check(5)" : "PRAGMA integrity_check(5)", doing: "cannot check the tracking store")
        var lines: [String] = []
        while try stmt.step() { lines.append(stmt.text(0)) }
        return lines.joined(separator: "\n")
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
