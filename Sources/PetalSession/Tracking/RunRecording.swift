import Foundation
import PetalBundle
import PetalData
import PetalML
import PetalTracking

/// One run being recorded for `fit`, `cv` or `search`. Started before the work (committed as "running", so a
/// crash leaves a run the next start marks failed), then given metrics and artifacts, then ended.
/// Tracking failures never fail the command: they turn into one warning and recording stops.
final class RunRecording {
    private var store: TrackingStore?
    /// Told when the run ends, to send it to an MLflow server when one is set.
    private var tracker: Tracker?
    private var startedID: Int?
    private var startedWarnings: [DataWarning] = []
    private var startedFingerprint: String?
    /// Set while the run is being started on another thread, once its data fingerprint is hashed (`start` given a
    /// `PendingFingerprint`); everything that reads the run waits for it first.
    private var starting: DispatchSemaphore?

    /// The run's id, when it is being recorded.
    var id: Int? { awaitStart(); return startedID }
    var warnings: [DataWarning] { awaitStart(); return startedWarnings }
    /// The data's fingerprint, when the run was recorded (search trials reuse their parent's).
    var fingerprint: String? { awaitStart(); return startedFingerprint }

    private init(store: TrackingStore?, id: Int?, warnings: [DataWarning]) {
        self.store = store; startedID = id; startedWarnings = warnings
    }

    /// Waits until a run started on another thread is in the store (or has failed to start). Called on the
    /// command's thread only.
    private func awaitStart() {
        guard let starting else { return }
        starting.wait()
        self.starting = nil
    }

    /// Records the start of the run; on failure, no run and a warning.
    private func begin(_ start: RunStart, store: TrackingStore, tracker: Tracker, experiment: String) {
        do {
            startedID = try store.startRun(start, experiment: experiment)
            self.store = store
            startedFingerprint = start.fingerprint
            self.tracker = tracker
        } catch {
            startedWarnings = [tracker.notRecorded(error)]
        }
    }

    /// Starts a run for the command `args` on pipeline `entry` and data set `dataset`; a no-op without a tracker.
    /// `pipeline` is nil for a run over many pipelines (`leaderboard`, `automl`: each candidate is a child run);
    /// `sessionPipeline` is false for a pipeline made by the command rather than defined with `pipeline`.
    static func start(_ kind: String, session: Session, args: Arguments, pipeline: Pipeline?, pipelineName: String, dataset: Dataset,
                      seed: Int?, params extra: [(String, String)], tags: [(String, String)] = [], fingerprint known: String? = nil,
                      pending: PendingFingerprint? = nil, sessionPipeline: Bool = true) -> RunRecording {
        guard let tracker = session.tracker else { return RunRecording(store: nil, id: nil, warnings: []) }
        guard let store = tracker.store else {
            return RunRecording(store: nil, id: nil, warnings: [tracker.notRecorded(tracker.unavailable ?? PetalError("no store"))])
        }
        let input = SourceAddress.redacted(([args.verb] + (args.rawText.isEmpty ? [] : [args.rawText])).joined(separator: " "))
        let lineage = session.commandLog.lineage(datasets: [dataset.name], pipelines: pipeline == nil || !sessionPipeline ? [] : [pipelineName])
        var allTags = tags
        if !lineage.unresolved.isEmpty { allTags.append(("unlogged_inputs", lineage.unresolved.joined(separator: ","))) }
        // Data from a URL or a database: where it came from (without a password), beside its fingerprint.
        if SourceAddress.isRemote(dataset.source) { allTags.append(("data_source", SourceAddress.redacted(dataset.source))) }
        var start = RunStart(kind: kind, pipelineName: pipelineName, pipeline: pipeline.map(PipelineText.full) ?? "", dataset: dataset.name,
                             fingerprint: known, seed: seed, petalVersion: PetalVersion.current,
                             commands: lineage.commands + [input], params: extra + viewParams(dataset) + (pipeline.map(PipelineText.parameters) ?? []), tags: allTags)
        let recording = RunRecording(store: nil, id: nil, warnings: [])
        if known == nil, let pending {
            // The fingerprint is still being hashed: the run is written to the store on that thread once it is, while
            // this one goes on with the work (waiting for it here held up every fit on a wide data set).
            let semaphore = DispatchSemaphore(value: 0)
            recording.starting = semaphore
            let job = RunStartJob(recording: recording, start: start, store: store, tracker: tracker, experiment: tracker.experiment,
                                  pending: pending)
            DispatchQueue.global().async {
                job.run()
                semaphore.signal()
            }
            return recording
        }
        if start.fingerprint == nil { start.fingerprint = DataFingerprint.of(dataset.frame) }
        recording.begin(start, store: store, tracker: tracker, experiment: tracker.experiment)
        return recording
    }

    /// A run's start handed to another thread: it waits for the fingerprint, then writes the run. The command's
    /// thread touches neither the recording nor the store until the start is done (`awaitStart`).
    private final class RunStartJob: @unchecked Sendable {
        let recording: RunRecording, start: RunStart, store: TrackingStore, tracker: Tracker, experiment: String, pending: PendingFingerprint
        init(recording: RunRecording, start: RunStart, store: TrackingStore, tracker: Tracker, experiment: String, pending: PendingFingerprint) {
            self.recording = recording; self.start = start; self.store = store; self.tracker = tracker
            self.experiment = experiment; self.pending = pending
        }
        func run() {
            var start = start
            start.fingerprint = pending.value
            recording.begin(start, store: store, tracker: tracker, experiment: experiment)
        }
    }

