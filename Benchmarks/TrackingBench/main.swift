import Foundation
import PetalData
import PetalTracking

// Tracking benchmark (issue 5): log 10,000 metric steps for one run; list and filter 10,000 runs.
// Usage: TrackingBench FOLDER [--runs N] [--steps N] [--repeat N]   (prints one JSON object)
// FOLDER must not exist or be empty; it becomes the tracking store.

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int, in args: [String] = Array(CommandLine.arguments.dropFirst())) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
guard let folder = args.first, !folder.hasPrefix("--") else {
    FileHandle.standardError.write(Data("usage: TrackingBench FOLDER [--runs N] [--steps N] [--repeat N]\n".utf8))
    exit(2)
}
let runCount = option("--runs", 10_000)
let stepCount = option("--steps", 10_000)
let repeats = option("--repeat", 5)

nonisolated func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

nonisolated func best(_ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<repeats { times.append(try seconds(body)) }
    return times.min() ?? 0
}

do {
    let store = try TrackingStore(folder: folder)
    let base = RunStart(kind: "fit", pipelineName: "p", pipeline: "knn n_neighbors=3", dataset: "iris", fingerprint: String(repeating: "a", count: 64),
                        seed: 42, petalVersion: "bench")
    // 1. 10,000 steps of one metric for one run, in one call (each repeat logs a new run's curve).
    let logSteps = try best {
        let run = try store.startRun(base, experiment: "steps")
        try store.logMetrics((0..<stepCount).map { MetricPoint("loss", 1 / Double($0 + 1), step: $0) }, run: run)
    }
    // 2. 10,000 runs with 4 params and 3 metrics each (setup, not timed), then list them all and filter them.
    let setup = try seconds {
        for i in 0..<runCount {
            var start = base
            start.params = [("knn.n_neighbors", String(i % 15 + 1)), ("knn.weights", i % 2 == 0 ? "uniform" : "distance"),
                            ("standard_scaler.with_mean", "true"), ("seed", String(i))]
            let run = try store.startRun(start, experiment: "many")
            try store.logMetrics([MetricPoint("accuracy", Double(i % 100) / 100), MetricPoint("f1_macro", Double(i % 97) / 97),
                                  MetricPoint("log_loss", Double(i % 13) / 13)], run: run)
            try store.finishRun(run, status: .finished)
        }
    }
    var listed = 0, filtered = 0
    let list = try best { listed = try store.runs(experiment: "many").count }
    let condition = try RunFilterParser.parse("metrics.accuracy > 0.9 AND params.knn.n_neighbors IN (3, 5, 7) OR params.knn.weights = 'distance' AND metrics.log_loss < 0.1",
                                               keys: store.knownKeys())
    let filter = try best { filtered = try store.runs(where: condition, experiment: "many").count }
    // The condition MLflow's peer script uses (its search has AND only), for a like-for-like ratio.
    var filteredAnd = 0
    let andCondition = try RunFilterParser.parse("metrics.accuracy > 0.9 AND params.knn.weights = 'distance' AND metrics.log_loss < 0.1",
                                                  keys: store.knownKeys())
    let filterAnd = try best { filteredAnd = try store.runs(where: andCondition, experiment: "many").count }
    print("""
        {"tool": "petal", "steps": \(stepCount), "runs": \(runCount), "log_steps_s": \(logSteps), "list_runs_s": \(list), \
        "filter_runs_s": \(filter), "filter_and_runs_s": \(filterAnd), "listed": \(listed), "filtered": \(filtered), \
        "filtered_and": \(filteredAnd), "setup_s": \(setup)}
        """)
} catch {
    FileHandle.standardError.write(Data("TrackingBench: \(error)\n".utf8))
    exit(1)
}
