import Foundation
import PetalData

/// Writing runs: start, params, metrics, tags, note, end, soft delete, artifacts.
extension TrackingStore {
    /// The id of experiment `name`, created when missing.
    @discardableResult
    public func experimentID(_ name: String) throws -> Int64 {
        if let id = try db.scalarInt("SELECT id FROM experiments WHERE name = ?", [.text(name)]) { return id }
        return try db.transaction(doing: "cannot create experiment \(name)") {
            try db.run("INSERT OR IGNORE INTO experiments(name, created) VALUES (?, ?)", [.text(name), .double(clock.now())])
            return try db.scalarInt("SELECT id FROM experiments WHERE name = ?", [.text(name)]) ?? 0
        }
    }

    /// Experiment names with their run counts (deleted runs left out), oldest first.
    public func experiments() throws -> [(name: String, runs: Int)] {
        let stmt = try db.prepare("""
            SELECT e.name, (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.id AND r.deleted = 0) FROM experiments e ORDER BY e.id
            """)
        var out: [(String, Int)] = []
        while try stmt.step() { out.append((stmt.text(0), Int(stmt.int64(1)))) }
        return out
    }

    /// Records a new run as running (committed at once, so a crash leaves it for the next start to mark failed).
    /// - Returns: the run's id.
    public func startRun(_ start: RunStart, experiment: String) throws -> Int {
        guard !isReadOnly else {
            throw PetalError("the tracking folder \(folder) is read-only", hint: "work in a folder you can write to, or set PETAL_HOME to one")
        }
        let experimentID = try experimentID(experiment)
        let me = ProcessIdentity.current
        let commands = (try? String(decoding: JSONEncoder().encode(start.commands), as: UTF8.self)) ?? "[]"
        return try db.transaction(doing: "cannot record the run") {
            try db.run("""
                INSERT INTO runs(experiment_id, kind, status, pipeline_name, pipeline, dataset, started, pid, pid_start, host,
                                 fingerprint, seed, petal_version, commands)
                VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.int(experimentID), .text(start.kind), .text(start.pipelineName), .text(start.pipeline), .text(start.dataset),
                      .double(clock.now()), .int(Int64(me.pid)), me.startTicks.map { .int($0) } ?? .null, .text(me.host),
                      .text(start.fingerprint), .int(start.seed), .text(start.petalVersion), .text(commands)])
            let id = Int(db.lastInsertRowID)
            try insertParams(start.params, run: id)
            try insertTags(start.tags, run: id)
            return id
        }
    }

    /// Adds (or replaces) parameters of a run.
    public func logParams(_ params: [(String, String)], run: Int) throws {
        try db.transaction(doing: "cannot record the parameters of run \(run)") { try insertParams(params, run: run) }
    }

    /// Adds metric values in one transaction (10,000 steps is one commit).
    public func logMetrics(_ points: [MetricPoint], run: Int) throws {
        guard !points.isEmpty else { return }
        try db.transaction(doing: "cannot record the metrics of run \(run)") {
            let stmt = try db.prepare("INSERT OR REPLACE INTO metrics(run_id, key, step, value) VALUES (?, ?, ?, ?)")
            for p in points { try stmt.execute([.int(Int64(run)), .text(p.key), .int(Int64(p.step)), .number(p.value)]) }
        }
    }

    /// Sets tags (an empty value removes the tag). A run already sent to an MLflow server waits to be sent again.
    public func setTags(_ tags: [(String, String)], run: Int) throws {
        try requireRun(run)
        try db.transaction(doing: "cannot tag run \(run)") {
            try insertTags(tags, run: run)
            try requeueSent(run: run)
        }
    }

    /// Replaces the run's note. A run already sent to an MLflow server waits to be sent again.
    public func setNote(_ note: String, run: Int) throws {
        try requireRun(run)
        try db.transaction(doing: "cannot write the note of run \(run)") {
            try db.run("UPDATE runs SET note = ? WHERE id = ?", [.text(note), .int(Int64(run))])
            try requeueSent(run: run)
        }
    }

    /// Marks the run waiting again on every server that has it or is being sent it, inside the caller's
    /// transaction: what the server holds (or is getting) is out of date, and a send under way then does not mark
    /// it sent (MLflowSync replaces the server's copy with the whole run).
    private func requeueSent(run: Int) throws {
        try db.run("UPDATE remote_runs SET state = 'waiting' WHERE run_id = ? AND state IN ('sent', 'sending')", [.int(Int64(run))])
    }

    /// Ends a run: finished, failed (with the error) or cancelled.
    public func finishRun(_ run: Int, status: RunStatus, error: String? = nil) throws {
        try db.transaction(doing: "cannot end run \(run)") {
            try db.run("UPDATE runs SET status = ?, ended = ?, error = ? WHERE id = ?",
                       [.text(status.rawValue), .double(clock.now()), .text(error), .int(Int64(run))])
        }
    }

    /// Soft-deletes (or restores) a run: deleted runs are left out of listings until restored.
    public func setDeleted(_ deleted: Bool, run: Int) throws {
        try requireRun(run)
        try db.transaction(doing: "cannot \(deleted ? "delete" : "restore") run \(run)") {
            try db.run("UPDATE runs SET deleted = ? WHERE id = ?", [.int(deleted ? 1 : 0), .int(Int64(run))])
        }
    }

    /// Writes an artifact file to `artifacts/RUN/NAME` (atomically) and references it from the run.
    /// - Returns: the file's path.
    @discardableResult
    public func addArtifact(_ name: String, contents: Data, run: Int) throws -> String {
        try addArtifact(name, run: run) { try contents.write(to: URL(fileURLWithPath: $0), options: .atomic) }
    }

    /// Records a run's artifact that `write` writes to the path it is given (the artifact's file; a large one is
    /// written by its maker without a copy in memory). Returns the path.
    @discardableResult
    public func addArtifact(_ name: String, run: Int, writing write: (String) throws -> Void) throws -> String {
        let relative = "artifacts/\(run)/\(name)"
        let path = (folder as NSString).appendingPathComponent(relative)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try write(path)
        } catch {
            throw PetalError("cannot write the artifact \(path): \(Self.reason(error))", hint: "check the folder's space and permissions")
        }
        try db.transaction(doing: "cannot record the artifact \(name) of run \(run)") {
            try db.run("INSERT OR REPLACE INTO artifacts(run_id, name, path) VALUES (?, ?, ?)", [.int(Int64(run)), .text(name), .text(relative)])
        }
        return path
    }

    /// The contents of a run's artifact, or nil when the run has none by that name.
    public func artifact(_ name: String, run: Int) throws -> Data? {
        guard let relative = try db.scalarText("SELECT path FROM artifacts WHERE run_id = ? AND name = ?", [.int(Int64(run)), .text(name)]) else {
            return nil
        }
        let path = (folder as NSString).appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PetalError("run \(run)'s artifact \(name) is missing from \(path)", hint: "the file was moved or deleted; fit the pipeline again")
        }
        return data
    }

    /// Throws a clear error when there is no run `id`.
    func requireRun(_ id: Int) throws {
        guard try db.scalarInt("SELECT id FROM runs WHERE id = ?", [.int(Int64(id))]) != nil else {
            let last = try db.scalarInt("SELECT MAX(id) FROM runs")
            throw PetalError("there is no run \(id)", hint: last.map { "runs are numbered 1 to \($0); runs lists them" } ?? "no run is recorded yet: fit, cv and search record runs")
        }
    }

    private func insertParams(_ params: [(String, String)], run: Int) throws {
        guard !params.isEmpty else { return }
        let stmt = try db.prepare("INSERT OR REPLACE INTO params(run_id, key, value, num) VALUES (?, ?, ?, ?)")
        for (k, v) in params { try stmt.execute([.int(Int64(run)), .text(k), .text(v), .number(Double(v))]) }
    }

    private func insertTags(_ tags: [(String, String)], run: Int) throws {
        let put = try db.prepare("INSERT OR REPLACE INTO tags(run_id, key, value) VALUES (?, ?, ?)")
        let remove = try db.prepare("DELETE FROM tags WHERE run_id = ? AND key = ?")
        for (k, v) in tags {
            if v.isEmpty { try remove.execute([.int(Int64(run)), .text(k)]) } else { try put.execute([.int(Int64(run)), .text(k), .text(v)]) }
        }
    }
}
