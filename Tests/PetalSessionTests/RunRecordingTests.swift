import Foundation
import Testing
@testable import PetalSession
@testable import PetalTracking

@Suite struct RunRecordingTests {
    /// A store that cannot grow (SQLite's page limit stands in for a full disk): the fit still works and says
    /// its run was not recorded.
    @Test func aFullStoreCostsAWarningNotTheCommand() throws {
        let s = trackedIrisSession()
        mustRun(s, "pipeline p = knn; fit p on iris target=variety")
        let store = try #require(s.tracker?.store)
        let pages = try #require(try store.db.scalarInt("PRAGMA page_count"))
        _ = try store.db.scalarInt("PRAGMA max_page_count = \(pages)")
        // Fill the free space left in those pages, row by row, so the next run cannot be written.
        var i = 0
        while i < 20_000, (try? store.logMetrics([MetricPoint("filler\(i)", Double(i))], run: 1)) != nil { i += 1 }
        #expect(i < 20_000, "the store never filled up")
        let fit = s.execute("fit p on iris target=variety test=0.3")
        #expect(fit.ok)
        let text = fit.renderText(width: 100)
        #expect(text.contains("warning: this run was not recorded") || text.contains("is incomplete"), "\(text)")
        #expect(text.contains("accuracy"))
        #expect(s.execute("describe iris").ok)
    }

    /// A fit that fails inside the estimator (missing values) leaves a failed run with the error; refused
    /// arguments record nothing.
    @Test func failedFitsAreRecordedAsFailed() throws {
        let s = trackedIrisSession()
        mustRun(s, "open \(Repo.path("samples/penguins.csv")) as penguins; pipeline k = knn")
        #expect(!s.execute("fit k on penguins target=nothing").ok)
        let fit = s.execute("fit k on penguins target=species")
        let error = try #require(fit.error)
        let runs = try #require(mustRun(s, "runs").output as? RunsOutput).runs
        #expect(runs.count == 1)
        #expect(runs.first?.status == .failed)
        let detail = try #require(mustRun(s, "run 1").output as? RunOutput).detail
        #expect(detail.error == error.message)
    }
}
