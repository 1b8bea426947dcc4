import Foundation
import PetalData
import PetalPostgres

/// Jobs in `petal.jobs`, as `SQLiteFeatureStorage+Jobs` keeps them in `features.db`.
extension PostgresFeatureStorage {
    public func jobs() throws -> [JobState] {
        var out: [JobState] = []
        try db.query("""
            SELECT definition, next_due, last_started, last_ended, last_status, last_run, last_message, claimed_by, claimed_at
            FROM petal.jobs ORDER BY name
            """, doing: "reading the jobs") { row in
            var state = JobState(job: try JSONCoding.decode(Job.self, row[0] ?? "", what: "a job in \(location)"),
                                 nextDue: row[1].flatMap(StoredText.double) ?? 0)
            state.lastStarted = row[2].flatMap(StoredText.double)
            state.lastEnded = row[3].flatMap(StoredText.double)
            state.lastStatus = row[4]
            state.lastRun = row[5].flatMap { Int($0) }
            state.lastMessage = row[6]
            state.claimedBy = row[7]
            state.claimedAt = row[8].flatMap(StoredText.double)
            out.append(state)
        }
        return out
    }

    public func saveJob(_ job: Job, nextDue: Double) throws {
        try db.run("""
            INSERT INTO petal.jobs (name, definition, next_due) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET definition = EXCLUDED.definition, next_due = EXCLUDED.next_due
            """, [job.name, try JSONCoding.encode(job), "\(nextDue)"], doing: "saving job \(job.name)")
    }

    public func removeJob(_ name: String) throws -> Bool {
        try db.run("DELETE FROM petal.jobs WHERE name = $1", [name], doing: "removing job \(name)") > 0
    }

    /// One `UPDATE … WHERE` that only a free, due job passes: atomic on the server, whichever machine asks.
    public func claim(_ name: String, owner: String, now: Double, staleBefore: Double, force: Bool) throws -> Bool {
        try db.run("""
            UPDATE petal.jobs SET claimed_by = $1, claimed_at = $2::double precision
            WHERE name = $3 AND ($4::boolean OR next_due <= $2::double precision) AND (claimed_by IS NULL OR claimed_at < $5::double precision)
            """, [owner, "\(now)", name, force ? "true" : "false", "\(staleBefore)"], doing: "claiming job \(name)") == 1
    }

    public func finish(_ name: String, owner: String, started: Double, ended: Double, status: String, run: Int?, message: String?, nextDue: Double) throws {
        try db.run("""
            UPDATE petal.jobs SET last_started = $1, last_ended = $2, last_status = $3, last_run = $4, last_message = $5, next_due = $6,
                claimed_by = NULL, claimed_at = NULL
            WHERE name = $7 AND claimed_by = $8
            """, ["\(started)", "\(ended)", status, run.map(String.init), message, "\(nextDue)", name, owner], doing: "recording job \(name)'s run")
    }

    /// An advisory lock held on a connection of its own: the server releases it when that connection closes, also
    /// when the process dies, so a crash never leaves it held.
    public func takeRunLock() throws -> AnyObject? {
        let connection = try PostgresConnection(address: address)
        let got = try connection.scalar("SELECT pg_try_advisory_lock(hashtext('petal jobs run-due'))", doing: "taking the jobs lock")
        return got == "t" ? connection : nil
    }

    public var runLockName: String { "the advisory lock \"petal jobs run-due\" on \(db.target)" }
}
