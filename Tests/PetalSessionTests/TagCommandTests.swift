import Testing
@testable import PetalSession

@Suite struct TagCommandTests {
    @Test func tagNoteDeleteRestore() throws {
        let s = trackedIrisSession()
        mustRun(s, "pipeline p = knn; fit p on iris target=variety; tag 1 stage=final owner=ana; note 1 \"scaled features help\"")
        var run = try #require(mustRun(s, "run 1").output as? RunOutput)
        #expect(run.detail.summary.tags == ["stage": "final", "owner": "ana"])
        #expect(run.detail.summary.note == "scaled features help")
        mustRun(s, "tag 1 owner=")
        run = try #require(mustRun(s, "run 1").output as? RunOutput)
        #expect(run.detail.summary.tags == ["stage": "final"])
        mustRun(s, "delete 1")
        #expect((mustRun(s, "runs").output as? RunsOutput)?.runs.isEmpty == true)
        #expect((mustRun(s, "runs deleted").output as? RunsOutput)?.runs.map(\.id) == [1])
        mustRun(s, "restore 1")
        #expect((mustRun(s, "runs").output as? RunsOutput)?.runs.map(\.id) == [1])
        #expect(s.execute("tag x a=b").error?.message == "\"x\" is not a run number")
    }
}
