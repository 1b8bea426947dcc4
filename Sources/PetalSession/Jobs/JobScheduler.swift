import Foundation
import PetalBundle
import PetalData
import PetalFeatures
import PetalTracking

/// What one attempt of a job's script did.
public struct JobAttempt: Sendable {
    public var exitCode: Int32
    /// Everything it printed (standard output and error).
    public var output: String
    public var timedOut: Bool
    public init(exitCode: Int32, output: String, timedOut: Bool) { self.exitCode = exitCode; self.output = output; self.timedOut = timedOut }
}

/// Runs one attempt of a job: the executable starts `petal jobs exec SCRIPT` as a child process and stops it at the
/// timeout (`JobProcess` in the petal target); tests run scripts in process.
public protocol JobLauncher: AnyObject {
    /// - Parameter environment: variables to add for the child (`PETAL_HOME`, the notebook clock).
    func launch(_ job: Job, environment: [String: String]) -> JobAttempt
}

/// How one job run went, for `jobs run-due`.
public struct JobRunReport: Sendable {
    public var name: String
    public var status: String
    public var attempts: Int
    public var seconds: Double
    public var run: Int?
    public var message: String?
    public var nextDue: Double
}

/// `jobs run-due`: runs every job that is due, once, under a lock; idempotent, so cron may call it every minute.
public enum JobScheduler {
    /// Runs the due jobs (or `only` these, due or not) one after another.
    /// - Returns: nil when another run-due holds the lock (nothing was run), else one report per job run.
    static func runDue(session: Session, only: [String]? = nil) throws -> [JobRunReport]? {
        let tracker = try session.requireTracker()
        let jobs = try session.requireJobStorage()
        guard let launcher = session.jobLauncher else {
            throw PetalError("jobs run from the petal command line", hint: "petal jobs run-due (cron or a systemd timer can call it every minute)")
        }
        guard let lock = try jobs.takeRunLock() else { return nil }
        defer { withExtendedLifetime(lock) {} }
        let clock = tracker.store?.clock ?? .system
        var reports: [JobRunReport] = []
        let owner = "\(ProcessInfo.processInfo.hostName):\(getpid())"
        for state in try jobs.jobs() {
            let job = state.job
            if let only, !only.contains(job.name) { continue }
            let now = clock.now()
            let staleBefore = now - Double(job.timeout * (job.retries + 1) + 300)
            guard try jobs.claim(job.name, owner: owner, now: now, staleBefore: staleBefore, force: only != nil) else { continue }
            reports.append(try run(job, owner: owner, session: session, tracker: tracker, jobs: jobs, launcher: launcher, clock: clock))
        }
        return reports
    }

    /// One claimed job: its attempts, a tracking run of kind `job` with the log, then the next due time.
    private static func run(_ job: Job, owner: String, session: Session, tracker: Tracker, jobs: any JobStorage, launcher: any JobLauncher,
                            clock: TrackingClock) throws -> JobRunReport {
        let started = clock.now()
        let store = tracker.store
        let runID = try? store?.startRun(RunStart(kind: "job", pipelineName: job.name, pipeline: job.script, petalVersion: PetalVersion.current,
                                                  commands: ["job \(job.name) \(job.schedule.text) run=\(job.script)" + (job.register.map { " register=\($0)" } ?? "")],
                                                  params: [("schedule", job.schedule.text), ("script", job.script)]),
                                         experiment: tracker.experiment)
        var environment = ["PETAL_HOME": tracker.folder]
        if clock.isCounting { environment["PETAL_CLOCK"] = "counting:\(Int(clock.now()))" }
        var log = ""
        var attempt = JobAttempt(exitCode: -1, output: "", timedOut: false)
        var attempts = 0
        for k in 0...max(0, job.retries) {
            attempts = k + 1
            attempt = launcher.launch(job, environment: environment)
            log += "== attempt \(attempts): " + (attempt.timedOut ? "stopped after \(job.timeout) s (timeout)" : "exit \(attempt.exitCode)") + "\n" + attempt.output
            if !log.hasSuffix("\n") { log += "\n" }
            if attempt.exitCode == 0 && !attempt.timedOut { break }
        }
        let ended = clock.now()
        let status = attempt.timedOut ? "timed out" : attempt.exitCode == 0 ? "ok" : "failed"
        let message = status == "ok" ? gateLine(attempt.output)
            : attempt.timedOut ? "stopped after \(job.timeout) s (its timeout); the log keeps what it printed" : lastErrorLine(attempt.output) ?? status
        if let store, let runID {
            _ = try? store.addArtifact("job.log", contents: Data(log.utf8), run: runID)
            try? store.finishRun(runID, status: status == "ok" ? .finished : .failed, error: status == "ok" ? nil : message)
        }
        let next = job.schedule.next(after: ended, anchor: job.anchor)
        try jobs.finish(job.name, owner: owner, started: started, ended: ended, status: status, run: runID, message: message, nextDue: next)
        return JobRunReport(name: job.name, status: status, attempts: attempts, seconds: ended - started, run: runID, message: message, nextDue: next)
    }

    /// The retraining gate's decision in a script's output (`registered …`), if it ran.
    static func gateLine(_ output: String) -> String? {
        output.split(separator: "\n").last { $0.hasPrefix("registered ") }.map(String.init)
    }

    /// The last `error: …` line of a failed attempt.
    static func lastErrorLine(_ output: String) -> String? {
        output.split(separator: "\n").last { $0.hasPrefix("error: ") }.map(String.init)
    }
}

extension Session {
    /// The jobs' storage (the feature store's SQLite file).
    func requireJobStorage() throws -> any JobStorage {
        let store = try requireFeatureStore()
        guard let jobs = store.storage as? any JobStorage else {
            throw PetalError("this feature store (\(store.storage.location)) keeps no jobs")
        }
        return jobs
    }
}
