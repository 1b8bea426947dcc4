import Foundation
import PetalData

/// Sends runs from the local store to an MLflow tracking server: experiment by name (created when missing), a run
/// with Petal's tags (pipeline, data fingerprint and source, Petal version, commands), params, every metric with
/// its steps, the end status, and the run's artifacts through the server's artifact proxy. The local store stays
/// the source of truth; runs wait in its `remote_runs` queue until the server has them.
public struct MLflowSync: Sendable {
    public let client: MLflowClient

    public init(client: MLflowClient) { self.client = client }

    /// The key runs are queued under: the tracking URI without a password.
    public var server: String { client.shown }

    /// What one attempt did.
    public struct Report: Sendable {
        public var sent: [(run: Int, remoteID: String)] = []
        /// The first failure, which ends the attempt (the server is down or refusing).
        public var failure: (run: Int, message: String)?
        /// Runs still waiting afterwards.
        public var waiting = 0
        /// Runs whose artifacts were not sent because the server does not proxy artifacts.
        public var artifactsSkipped = 0
    }

    /// Sends every waiting run, oldest first, stopping at the first failure, once `deadline` has passed, or when
    /// `keepGoing` says no (asked between runs: a run under way is finished or fails on its own timeouts).
    public func sendWaiting(_ store: TrackingStore, deadline: Date = .distantFuture, keepGoing: () -> Bool = { true }) -> Report {
        var report = Report()
        do {
            for item in try store.waitingRemote(server: server) {
                guard Date() < deadline, keepGoing() else { break }
                do {
                    try store.beginRemote(run: item.run, server: server)
                    let (id, artifacts) = try send(item, store: store)
                    try store.finishRemote(run: item.run, server: server, remoteID: id, error: nil)
                    report.sent.append((item.run, id))
                    if !artifacts { report.artifactsSkipped += 1 }
                } catch {
                    let message = (error as? PetalError)?.message ?? "\(error)"
                    try? store.finishRemote(run: item.run, server: server, remoteID: nil, error: message)
                    report.failure = (item.run, message)
                    break
                }
            }
        } catch {
            report.failure = (0, (error as? PetalError)?.message ?? "\(error)")
        }
        report.waiting = (try? store.waitingRemoteCount(server: server)) ?? 0
        return report
    }

    /// Sends one run in full. A run created on the server by an earlier, interrupted attempt is deleted there first:
    /// by its id when the attempt learnt it, else by the attempt's token (a `runs/create` whose answer timed out
    /// after the server made the run — the token is stored locally before the request and tagged on the run).
    /// - Returns: the server's run id, and whether the artifacts could be sent.
    func send(_ item: TrackingStore.RemoteRun, store: TrackingStore) throws -> (String, Bool) {
        let detail = try store.run(item.run)
        let run = detail.summary
        let experiment = try client.experimentID(named: run.experiment)
        switch item.remoteID.map(RemoteHandle.init(stored:)) {
        case .run(let stale)?: try client.deleteRun(runID: stale)
        case .attempt(let token)?:
            for stale in try client.runIDs(experimentID: experiment, taggedWith: RemoteHandle.attemptTag, value: token) {
                try client.deleteRun(runID: stale)
            }
        case nil: break
        }
        let token = UUID().uuidString.lowercased()
        try store.setRemoteID(RemoteHandle.attempt(token).stored, run: item.run, server: server)
        let start = Int64(run.started * 1000)
        let end = run.ended.map { Int64($0 * 1000) }
        let name = "\(run.kind) \(run.pipelineName ?? "run") #\(run.id)"
        let created = try client.createRun(experimentID: experiment, name: name, startMilliseconds: start,
                                           tags: [("mlflow.source.name", "petal"), (RemoteHandle.attemptTag, token)])
        try store.setRemoteID(RemoteHandle.run(created.id).stored, run: item.run, server: server)
        let metrics = detail.curves.flatMap { curve in
            curve.points.compactMap { p in p.value.map { (key: curve.key, value: $0, step: p.step, timestamp: end ?? start) } }
        }
        try client.logBatch(runID: created.id, params: run.params.map { ($0.key, $0.value) }, metrics: metrics, tags: tags(detail))
        var artifactsSent = true
        for artifact in detail.artifacts {
            guard let data = try store.artifact(artifact.name, run: item.run) else { continue }
            if try !client.uploadArtifact(artifactURI: created.artifactURI, name: artifact.name, contents: data) { artifactsSent = false; break }
        }
        try client.updateRun(runID: created.id, status: Self.status(run.status), endMilliseconds: end)
        return (created.id, artifactsSent)
    }

    /// The run's tags plus Petal's own, under `petal.`.
    func tags(_ detail: RunDetail) -> [(String, String)] {
        let run = detail.summary
        var out: [(String, String)] = [("petal.run_id", String(run.id)), ("petal.kind", run.kind)]
        if let v = run.pipelineName { out.append(("petal.pipeline_name", v)) }
        if let v = run.pipeline { out.append(("petal.pipeline", v)) }
        if let v = run.dataset { out.append(("petal.dataset", v)) }
        if let v = run.fingerprint { out.append(("petal.data_fingerprint", v)) }
        if let v = run.seed { out.append(("petal.seed", String(v))) }
        if let v = detail.petalVersion { out.append(("petal.version", v)) }
        if !detail.commands.isEmpty { out.append(("petal.commands", detail.commands.joined(separator: "\n"))) }
        if !run.note.isEmpty { out.append(("mlflow.note.content", run.note)) }
        if let e = detail.error { out.append(("petal.error", e)) }
        for (k, v) in run.tags { out.append((k, v)) }
        return out
    }

    static func status(_ status: RunStatus) -> String {
        switch status {
        case .finished: return "FINISHED"
        case .failed: return "FAILED"
        case .cancelled: return "KILLED"
        case .running: return "RUNNING"
        }
    }
}

/// What the queue's `remote_id` holds for a run not yet fully sent: the server's run id once `runs/create`
/// answered, or before that the token of the attempt under way (MLflow run ids are hex, so the `attempt:` prefix
/// cannot be one). The token is also the run's `petal.attempt` tag, which finds a run whose creation was never
/// confirmed.
enum RemoteHandle: Equatable {
    case run(String)
    case attempt(String)

    static let attemptTag = "petal.attempt"
    private static let prefix = "attempt:"

    init(stored: String) {
        self = stored.hasPrefix(Self.prefix) ? .attempt(String(stored.dropFirst(Self.prefix.count))) : .run(stored)
    }

    var stored: String {
        switch self {
        case .run(let id): return id
        case .attempt(let token): return Self.prefix + token
        }
    }
}
