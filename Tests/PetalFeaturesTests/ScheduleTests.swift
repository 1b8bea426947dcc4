import Foundation
import Testing
import PetalData
@testable import PetalFeatures

/// Schedules: intervals stay on their grid; cron expressions find the next matching minute in UTC.
@Suite struct ScheduleTests {
    static func t(_ text: String) -> Double { Double(day(text)) / 1_000_000 }

    @Test func everyStaysOnItsGridAndSkipsMissedRuns() throws {
        let daily = try Schedule.every("1d")
        let anchor = Self.t("2026-11-01T06:00")
        #expect(daily.next(after: anchor, anchor: anchor) == Self.t("2026-11-02T06:00"))
        // Run late (three days of missed runs): the next is the next grid time, not a backlog.
        #expect(daily.next(after: Self.t("2026-11-04T07:30"), anchor: anchor) == Self.t("2026-11-05T06:00"))
        #expect(try Schedule.every("30m").text == "every=30m" && (try Schedule.every("7d")).text == "every=1w")
        #expect(throws: PetalError.self) { try Schedule.every("0d") }
        #expect(throws: PetalError.self) { try Schedule.every("d") }
    }

    @Test func cronFindsTheNextMatchingMinute() throws {
        let at6 = try CronExpression("0 6 * * *")
        #expect(at6.next(after: Self.t("2026-11-01T05:59")) == Self.t("2026-11-01T06:00"))
        #expect(at6.next(after: Self.t("2026-11-01T06:00")) == Self.t("2026-11-02T06:00"))
        let mondays = try CronExpression("30 8 * * 1")   // 2026-11-30 is a Monday
        #expect(mondays.next(after: Self.t("2026-11-26T12:00")) == Self.t("2026-11-30T08:30"))
        let steps = try CronExpression("*/15 * * * *")
        #expect(steps.next(after: Self.t("2026-11-01T10:07")) == Self.t("2026-11-01T10:15"))
        // Both days restricted: either matches (the 1st, or a Sunday).
        let either = try CronExpression("0 0 1 * 0")
        #expect(either.next(after: Self.t("2026-11-02T00:00")) == Self.t("2026-11-08T00:00"))
        let leap = try CronExpression("0 0 29 2 *")
        #expect(leap.next(after: Self.t("2026-03-01")) == Self.t("2028-02-29"))
        for bad in ["* * * *", "60 * * * *", "* 24 * * *", "5-1 * * * *", "*/0 * * * *", "a * * * *"] {
            #expect(throws: PetalError.self) { try CronExpression(bad) }
        }
    }

    @Test(arguments: Backend.available) func jobClaimsAreAtomicAndExpire(_ backend: Backend) throws {
        let (storage, reopen) = try backend.newStorage()
        let job = Job(name: "j", schedule: .every(seconds: 60), script: "x.petal", register: nil, timeout: 10, retries: 0, anchor: 100)
        try storage.saveJob(job, nextDue: 100)
        #expect(try storage.claim("j", owner: "a", now: 50, staleBefore: 0, force: false) == false)   // not due yet
        #expect(try storage.claim("j", owner: "a", now: 100, staleBefore: 0, force: false))
        #expect(try storage.claim("j", owner: "b", now: 101, staleBefore: 0, force: false) == false)   // held
        #expect(try storage.claim("j", owner: "b", now: 500, staleBefore: 400, force: false))           // a's claim went stale
        try storage.finish("j", owner: "b", started: 500, ended: 501, status: "ok", run: 3, message: nil, nextDue: 560)
        let state = try #require(try storage.jobs().first)
        #expect(state.claimedBy == nil && state.nextDue == 560 && state.lastStatus == "ok" && state.lastRun == 3)
        #expect(try storage.removeJob("j") && (try storage.jobs()).isEmpty && !(try storage.removeJob("j")))
        // The run-due lock: a second taker (another store on the same file or server) is refused while the first
        // holds it, and it is free again once the holder lets go.
        let other = try reopen()
        var first = try storage.takeRunLock()
        #expect(first != nil)
        #expect(try other.takeRunLock() == nil)
        first = nil
        #expect(try other.takeRunLock() != nil)
        withExtendedLifetime(first) {}
    }
}
