import Foundation
import PetalData

/// Jobs in `features.db`: one row per job, its definition as JSON and its state in columns.
extension SQLiteFeatureStorage {
    public func jobs() throws -> [JobState] {
        let stmt = try db.prepare("""
            SELECT definition, next_due, last_started, last_ended, last_status, last_run, last_message, claimed_by, claimed_at
            FROM jobs ORDER BY name
            """, doing: "cannot read the jobs")
        var out: [JobState] = []
        while try stmt.step() {
            var state = JobState(job: try JSONCoding.decode(Job.self, stmt.text(0), what: "a job in \(location)"), nextDue: stmt.double(1))
            state.lastStarted = stmt.optionalDouble(2)
            state.lastEnded = stmt.optionalDouble(3)
            state.lastStatus = stmt.optionalText(4)
            state.lastRun = stmt.isNull(5) ? nil : Int(stmt.int64(5))
            state.lastMessage = stmt.optionalText(6)
            state.claimedBy = stmt.optionalText(7)
            state.claimedAt = stmt.optionalDouble(8)
            out.append(state)
        }
        return out
    }

    public func saveJob(_ job: Job, nextDue: Double) throws {
        try db.transaction(doing: "cannot save job \(job.name)") {
            try db.run("""
                INSERT INTO jobs (name, definition, next_due) VALUES (?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET definition = excluded.definition, next_due = excluded.next_due
                """, [.text(job.name), .text(try JSONCoding.encode(job)), .double(nextDue)])
        }
    }

    public func removeJob(_ name: String) throws -> Bool {
        try db.transaction(doing: "cannot remove job \(name)") {
            try db.run("DELETE FROM jobs WHERE name = ?", [.text(name)])
            return db.changes > 0
        }
    }

    public func takeRunLock() throws -> AnyObject? { try RunLock(path: runLockPath) }

    public var runLockName: String { "the lock \(runLockPath)" }

    /// `jobs.lock` beside `features.db`.
    var runLockPath: String { ((location as NSString).deletingLastPathComponent as NSString).appendingPathComponent("jobs.lock") }

    public func claim(_ name: String, owner: String, now: Double, staleBefore: Double, force: Bool) throws -> Bool {
        try db.transaction(doing: "cannot claim job \(name)") {
            try db.run("""
                UPDATE jobs SET claimed_by = ?, claimed_at = ?
                WHERE name = ? AND (? OR next_due <= ?) AND (claimed_by IS NULL OR claimed_at < ?)
                """, [.text(owner), .double(now), .text(name), .int(force ? 1 : 0), .double(now), .double(staleBefore)])
            return db.changes == 1
        }
    }

    public func finish(_ name: String, owner: String, started: Double, ended: Double, status: String, run: Int?, message: String?, nextDue: Double) throws {
        try db.transaction(doing: "cannot record job \(name)'s run") {
            try db.run("""
                UPDATE jobs SET last_started = ?, last_ended = ?, last_status = ?, last_run = ?, last_message = ?, next_due = ?,
                    claimed_by = NULL, claimed_at = NULL
                WHERE name = ? AND claimed_by = ?
                """, [.double(started), .double(ended), .text(status), .int(run), .text(message), .double(nextDue), .text(name), .text(owner)])
        }
    }
}
