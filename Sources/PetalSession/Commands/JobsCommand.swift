import Foundation
import PetalData
import PetalFeatures

/// `jobs`: the scheduled jobs with their last and next runs; `jobs run-due` runs those that are due; `jobs run NAME`
/// runs one now.
public enum JobsCommand: PetalCommand {
    public static let name = "jobs"
    public static let syntax = "jobs  |  jobs run-due  |  jobs run NAME"
    public static let summary = "scheduled jobs: last and next run, status, duration, log; run-due runs those due"
    public static let help = """
        jobs lists every job: its schedule, the last run's status, duration and tracked run (run N shows its log,
        the job.log artifact), and when it is next due.
        jobs run-due runs each job that is due, one after another, and moves its due time on. It is idempotent (a
        job that ran is not due again until its next time) and takes a lock (.petal/jobs.lock beside features.db; an
        advisory lock on the server for a PostgreSQL store, PETAL_FEATURE_STORE=postgresql://…), so cron may call
        `petal jobs run-due` every minute: a second call while one runs does nothing. A job is also claimed in the
        store before it runs, so two machines sharing a store never run it twice.
        jobs run NAME runs one job now, due or not.
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        context.previous.count == 1 ? ["run-due", "run"].filter { $0.hasPrefix(context.partial) } : []
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let jobs = try session.requireJobStorage()
        switch args.positional.first?.lowercased() {
        case nil:
            return JobsOutput(jobs: try jobs.jobs())
        case "run-due", "run":
            let only: [String]?
            if args.positional[0].lowercased() == "run" {
                let name = try args.required(1, "a job name", syntax: syntax)
                guard try jobs.jobs().contains(where: { $0.job.name == name }) else { throw PetalError("no job called \(name)", hint: "jobs lists them") }
                only = [name]
            } else {
                try args.checkPositional(max: 1, syntax: syntax)
                only = nil
            }
            guard let reports = try JobScheduler.runDue(session: session, only: only) else {
                return MessageOutput("another jobs run-due is running (\(jobs.runLockName) is held); nothing was run",
                                     fields: [("locked", .bool(true)), ("ran", .array([]))])
            }
            return JobRunsOutput(reports: reports)
        case let other?:
            throw PetalError("jobs has no \"\(other)\"", hint: "usage: \(syntax)")
        }
    }
}

/// The result of `jobs`.
public struct JobsOutput: CommandOutput {
    public var jobs: [JobState]

    public func renderText(width: Int) -> String {
        guard !jobs.isEmpty else { return "no jobs yet: job NAME every=1d run=SCRIPT.petal" }
        let rows = jobs.map { s -> [String] in
            [s.job.name, s.job.schedule.short, s.claimedBy != nil ? "running" : s.lastStatus ?? "", s.lastStarted.map(JobRunsOutput.time) ?? "never",
             JobsOutput.took(s), s.lastRun.map { "run \($0)" } ?? "", JobRunsOutput.time(s.nextDue)]
        }
        var table = TextTable(headers: ["job", "every", "status", "last run", "took", "log", "next due"],
                              alignments: [.left, .left, .left, .left, .right, .left, .left], rows: rows)
        table.stickyColumns = 1
        let notes = jobs.map { s in
            "\(s.job.name) runs \(s.job.script)" + (s.job.register.map { ", then promote to \($0)" } ?? "") + (s.lastMessage.map { "\n  \($0)" } ?? "")
        }
        return table.render(width: width) + (notes.isEmpty ? "" : "\n" + notes.joined(separator: "\n"))
    }

    /// How long the last run took, or nothing before the first.
    static func took(_ s: JobState) -> String {
        guard let start = s.lastStarted, let end = s.lastEnded else { return "" }
        return JobRunsOutput.duration(end - start)
    }

    public func json() -> JSONValue {
        .object([("jobs", .array(jobs.map { s in
            .object([("name", .string(s.job.name)), ("schedule", .string(s.job.schedule.text)), ("run", .string(s.job.script)),
                     ("register", s.job.register.map { .string($0) } ?? .null), ("timeout", .int(s.job.timeout)), ("retries", .int(s.job.retries)),
                     ("last_started", .number(s.lastStarted)), ("last_ended", .number(s.lastEnded)),
                     ("last_status", s.lastStatus.map { .string($0) } ?? .null), ("last_run_id", s.lastRun.map { .int($0) } ?? .null),
                     ("last_message", s.lastMessage.map { .string($0) } ?? .null), ("running", .bool(s.claimedBy != nil)),
                     ("next_due", .number(s.nextDue))])
        }))])
    }
}

/// The result of `jobs run-due` / `jobs run NAME`.
public struct JobRunsOutput: CommandOutput {
    public var reports: [JobRunReport]

    public func renderText(width: Int) -> String {
        guard !reports.isEmpty else { return "no job is due" }
        return reports.map { r in
            "\(r.name): \(r.status) in \(Self.duration(r.seconds))" + (r.attempts > 1 ? " after \(r.attempts) attempts" : "")
                + (r.run.map { ", run \($0)" } ?? "") + "; next due \(Self.time(r.nextDue))" + (r.message.map { "\n  \($0)" } ?? "")
        }.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        .object([("ran", .array(reports.map { r in
            .object([("job", .string(r.name)), ("status", .string(r.status)), ("attempts", .int(r.attempts)), ("seconds", .number(r.seconds)),
                     ("run_id", r.run.map { .int($0) } ?? .null), ("message", r.message.map { .string($0) } ?? .null), ("next_due", .number(r.nextDue))])
        }))])
    }

    /// A time to the minute (`2026-11-30 06:00`), UTC.
    static func time(_ seconds: Double) -> String {
        String(DateTimeText.format(micros: Int64((seconds / 60).rounded(.down)) * 60_000_000, dateOnly: false).dropLast(3))
    }
    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.0f s", seconds) : seconds < 3600 ? String(format: "%.1f min", seconds / 60) : String(format: "%.1f h", seconds / 3600)
    }
}
