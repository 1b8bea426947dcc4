import Foundation
import PetalData
import PetalTracking

/// How runs read in tables, details and JSON, shared by `runs`, `run`, `compare` and `replay`.
public enum RunFormatting {
    /// A metric value for a table cell: four decimals for scores (a perfect 1 too, so a column reads `1.0000`
    /// beside `0.9600`), fewer digits for large numbers.
    public static func number(_ v: Double?) -> String {
        guard let v else { return "" }
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        if abs(v) >= 1000 { return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : NumberFormat.single(v) }
        return String(format: "%.4f", v)
    }

    /// A metric summary: the value, or `last/min/max` for a curve.
    public static func metric(_ m: MetricSummary?) -> String {
        guard let m else { return "" }
        if m.count <= 1 { return number(m.last) }
        return "\(number(m.last))/\(number(m.min))/\(number(m.max))"
    }

    /// UTC, to the second: `2025-01-01 00:00:03Z`.
    public static func time(_ t: Double?) -> String {
        guard let t else { return "" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss'Z'"
        return f.string(from: Date(timeIntervalSince1970: t))
    }

    /// `4.2s`, `3m05s`, `2h10m`.
    public static func duration(_ d: Double?) -> String {
        guard let d else { return "" }
        if d < 60 { return String(format: "%.1fs", d) }
        if d < 3600 { return String(format: "%dm%02ds", Int(d) / 60, Int(d) % 60) }
        return String(format: "%dh%02dm", Int(d) / 3600, (Int(d) % 3600) / 60)
    }

    /// The metrics `runs` shows as columns.
    public static let headline: Set<String> = ["accuracy", "f1_macro", "r2", "rmse", "inertia", "silhouette"]

    /// The metric columns to show, most useful first: the scores people compare, then the rest by name.
    public static func metricOrder(_ keys: Set<String>) -> [String] {
        let first = ["accuracy", "f1_macro", "r2", "rmse", "inertia", "silhouette", "fold_accuracy", "fold_r2",
                     "round_accuracy", "round_rmse"]
        return first.filter(keys.contains) + keys.subtracting(first).sorted()
    }

    /// A run as JSON (`runs --json`, `run N --json`).
    static func json(_ r: RunSummary) -> JSONValue {
        func text(_ s: String?) -> JSONValue { s.map { JSONValue.string($0) } ?? .null }
        let params: [(String, JSONValue)] = r.params.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }
        let tags: [(String, JSONValue)] = r.tags.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }
        var metrics: [(String, JSONValue)] = []
        for (k, m) in r.metrics.sorted(by: { $0.key < $1.key }) {
            if m.count <= 1 { metrics.append((k, JSONValue.number(m.last))); continue }
            let curve: [(String, JSONValue)] = [("last", .number(m.last)), ("min", .number(m.min)), ("max", .number(m.max)), ("steps", .int(m.count))]
            metrics.append((k, .object(curve)))
        }
        var fields: [(String, JSONValue)] = [("id", .int(r.id)), ("experiment", .string(r.experiment)), ("kind", .string(r.kind))]
        fields += [("status", .string(r.status.rawValue)), ("pipeline", text(r.pipelineName)), ("steps", text(r.pipeline))]
        fields += [("dataset", text(r.dataset)), ("started", .string(time(r.started))), ("ended", text(r.ended.map { time($0) }))]
        fields += [("duration", JSONValue.number(r.duration)), ("seed", r.seed.map { JSONValue.int($0) } ?? .null)]
        fields += [("fingerprint", text(r.fingerprint)), ("note", .string(r.note)), ("deleted", .bool(r.deleted))]
        fields += [("params", .object(params)), ("metrics", .object(metrics)), ("tags", .object(tags))]
        return .object(fields)
    }

    /// A run id from a word (`5` or `#5`), or an error.
    static func runID(_ word: String?, verb: String, syntax: String) throws -> Int {
        guard let word else { throw PetalError("\(verb) needs a run number", hint: "usage: \(syntax); runs lists them") }
        let digits = word.hasPrefix("#") ? String(word.dropFirst()) : word
        guard let id = Int(digits), id > 0 else { throw PetalError("\"\(word)\" is not a run number", hint: "usage: \(syntax); runs lists them") }
        return id
    }
}
