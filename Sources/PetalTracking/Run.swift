/// How a run ended (or that it has not yet).
public enum RunStatus: String, Sendable, CaseIterable {
    case running, finished, failed, cancelled
}

/// What a run is about, given when it starts.
public struct RunStart: Sendable {
    /// The command that made it: fit, cv, search.
    public var kind: String
    public var pipelineName: String?
    /// The pipeline's text with every parameter (`standard_scaler with_mean=true … | knn n_neighbors=3 …`).
    public var pipeline: String?
    public var dataset: String?
    /// `DataFingerprint.of(frame)` of the data the run saw.
    public var fingerprint: String?
    public var seed: Int?
    public var petalVersion: String
    /// The session's commands that produced the data, the pipeline and the run, in order.
    public var commands: [String]
    public var params: [(String, String)]
    public var tags: [(String, String)]

    public init(kind: String, pipelineName: String? = nil, pipeline: String? = nil, dataset: String? = nil, fingerprint: String? = nil,
                seed: Int? = nil, petalVersion: String, commands: [String] = [], params: [(String, String)] = [], tags: [(String, String)] = []) {
        self.kind = kind; self.pipelineName = pipelineName; self.pipeline = pipeline; self.dataset = dataset
        self.fingerprint = fingerprint; self.seed = seed; self.petalVersion = petalVersion; self.commands = commands
        self.params = params; self.tags = tags
    }
}

/// One value of a metric; `step` orders a curve (CV folds, boosting rounds), 0 for a single value.
public struct MetricPoint: Sendable, Equatable {
    public var key: String
    public var step: Int
    public var value: Double?
    public init(_ key: String, _ value: Double?, step: Int = 0) { self.key = key; self.step = step; self.value = value }
}

/// A metric's values over its steps, summarised.
public struct MetricSummary: Sendable, Equatable {
    /// The value at the highest step.
    public var last: Double?
    public var min: Double?
    public var max: Double?
    /// How many steps it has.
    public var count: Int

    /// Picks `last`, `min` or `max` by name.
    public func value(_ which: String) -> Double? {
        switch which { case "min": return min; case "max": return max; default: return last }
    }
}

/// A run as listed: its attributes, params, tags and metric summaries.
public struct RunSummary: Sendable {
    public var id: Int
    public var experiment: String
    public var kind: String
    public var status: RunStatus
    public var pipelineName: String?
    public var pipeline: String?
    public var dataset: String?
    public var started: Double
    public var ended: Double?
    public var seed: Int?
    public var fingerprint: String?
    public var note: String
    public var deleted: Bool
    public var params = SmallMap<String>()
    public var tags = SmallMap<String>()
    public var metrics = SmallMap<MetricSummary>()

    /// Seconds from start to end, when it ended.
    public var duration: Double? { ended.map { $0 - started } }
}

/// A run in full: the summary plus metric curves, the commands, artifacts and where it ran.
public struct RunDetail: Sendable {
    public var summary: RunSummary
    /// Every metric's points in step order, keys sorted.
    public var curves: [(key: String, points: [(step: Int, value: Double?)])]
    public var commands: [String]
    /// Artifact name → path relative to the tracking folder.
    public var artifacts: [(name: String, path: String)]
    public var petalVersion: String?
    public var error: String?
    public var pid: Int?
}
