import PetalData
import PetalTracking

/// A recent run as the workbench's sidebar lists it.
public struct RecentRun: Sendable, Hashable {
    public var id: Int
    /// The pipeline's name, or what made the run (`cv`, `search`) when it had none.
    public var label: String
    /// `running`, `finished`, `failed` or `cancelled`.
    public var status: String
    /// Its headline metric (accuracy, r2 or inertia), when it has one, and that metric's last value.
    public var metric: String?
    public var value: Double?
}

/// A registered model as the sidebar lists it: its name, and its first alias or latest version (`@prod`, `v3`).
public struct RegisteredModelLine: Sendable, Hashable {
    public var name: String
    public var pointer: String
}

/// An experiment with its run count; `current` is the one new runs go to.
public struct ExperimentLine: Sendable, Hashable {
    public var name: String
    public var runs: Int
    public var current: Bool
}

/// What views need from the experiment log, as plain values: the workbench asks the session, never the store.
extension Session {
    /// Why the experiment log cannot be read here, in a few words ("no tracking here", "tracking off (see log)"),
    /// or nil when it can.
    public var trackingUnavailable: String? {
        guard let tracker else { return "no tracking here" }
        return tracker.store == nil ? "tracking off (see log)" : nil
    }

    /// The newest `limit` live runs of the current experiment, newest first. Reads only those runs.
    public func recentRuns(limit: Int) throws -> [RecentRun] {
        guard let tracker, let store = tracker.store else { return [] }
        return try store.runs(experiment: tracker.experiment, latest: limit).reversed().map { r in
            let metric = ["accuracy", "r2", "inertia"].first { r.metrics[$0] != nil }
            return RecentRun(id: r.id, label: r.pipelineName ?? r.kind, status: r.status.rawValue,
                             metric: metric, value: metric.flatMap { r.metrics[$0]?.value("last") })
        }
    }

    /// The registered models, by name.
    public func registeredModels() throws -> [RegisteredModelLine] {
        guard let store = tracker?.store else { return [] }
        return try store.models().map { m in
            let latest = m.versions.map(\.version).max() ?? 0
            return RegisteredModelLine(name: m.name, pointer: m.aliases.first.map { "@" + $0.alias } ?? "v\(latest)")
        }
    }

    /// The experiments with their run counts.
    public func experiments() throws -> [ExperimentLine] {
        guard let tracker, let store = tracker.store else { return [] }
        return try store.experiments().map { ExperimentLine(name: $0.name, runs: $0.runs, current: $0.name == tracker.experiment) }
    }
}
