import Foundation
import PetalData

/// The queue of runs to send to an MLflow tracking server (`remote_runs`, schema version 3). The local store stays
/// the source of truth: a run is queued when it ends and marked sent once the server has all of it.
extension TrackingStore {
    /// One queued run.
    public struct RemoteRun: Sendable {
        public var run: Int
        public var server: String
        /// The server's id for a run that was created there but not finished (it is deleted and sent again).
        public var remoteID: String?
        public var attempts: Int
        public var lastError: String?
    }

    /// Queues `run` for `server` (again, when it changed after it was sent).
    public func queueRemote(run: Int, server: String) throws {
        guard !isReadOnly else { return }
        try db.transaction(doing: "cannot queue run \(run) for \(server)") {
            try db.run("""
                INSERT INTO remote_runs(run_id, server, state) VALUES (?, ?, 'waiting')
                ON CONFLICT(run_id, server) DO UPDATE SET state = 'waiting'
                """, [.int(Int64(run)), .text(server)])
        }
    }

    /// The runs waiting for `server`, oldest first (with those a send left `sending`: it was cut off).
    public func waitingRemote(server: String) throws -> [RemoteRun] {
        let stmt = try db.prepare("""
            SELECT q.run_id, q.remote_id, q.attempts, q.last_error FROM remote_runs q JOIN runs r ON r.id = q.run_id
            WHERE q.server = ? AND q.state IN ('waiting', 'sending') AND r.status <> 'running' ORDER BY q.run_id
            """)
        try stmt.bind([.text(server)])
        var out: [RemoteRun] = []
        while try stmt.step() {
            out.append(RemoteRun(run: Int(stmt.int64(0)), server: server, remoteID: stmt.optionalText(1),
                                 attempts: Int(stmt.int64(2)), lastError: stmt.optionalText(3)))
        }
        return out
    }

    /// How many runs wait for `server`.
    public func waitingRemoteCount(server: String) throws -> Int {
        Int(try db.scalarInt("SELECT count(*) FROM remote_runs WHERE server = ? AND state IN ('waiting', 'sending')", [.text(server)]) ?? 0)
    }

    /// Notes that a send of `run` starts: a change to the run meanwhile (a tag, a note, queued again) sets it back to
    /// waiting, and `finishRemote` then leaves it waiting instead of marking it sent.
    public func beginRemote(run: Int, server: String) throws {
        try db.transaction(doing: "cannot record the sending of run \(run) to \(server)") {
            try db.run("UPDATE remote_runs SET state = 'sending' WHERE run_id = ? AND server = ?", [.int(Int64(run)), .text(server)])
        }
    }

    /// Notes the server's id for a run created there (before its data is sent).
    public func setRemoteID(_ remoteID: String?, run: Int, server: String) throws {
        try db.transaction(doing: "cannot record run \(run)'s id on \(server)") {
            try db.run("UPDATE remote_runs SET remote_id = ? WHERE run_id = ? AND server = ?", [.text(remoteID), .int(Int64(run)), .text(server)])
        }
    }

    /// Marks a run sent (with the server's id), or notes a failed attempt.
    public func finishRemote(run: Int, server: String, remoteID: String?, error: String?) throws {
        try db.transaction(doing: "cannot record the sending of run \(run) to \(server)") {
            if let error {
                try db.run("UPDATE remote_runs SET state = 'waiting', attempts = attempts + 1, last_error = ? WHERE run_id = ? AND server = ?",
                           [.text(error), .int(Int64(run)), .text(server)])
            } else {
                // Sent, unless the run changed during the send (it is `waiting` again then, and is sent again).
                try db.run("UPDATE remote_runs SET remote_id = ?, last_error = NULL WHERE run_id = ? AND server = ?",
                           [.text(remoteID), .int(Int64(run)), .text(server)])
                try db.run("UPDATE remote_runs SET state = 'sent', sent = ? WHERE run_id = ? AND server = ? AND state = 'sending'",
                           [.double(clock.now()), .int(Int64(run)), .text(server)])
            }
        }
    }

    /// The server's id for a run that was sent to `server`, if it was.
    public func remoteID(run: Int, server: String) throws -> String? {
        try db.scalarText("SELECT remote_id FROM remote_runs WHERE run_id = ? AND server = ? AND state = 'sent'", [.int(Int64(run)), .text(server)])
    }
}
