import Foundation
import PetalData
import PetalTracking

/// Sending runs to an MLflow tracking server (`MLFLOW_TRACKING_URI`, or `tracking_uri=URL` in a session).
/// `.petal/petal.db` stays the source of truth: a run that ends is queued in the store and the command returns;
/// `RemoteSender` sends the queue on a thread of its own. A server that is down or slow never fails or holds up a
/// fit: the run waits in the queue, the next command's line says how many are waiting and why, and `runs sync` (or
/// the next run) sends them. A program waits for the sender at its end, at most `automaticBudget`.
extension Tracker {
    /// How long a program's end waits for the runs still being sent (`finishSending`).
    public static let automaticBudget: TimeInterval = 4
    /// Each request's timeout when sending in the background (nothing waits for it but a program's end, within
    /// `automaticBudget`; a slow server gets time to answer).
    public static let requestTimeout: TimeInterval = 10
    /// Each request's timeout in `runs sync`.
    static let patientTimeout: TimeInterval = 30
    /// How long background attempts pause after one failed.
    static let pauseAfterFailure: TimeInterval = 60

    /// The tracking server named by `text` (an http:// or https:// URL), or an error saying what is accepted.
    public static func mlflowServer(_ text: String, timeout: TimeInterval = Tracker.requestTimeout) throws -> MLflowSync {
        guard SourceAddress.isHTTP(text), let url = URL(string: text), url.host != nil else {
            throw PetalError("tracking_uri=\(SourceAddress.redacted(text)) is not an http(s) MLflow tracking server",
                            hint: "for example tracking_uri=http://localhost:5000 (runs are always kept in .petal/ as well)")
        }
        return MLflowSync(client: MLflowClient(base: url, timeout: timeout))
    }

    /// The server from `MLFLOW_TRACKING_URI` when it names an http(s) server (a file: or databricks URI is left to MLflow).
    public static func mlflowServer(environment: [String: String] = ProcessInfo.processInfo.environment) -> MLflowSync? {
        guard let uri = environment["MLFLOW_TRACKING_URI"], SourceAddress.isHTTP(uri) else { return nil }
        return try? mlflowServer(uri)
    }

    /// Queues run `id` for the server and wakes the sender; returns at once.
    /// - Returns: a line for the command's output when runs are left waiting after a failed attempt, else nil.
    func runEnded(_ id: Int) -> DataWarning? {
        guard let remote, let store, !store.isReadOnly else { return nil }
        do { try store.queueRemote(run: id, server: remote.server) } catch {
            return DataWarning("run \(id) was not queued for MLflow at \(remote.server): \((error as? PetalError)?.message ?? "\(error)")")
        }
        let sender: RemoteSender
        do { sender = try currentSender(remote, store: store) } catch {
            let waiting = (try? store.waitingRemoteCount(server: remote.server)) ?? 0
            return DataWarning(Tracker.waitingLine(waiting, server: remote.server, reason: (error as? PetalError)?.message ?? "\(error)"))
        }
        let failure = sender.takeFailure()
        let trying = sender.wake()
        guard failure != nil || !trying else { return nil }
        let waiting = (try? store.waitingRemoteCount(server: remote.server)) ?? 0
        return DataWarning(Tracker.waitingLine(waiting, server: remote.server, reason: failure))
    }

    /// The sender for `remote`, made with its own connection to the store at first use.
    private func currentSender(_ remote: MLflowSync, store: TrackingStore) throws -> RemoteSender {
        if let sender { return sender }
        let made = try RemoteSender(sync: remote, store: store)
        sender = made
        return made
    }

    /// Waits for the runs being sent, at most `budget` (a program calls it as it ends).
    /// - Returns: a line saying how many runs still wait and why, or nil when none wait or nothing was sent.
    public func finishSending(budget: TimeInterval = Tracker.automaticBudget) -> DataWarning? {
        guard let remote, let store, let sender else { return nil }
        let idle = sender.waitIdle(until: Date() + budget)
        if !idle { sender.stopSoon() }
        let failure = sender.takeFailure()
        let waiting = (try? store.waitingRemoteCount(server: remote.server)) ?? 0
        guard waiting > 0 else { return nil }
        return DataWarning(Tracker.waitingLine(waiting, server: remote.server,
                                               reason: failure ?? (idle ? nil : "still sending when Petal ended")))
    }

    /// Sends run `id` again after it changed (a tag, a note), as when it ended; nothing while it is still running.
    /// - Returns: a line for the command's output when runs are left waiting, else nil.
    func runChanged(_ id: Int) -> DataWarning? {
        guard remote != nil, let run = try? store?.run(id).summary, run.status != .running else { return nil }
        return runEnded(id)
    }

    /// `N runs wait for MLflow at URL (reason); runs sync sends them`.
    static func waitingLine(_ waiting: Int, server: String, reason: String?) -> String {
        "\(waiting) run\(waiting == 1 ? "" : "s") wait\(waiting == 1 ? "s" : "") for MLflow at \(server)"
            + (reason.map { " (\($0))" } ?? "") + "; kept in .petal, `runs sync` sends \(waiting == 1 ? "it" : "them")"
    }

    /// Sends every waiting run now, with no time budget but the per-request timeout (`runs sync`).
    public func syncNow() throws -> MLflowSync.Report {
        guard let remote else {
            throw PetalError("no MLflow tracking server is set", hint: "set MLFLOW_TRACKING_URI=http://host:5000, or type tracking_uri=http://host:5000 in the session")
        }
        let store = try requireStore()
        // Runs recorded before the server was set (or by a session without it) are queued too.
        for run in try store.runs() where run.status != .running {
            if try store.remoteID(run: run.id, server: remote.server) == nil { try store.queueRemote(run: run.id, server: remote.server) }
        }
        // The background sender stops after its current run; this attempt sends in the foreground, with a patient
        // timeout (the background one uses a short one).
        sender?.interrupt()
        let patient = MLflowSync(client: MLflowClient(base: remote.client.base, timeout: Tracker.patientTimeout))
        return patient.sendWaiting(store)
    }

    /// Sends this session's runs to the MLflow server at `text` (an http(s) URL) as well, or to none (`off`):
    /// what `MLFLOW_TRACKING_URI` does for a whole process. Used by `tracking_uri=` and `runs sync tracking_uri=`.
    /// - Returns: the line that says what changed.
    public func setServer(_ text: String) throws -> String {
        let value = text.trimmingCharacters(in: .whitespaces)
        if value.isEmpty || value.lowercased() == "off" {
            remote = nil
            return "runs are no longer sent to an MLflow server (they are kept in .petal as always)"
        }
        let server = try Tracker.mlflowServer(value)
        // A new server (and sender) is tried at the next run, whatever the last one did.
        remote = server
        var line = "runs of this session are also sent to MLflow at \(server.server) (and kept in .petal as always)"
        if let store, let waiting = try? store.waitingRemoteCount(server: server.server), waiting > 0 {
            line += "; \(waiting) run\(waiting == 1 ? "" : "s") wait\(waiting == 1 ? "s" : ""), `runs sync` sends \(waiting == 1 ? "it" : "them")"
        }
        return line
    }
}

extension SessionSetting {
    /// `tracking_uri=URL|off`: the MLflow tracking server this session's runs also go to, as MLFLOW_TRACKING_URI.
    static let trackingURI = SessionSetting(
        name: "tracking_uri",
        summary: "the MLflow tracking server runs are also sent to (as MLFLOW_TRACKING_URI); off sends none",
        example: "http://localhost:5000",
        current: { $0.tracker?.remote?.server },
        apply: { session, value in try session.requireTracker().setServer(value) })
}
