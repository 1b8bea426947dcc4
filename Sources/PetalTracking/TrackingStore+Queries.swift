import Foundation
import PetalData

/// Reading runs: listing with a filter, one run in full, the keys in use.
extension TrackingStore {
    /// Which runs a listing includes.
    public enum Visibility: Sendable { case live, deleted, all }

    /// Runs matching `filter` (all when nil) in `experiment` (every experiment when nil), oldest first,
    /// with their params, tags and metric summaries. With `latest`, only the newest `latest` of them are read
    /// (the workbench's sidebar, after every command, without loading the whole log).
    public func runs(where filter: RunFilter? = nil, experiment: String? = nil, visibility: Visibility = .live,
                     latest: Int? = nil) throws -> [RunSummary] {
        var binds: [SQLiteValue] = []
        var conditions: [String] = []
        switch visibility {
        case .live: conditions.append("r.deleted = 0")
        case .deleted: conditions.append("r.deleted = 1")
        case .all: break
        }
        if let experiment { conditions.append("e.name = ?"); binds.append(.text(experiment)) }
        if let filter { conditions.append(filter.sql(&binds)) }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let from = " FROM runs r JOIN experiments e ON e.id = r.experiment_id" + whereClause
        let stmt = try db.prepare("""
            SELECT r.id, e.name, r.kind, r.status, r.pipeline_name, r.pipeline, r.dataset, r.started, r.ended, r.seed, r.fingerprint,
                   r.note, r.deleted
            """ + from + (latest.map { " ORDER BY r.id DESC LIMIT \(max(0, $0))" } ?? " ORDER BY r.id"), doing: "cannot list the runs")
        try stmt.bind(binds)
        var runs: [RunSummary] = []
        // Neighbouring runs mostly share their experiment, pipeline, data and fingerprint: reuse the previous row's text.
        var previous = [String?](repeating: nil, count: 13)
        func text(_ i: Int) -> String? {
            if stmt.isNull(i) { return nil }
            if let p = previous[i], stmt.textEquals(i, p) { return p }
            let s = stmt.text(i)
            previous[i] = s
            return s
        }
        while try stmt.step() {
            let id = Int(stmt.int64(0))
            runs.append(RunSummary(id: id, experiment: text(1) ?? "", kind: text(2) ?? "", status: RunStatus(rawValue: text(3) ?? "") ?? .failed,
                                   pipelineName: text(4), pipeline: text(5), dataset: text(6),
                                   started: stmt.double(7), ended: stmt.optionalDouble(8), seed: stmt.isNull(9) ? nil : Int(stmt.int64(9)),
                                   fingerprint: text(10), note: text(11) ?? "", deleted: stmt.int64(12) != 0))
        }
        guard !runs.isEmpty else { return [] }
        if latest != nil { runs.reverse() }  // newest first from the LIMIT query; oldest first as always
        let byID = filter != nil || latest != nil
        // Rows below come in run id order, as the runs do: a cursor finds each row's run without hashing.
        var index = RunCursor(ids: runs.map { Int64($0.id) })
        // Everything else for the matching runs, chosen without evaluating the filter again: joined to the runs by
        // experiment and deletion alone when every matching run is listed, else (a filter, or `latest`) by the ids found
        // (bound as one JSON array).
        let idBinds: [SQLiteValue]
        func select(_ columns: String, from table: String, order: String) -> String {
            if byID { return "SELECT \(columns) FROM \(table) t WHERE t.run_id IN (SELECT value FROM json_each(?)) ORDER BY \(order)" }
            if conditions.isEmpty { return "SELECT \(columns) FROM \(table) t ORDER BY \(order)" }
            return "SELECT \(columns) FROM runs r JOIN experiments e ON e.id = r.experiment_id JOIN \(table) t ON t.run_id = r.id"
                + whereClause + " ORDER BY " + order.replacingOccurrences(of: "t.run_id", with: "r.id")  // (r.id: no sort needed)
        }
        idBinds = !byID ? binds : [.text("[" + runs.map { String($0.id) }.joined(separator: ",") + "]")]
        var keys = KeyInterner()
        let params = try db.prepare(select("t.run_id, t.key, t.value", from: "params", order: "t.run_id"))
        try params.bind(idBinds)
        while try params.step() {
            if let i = index.position(of: params.int64(0)) {
                if runs[i].params.isEmpty { runs[i].params.reserveCapacity(8) }
                runs[i].params[keys.text(params, 1)] = params.text(2)
            }
        }
        let tags = try db.prepare(select("t.run_id, t.key, t.value", from: "tags", order: "t.run_id"))
        try tags.bind(idBinds)
        while try tags.step() {
            if let i = index.position(of: tags.int64(0)) { runs[i].tags[keys.text(tags, 1)] = tags.text(2) }
        }
        // Metric rows in key order (the primary key's, so no sort), summarised here: cheaper than GROUP BY's aggregates.
        let metrics = try db.prepare(select("t.run_id, t.key, t.step, t.value", from: "metrics", order: "t.run_id, t.key, t.step"))
        try metrics.bind(idBinds)
        var current: (run: Int64, key: String, summary: MetricSummary)?
        var done: [(run: Int64, key: String, summary: MetricSummary)] = []
        while try metrics.step() {
            let run = metrics.int64(0)
            let value = metrics.optionalDouble(3)
            if let c = current, c.run == run, metrics.textEquals(1, c.key) {
                current?.summary.last = value
                current?.summary.count += 1
                if let v = value {
                    current?.summary.min = Swift.min(c.summary.min ?? v, v)
                    current?.summary.max = Swift.max(c.summary.max ?? v, v)
                }
            } else {
                if let c = current { done.append(c) }
                current = (run, keys.text(metrics, 1), MetricSummary(last: value, min: value, max: value, count: 1))
            }
        }
        if let c = current { done.append(c) }
        for c in done {
            guard let i = index.position(of: c.run) else { continue }
            if runs[i].metrics.isEmpty { runs[i].metrics.reserveCapacity(8) }
            runs[i].metrics[c.key] = c.summary
        }
        return runs
    }

