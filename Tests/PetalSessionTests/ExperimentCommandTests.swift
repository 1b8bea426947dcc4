import Testing
@testable import PetalSession

@Suite struct ExperimentCommandTests {
    @Test func runsGoToTheCurrentExperiment() throws {
        let s = trackedIrisSession()
        mustRun(s, "pipeline p = knn; fit p on iris target=variety; experiment tuning; fit p on iris target=variety test=0.3")
        let tuning = try #require(mustRun(s, "runs").output as? RunsOutput)
        #expect(tuning.runs.map(\.id) == [2])
        let all = try #require(mustRun(s, "runs experiment=*").output as? RunsOutput)
        #expect(all.runs.count == 2)
        #expect(mustRun(s, "experiment").renderText(width: 80).contains("tuning         1  ← current"))
    }
}
