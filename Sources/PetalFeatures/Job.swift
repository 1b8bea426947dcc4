import PetalData

/// A scheduled pipeline: a petal script (`.petal`, commands one per line) or notebook (`.md`) run on a schedule,
/// optionally followed by the retraining gate (`promote to MODEL@ALIAS`).
public struct Job: Codable, Hashable, Sendable {
    public var name: String
    public var schedule: Schedule
    /// The script or notebook, as given (relative to the project folder).
    public var script: String
    /// `MODEL@ALIAS` to promote the last fit to after the script, or nil.
    public var register: String?
    /// Seconds an attempt may take before it is stopped.
    public var timeout: Int
    /// Attempts after a failed one.
    public var retries: Int
    /// The first due time; `every` schedules stay on the grid from here.
    public var anchor: Double

    public init(name: String, schedule: Schedule, script: String, register: String?, timeout: Int, retries: Int, anchor: Double) {
        self.name = name; self.schedule = schedule; self.script = script; self.register = register
        self.timeout = timeout; self.retries = retries; self.anchor = anchor
    }
}

/// A job with its state: when it is next due, how its last run went, and who is running it now.
public struct JobState: Sendable, Hashable {
    public var job: Job
    public var nextDue: Double
    public var lastStarted: Double?
    public var lastEnded: Double?
    /// `ok`, `failed`, `timed out`.
    public var lastStatus: String?
    /// The tracking run that holds the last run's log.
    public var lastRun: Int?
    /// A short line about the last run (its error, or the gate's decision).
    public var lastMessage: String?
    /// `host:pid` of a run-due running it now, and since when.
    public var claimedBy: String?
    public var claimedAt: Double?

    public init(job: Job, nextDue: Double) { self.job = job; self.nextDue = nextDue }
}

/// Where jobs and their state are kept (the feature store's file: the project's schedule travels with its data).
public protocol JobStorage: AnyObject {
    func jobs() throws -> [JobState]
    /// Adds a job, or replaces one's definition (its last run is kept; it is next due at `nextDue`).
    func saveJob(_ job: Job, nextDue: Double) throws
    func removeJob(_ name: String) throws -> Bool
    /// Takes job `name` for `owner` when it is due at `now` and nobody holds it (or the holder's claim is older than
    /// `staleBefore`): one atomic update, so two run-due processes never both run it. True when taken.
    func claim(_ name: String, owner: String, now: Double, staleBefore: Double, force: Bool) throws -> Bool
    /// Takes the lock that keeps two `jobs run-due` from running at once — on one machine for `features.db` (a file
    /// lock beside it), across machines for a shared PostgreSQL store (an advisory lock on the server) — or nil when
    /// another holds it. Held until the returned object is released or the process ends, however it ends.
    func takeRunLock() throws -> AnyObject?
    /// The lock as messages name it (`the lock .petal/jobs.lock`).
    var runLockName: String { get }
    /// Records how the run went, moves the due time on and releases the claim.
    func finish(_ name: String, owner: String, started: Double, ended: Double, status: String, run: Int?, message: String?, nextDue: Double) throws
}
