import Foundation
import Testing
import PetalData
import PetalFeatures
@testable import PetalSession
import PetalTracking

/// Runs a job's script in this process, in a new session on the same project folder (the executable runs
/// `petal jobs exec` in a child process instead).
final class InProcessLauncher: JobLauncher {
    let folder: String
    var launches = 0
    var fail = false
    init(folder: String) { self.folder = folder }
    func launch(_ job: Job, environment: [String: String]) -> JobAttempt {
        launches += 1
        if fail { return JobAttempt(exitCode: 1, output: "error: it broke\n", timedOut: false) }
        let session = Session(width: 100, trackingFolder: folder, clock: .counting(from: 1_800_000_000))
        var script = (try? String(contentsOfFile: job.script, encoding: .utf8)) ?? ""
        if let r = job.register { script += "\npromote to \(r)" }
        let runs = session.executeScript(script)
        return JobAttempt(exitCode: runs.allSatisfy(\.ok) ? 0 : 1, output: runs.map { $0.renderText(width: 100) }.joined(separator: "\n"), timedOut: false)
    }
}

@Suite struct JobsCommandTests {
    static func project() throws -> (Session, InProcessLauncher, String) {
        let folder = NSTemporaryDirectory() + "petal-jobs-test-\(getpid())-\(UUID().uuidString)"
        let s = Session(width: 100, trackingFolder: folder, clock: .counting())
        let launcher = InProcessLauncher(folder: folder)
        s.jobLauncher = launcher
        let script = folder + "/train.petal"
        try """
            features iris_fg from iris primary_key=sepal_length,sepal_width,petal_length,petal_width event_time=now
            feature_view iris_v = iris_fg label=variety
            pipeline p = standard_scaler | knn k=3
            fit p on iris_v target=variety
            """.write(toFile: script, atomically: true, encoding: .utf8)
        return (s, launcher, script)
    }

    @Test func runDueRunsADueJobOnceAndRecordsItsLog() throws {
        let (s, launcher, script) = try Self.project()
        mustRun(s, "job train every=1d run=\(script) register=iris@champion")
        let ran = mustRun(s, "jobs run-due").renderText(width: 100)
        #expect(ran.contains("train: ok"))
        #expect(ran.contains("iris@champion pointed nowhere, now → 1"))
        // Idempotent: nothing is due until the next day.
        #expect(mustRun(s, "jobs run-due").renderText(width: 100) == "no job is due")
        #expect(launcher.launches == 1)
        let listing = mustRun(s, "jobs").renderText(width: 100)
        #expect(listing.contains("train") && listing.contains("1d") && listing.contains("ok"), "\(listing)")
        let store = try #require(s.tracker?.store)
        let job = try #require(try store.runs(visibility: .all).first { $0.kind == "job" })
        let log = try #require(try store.artifact("job.log", run: job.id))
        #expect(String(decoding: log, as: UTF8.self).contains("== attempt 1: exit 0"))
        // jobs run NAME runs it now, due or not.
        #expect(mustRun(s, "jobs run train").renderText(width: 100).contains("train: ok"))
        #expect(launcher.launches == 2)
    }

    @Test func aHeldLockRunsNothingAndFailuresAreRetried() throws {
        let (s, launcher, script) = try Self.project()
        mustRun(s, "job train every=12h run=\(script) retries=2")
        let folder = try #require(s.tracker?.folder)
        do {
            let held = try #require(try RunLock(path: folder + "/jobs.lock"))
            #expect(mustRun(s, "jobs run-due").renderText(width: 100).contains("another jobs run-due is running"))
            withExtendedLifetime(held) {}
        }
        #expect(launcher.launches == 0)
        launcher.fail = true
        let failed = mustRun(s, "jobs run-due").renderText(width: 100)
        #expect(failed.contains("train: failed") && failed.contains("after 3 attempts") && failed.contains("error: it broke"))
        #expect(launcher.launches == 3)
        // A failed run still moves the due time on (no retry storm every minute).
        #expect(mustRun(s, "jobs run-due").renderText(width: 100) == "no job is due")
    }

    @Test func badJobDefinitionsAreRefused() throws {
        let (s, _, script) = try Self.project()
        #expect(s.execute("job j run=\(script)").error?.message.contains("every=") == true)
        #expect(s.execute("job j every=1x run=\(script)").error != nil)
        #expect(s.execute("job j cron=\"61 * * * *\" run=\(script)").error?.message.contains("minute") == true)
        #expect(s.execute("job j every=1d run=nope.petal").error?.message.contains("no such file") == true)
        #expect(s.execute("job j every=1d run=\(script) register=iris").error?.message.contains("MODEL@ALIAS") == true)
    }
}