    /// Run `id` in full (deleted or not).
    public func run(_ id: Int) throws -> RunDetail {
        try requireRun(id)
        guard let summary = try runs(where: .compare(.attribute("id"), .equal, .number(Double(id))), visibility: .all).first else {
            throw PetalError("there is no run \(id)")
        }
        let points = try db.prepare("SELECT key, step, value FROM metrics WHERE run_id = ? ORDER BY key, step")
        try points.bind([.int(Int64(id))])
        var curves: [(key: String, points: [(step: Int, value: Double?)])] = []
        while try points.step() {
            let key = points.text(0)
            if curves.last?.key != key { curves.append((key, [])) }
            curves[curves.count - 1].points.append((Int(points.int64(1)), points.optionalDouble(2)))
        }
        let info = try db.prepare("SELECT commands, petal_version, error, pid FROM runs WHERE id = ?")
        try info.bind([.int(Int64(id))])
        _ = try info.step()
        let commands = (try? JSONDecoder().decode([String].self, from: Data(info.text(0).utf8))) ?? []
        let files = try db.prepare("SELECT name, path FROM artifacts WHERE run_id = ? ORDER BY name")
        try files.bind([.int(Int64(id))])
        var artifacts: [(name: String, path: String)] = []
        while try files.step() { artifacts.append((files.text(0), files.text(1))) }
        return RunDetail(summary: summary, curves: curves, commands: commands, artifacts: artifacts, petalVersion: info.optionalText(1),
                         error: info.optionalText(2), pid: info.isNull(3) ? nil : Int(info.int64(3)))
    }

    /// The param, metric and tag keys in use (for bare names in filters and for completion).
    public func knownKeys() throws -> KnownKeys {
        func distinct(_ table: String) throws -> Set<String> {
            let stmt = try db.prepare("SELECT DISTINCT key FROM \(table)")
            var out: Set<String> = []
            while try stmt.step() { out.insert(stmt.text(0)) }
            return out
        }
        return KnownKeys(params: try distinct("params"), metrics: try distinct("metrics"), tags: try distinct("tags"))
    }
}

/// Finds a run's position by id in ids sorted ascending: moves forward for rows in id order, searches otherwise.
struct RunCursor {
    let ids: [Int64]
    private var at = 0

    init(ids: [Int64]) { self.ids = ids }

    mutating func position(of id: Int64) -> Int? {
        if at < ids.count && ids[at] == id { return at }
        if at + 1 < ids.count && ids[at + 1] == id { at += 1; return at }
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        guard lo < ids.count, ids[lo] == id else { return nil }
        at = lo
        return lo
    }
}

/// Reuses one String per distinct key while reading many rows (a store holds few distinct param and metric names).
struct KeyInterner {
    private var known: [String] = []

    /// Column `i` of the statement's current row, as a String already made for the same bytes when there is one.
    mutating func text(_ stmt: SQLiteStatement, _ i: Int) -> String {
        for k in known.reversed() where stmt.textEquals(i, k) { return k }
        let s = stmt.text(i)
        if known.count < 64 { known.append(s) }
        return s
    }
}
