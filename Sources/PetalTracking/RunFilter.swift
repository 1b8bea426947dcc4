import PetalData

/// A condition on runs, parsed from `runs where …`: comparisons of params, metrics, tags and attributes combined
/// with AND, OR, NOT and parentheses, plus IN, LIKE and IS NULL.
///
///     metrics.accuracy > 0.9 AND (params.knn.n_neighbors IN (3, 5) OR tags.stage = "final")
///     NOT status = failed AND pipeline LIKE "%forest%"
public indirect enum RunFilter: Sendable, Equatable {
    case and(RunFilter, RunFilter)
    case or(RunFilter, RunFilter)
    case not(RunFilter)
    case compare(RunField, Comparison, FilterLiteral)
    case isIn([FilterLiteral], RunField, negated: Bool)
    case like(RunField, String, negated: Bool)
    case isNull(RunField, negated: Bool)
}

/// What a condition looks at.
public enum RunField: Sendable, Equatable, Hashable {
    /// A column of the run itself: id, experiment, status, kind, pipeline, steps, dataset, seed, fingerprint, note, started, ended, duration.
    case attribute(String)
    case param(String)
    /// A metric's last, min or max value over its steps.
    case metric(String, aggregate: String)
    case tag(String)

    /// The attributes a condition or a sort may name.
    public static let attributes = ["id", "experiment", "status", "kind", "pipeline", "steps", "dataset", "seed", "fingerprint", "note",
                                    "started", "ended", "duration"]

    /// The name as written in full (`metrics.accuracy.max`, `params.knn.n_neighbors`).
    public var fullName: String {
        switch self {
        case .attribute(let a): return a
        case .param(let p): return "params." + p
        case .metric(let m, let agg): return "metrics." + m + (agg == "last" ? "" : "." + agg)
        case .tag(let t): return "tags." + t
        }
    }

    /// Reads `name` (`params.X`, `metrics.X[.min|.max|.last]`, `tags.X`, `attributes.X`, or a bare name looked up
    /// among the attributes, then the metric and param keys the store knows).
    public static func resolve(_ name: String, keys: KnownKeys) -> RunField? {
        let lower = name.lowercased()
        for (prefixes, make) in [(["params.", "param.", "p."], { (s: String) in RunField.param(s) }),
                                 (["tags.", "tag.", "t."], { (s: String) in RunField.tag(s) })] {
            if let p = prefixes.first(where: { lower.hasPrefix($0) }) { return make(String(name.dropFirst(p.count))) }
        }
        if let p = ["metrics.", "metric.", "m."].first(where: { lower.hasPrefix($0) }) {
            return metric(String(name.dropFirst(p.count)), keys: keys)
        }
        if let p = ["attributes.", "attribute.", "attr."].first(where: { lower.hasPrefix($0) }) {
            let a = String(lower.dropFirst(p.count))
            return attributes.contains(a) ? .attribute(a) : nil
        }
        if attributes.contains(lower) { return .attribute(lower) }
        if keys.metrics.contains(name) || metricBase(name, keys: keys) != nil { return metric(name, keys: keys) }
        if keys.params.contains(name) { return .param(name) }
        if keys.tags.contains(name) { return .tag(name) }
        // A param written without its step (`n_neighbors` for `knn.n_neighbors`), when only one step has it.
        let suffixed = keys.params.filter { $0.hasSuffix("." + name) }
        if suffixed.count == 1, let only = suffixed.first { return .param(only) }
        return nil
    }

    private static func metric(_ name: String, keys: KnownKeys) -> RunField {
        if keys.metrics.contains(name) { return .metric(name, aggregate: "last") }
        if let (base, agg) = metricBase(name, keys: keys) { return .metric(base, aggregate: agg) }
        return .metric(name, aggregate: "last")
    }

    /// `accuracy.max` → (`accuracy`, `max`) when `accuracy` is a metric (or nothing is known, for `metrics.` names).
    private static func metricBase(_ name: String, keys: KnownKeys) -> (String, String)? {
        for agg in ["last", "min", "max"] where name.hasSuffix("." + agg) {
            let base = String(name.dropLast(agg.count + 1))
            if keys.metrics.contains(base) || keys.metrics.isEmpty { return (base, agg) }
        }
        return nil
    }
}

/// The param, metric and tag keys a store holds, for resolving bare names.
public struct KnownKeys: Sendable {
    public var params: Set<String>
    public var metrics: Set<String>
    public var tags: Set<String>
    public init(params: Set<String> = [], metrics: Set<String> = [], tags: Set<String> = []) {
        self.params = params; self.metrics = metrics; self.tags = tags
    }
}

public enum Comparison: String, Sendable, Equatable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

public enum FilterLiteral: Sendable, Equatable {
    case number(Double)
    case text(String)
}

/// A filter error at a column of the condition's text (1-based), so the command can point at it.
public struct FilterError: Error, Sendable {
    public var message: String
    public var column: Int
    public var hint: String?
}
