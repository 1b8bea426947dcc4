import PetalData
import PetalTracking

/// A parent run's best child — a search's best combination, named by the parent's `best_run` tag — so `runs`
/// shows the parameters that won on the parent's row instead of the base pipeline's.
public struct BestChild: Sendable {
    /// The child run (its params fill the parent's param columns).
    public var run: RunSummary
    /// `best: n_neighbors=5 (run 12)`.
    public var label: String
}

enum RunBest {
    /// The best child of every listed run that names one, read from the listing or else from the store.
    static func children(of runs: [RunSummary], store: TrackingStore) -> [Int: BestChild] {
        var listed: [Int: RunSummary] = [:]
        for r in runs { listed[r.id] = r }
        var out: [Int: BestChild] = [:]
        for parent in runs {
            guard let text = parent.tags["best_run"], let id = Int(text) else { continue }
            guard let child = listed[id] ?? (try? store.run(id))?.summary else { continue }
            let params = parent.tags["best_params"].map { $0.isEmpty ? "" : $0 + " " } ?? ""
            out[parent.id] = BestChild(run: child, label: "best: \(params)(run \(id))")
        }
        return out
    }

    /// A param as the parent's row shows it: the best child's value when it has one.
    static func param(_ key: String, of run: RunSummary, best: [Int: BestChild]) -> String? {
        best[run.id]?.run.params[key] ?? run.params[key]
    }
}