    /// How far below the command's own threads the fingerprint's thread runs (nice levels): it hashes on the core
    /// the command leaves idle and gives way to the command's parallel steps (a ridge fit on 50,000 × 100, median
    /// of 80 alternating runs: 93 ms of the command at the same priority, 81 ms ten levels below). Not 19: the
    /// hash must still get a share when other programs keep the cores busy, or the run's record waits on it.
    static let fingerprintYield: Int32 = 10

    /// The fingerprint of `dataset`, started now on another core when the session records runs: a command starts it
    /// before it builds its matrices and hands `value` to `start` (hashing a wide data set took as long as a fast fit).
    static func fingerprintSoon(_ dataset: Dataset, session: Session) -> PendingFingerprint? {
        guard let store = session.tracker?.store, !store.isReadOnly else { return nil }
        let frame = dataset.frame
        return PendingFingerprint(yielding: RunRecording.fingerprintYield) { DataFingerprint.of(frame) }
    }

    /// A feature view's name, version and as-of time, for a run on its rows.
    static func viewParams(_ dataset: Dataset) -> [(String, String)] {
        guard let v = dataset.view else { return [] }
        return [("view", v.name), ("view_version", String(v.version)), ("as_of", TimeArgument.text(v.asOf))]
    }

    /// Runs `body`; when it throws, ends the run as failed (or cancelled) and rethrows.
    func around<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            awaitStart()
            let message = (error as? PetalError)?.message ?? "\(error)"
            attempt { try $0.finishRun($1, status: message.contains("cancelled") ? .cancelled : .failed, error: message) }
            if let id { _ = tracker?.runEnded(id) }
            throw error
        }
    }

    func appendWarning(_ warning: DataWarning) { awaitStart(); startedWarnings.append(warning) }

    func log(_ points: [MetricPoint]) { attempt { try $0.logMetrics(points, run: $1) } }

    func artifact(_ name: String, _ contents: Data) { attempt { try $0.addArtifact(name, contents: contents, run: $1) } }

    /// An artifact that `write` writes to the path it is given.
    func artifact(_ name: String, writing write: (String) throws -> Void) { attempt { try $0.addArtifact(name, run: $1, writing: write) } }

    func tag(_ tags: [(String, String)]) { attempt { try $0.setTags(tags, run: $1) } }

    /// Ends the run as finished.
    func finish() {
        attempt { try $0.finishRun($1, status: .finished) }
        if let id, let note = tracker?.runEnded(id) { startedWarnings.append(note) }
    }

    private func attempt(_ body: (TrackingStore, Int) throws -> Void) {
        awaitStart()
        guard let store, let id = startedID else { return }
        do { try body(store, id) } catch {
            let reason = (error as? PetalError)?.message ?? "\(error)"
            startedWarnings.append(DataWarning("run \(id) is incomplete: \(reason)"))
            startedID = nil
        }
    }

    /// The metrics of an evaluation as points (every number under `metrics`, plus the baseline).
    static func points(_ evaluation: Evaluation) -> [MetricPoint] {
        var out: [MetricPoint] = []
        if case .object(let fields) = evaluation.metricsJSON {
            for (k, v) in fields {
                switch v {
                case .number(let d): out.append(MetricPoint(k, d))
                case .int(let i): out.append(MetricPoint(k, Double(i)))
                default: break
                }
            }
        }
        switch evaluation {
        case .classification(_, let b, _, _): out.append(MetricPoint("baseline_accuracy", b))
        case .regression(_, let b, _): out.append(MetricPoint("baseline_rmse", b.rmse))
        case .clustering: break
        }
        return out
    }
}

/// A pipeline as text and as parameters, every value spelled out (defaults included).
enum PipelineText {
    /// `standard_scaler with_mean=true with_std=true | knn n_neighbors=3 weights=uniform metric=minkowski`.
    static func full(_ pipeline: Pipeline) -> String {
        pipeline.steps.enumerated().map { i, step in
            var params = step.parameterList.map { ($0.name, $0.value) }
            if let selection = pipeline.columns[safe: i] ?? nil { params.append(("columns", PipelineOutput.describe(selection))) }
            return ([step.name] + params.map { "\($0.0)=\($0.1)" }).joined(separator: " ")
        }.joined(separator: " | ")
    }

    /// `STEP.PARAM` → value for every step (a step used twice is `STEP#2.PARAM` the second time).
    static func parameters(_ pipeline: Pipeline) -> [(String, String)] {
        var seen: [String: Int] = [:]
        var out: [(String, String)] = []
        for (i, step) in pipeline.steps.enumerated() {
            seen[step.name, default: 0] += 1
            let prefix = step.name + (seen[step.name, default: 1] > 1 ? "#\(seen[step.name, default: 1])" : "")
            var params = step.parameterList.map { ($0.name, $0.value) }
            if let selection = pipeline.columns[safe: i] ?? nil { params.append(("columns", PipelineOutput.describe(selection))) }
            out += params.map { (prefix + "." + $0.0, $0.1) }
        }
        return out
    }
}

/// `DataFingerprint.of(frame)` computed on a thread of its own; `value` waits for it.
typealias PendingFingerprint = Pending<String>
