import CSQLite
import Foundation

/// Keeps a query from running away (a `WITH RECURSIVE` without an end): cancellation through the load's
/// `LoadControl` (Ctrl-C), checked by sqlite's progress handler every few thousand VM steps, which makes the
/// running statement stop with SQLITE_INTERRUPT as `sqlite3_interrupt` would; progress as the memory the result
/// has taken against `memoryLimit`; and a stop with a clear error when the result would outgrow that limit.
final class SQLiteGuard {
    let control: LoadControl?
    let memoryLimit: Int
    private(set) var used = 0

    /// Half the machine's memory: a result larger than that would leave no room to work with it.
    static var defaultMemoryLimit: Int { Int(min(ProcessInfo.processInfo.physicalMemory / 2, UInt64(Int.max))) }

    init(control: LoadControl?, memoryLimit: Int?) {
        self.control = control
        self.memoryLimit = max(1, memoryLimit ?? SQLiteGuard.defaultMemoryLimit)
        control?.setTotal(self.memoryLimit)
    }

    /// Installs the progress handler on `db` for as long as `body` runs.
    func watching<T>(_ db: SQLiteDatabase, _ body: () throws -> T) rethrows -> T {
        guard control != nil else { return try body() }
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_progress_handler(db.handle, 4096, { raw in
            guard let raw else { return 0 }
            let guardian = Unmanaged<SQLiteGuard>.fromOpaque(raw).takeUnretainedValue()
            return guardian.control?.isCancelled == true ? 1 : 0
        }, context)
        defer { sqlite3_progress_handler(db.handle, 0, nil, nil) }
        return try withExtendedLifetime(self) { try body() }
    }

    /// Counts `bytes` more of the result; throws when the result passes the limit.
    func add(_ bytes: Int, rows: Int, path: String) throws {
        used += bytes
        control?.advance(by: bytes)
        if used > memoryLimit {
            throw PetalError("the query's result passed \(SQLiteGuard.megabytes(memoryLimit)) after \(rows.formatted()) rows; stopped before memory runs out",
                            at: SourceLocation(file: path),
                            hint: "add a LIMIT or a WHERE to the query (a WITH RECURSIVE query needs a condition that ends it)")
        }
    }

    /// The error for a statement that stopped: cancelled, or out of sqlite's memory.
    func explain(_ error: PetalError, path: String) -> PetalError {
        if control?.isCancelled == true {
            return PetalError("loading was cancelled", at: SourceLocation(file: path), hint: "open it again to load it")
        }
        return error
    }

    static func megabytes(_ n: Int) -> String { n >= 1 << 30 ? String(format: "%.1f GB", Double(n) / Double(1 << 30)) : "\(n >> 20) MB" }
}
