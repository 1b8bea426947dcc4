import Testing
@testable import PetalSession

@Suite struct RegisterCommandTests {
    @Test func registeredModelsEvaluateAndPredict() throws {
        let s = trackedIrisSession()
        mustRun(s, "pipeline p = standard_scaler | knn k=3; fit p on iris target=variety; pipeline q = gaussian_nb; fit q on iris target=variety")
        #expect(mustRun(s, "register p as iris-clf").renderText(width: 80).hasPrefix("registered p (run 1) as iris-clf/1"))
        mustRun(s, "register run 2 as iris-clf; alias iris-clf@champion 2")
        let models = try #require(mustRun(s, "models").output as? ModelsOutput)
        #expect(models.models.first?.versions.map(\.run) == [1, 2])
        let byAlias = mustRun(s, "evaluate iris-clf@champion on iris").json().serialized()
        let direct = mustRun(s, "evaluate q on iris").json().serialized()
        #expect(byAlias.replacingOccurrences(of: "iris-clf@champion", with: "q") == direct)
        mustRun(s, "predict iris-clf/1 on iris as out")
        let predicted = try s.dataset("out").frame
        #expect(predicted.columnNames.contains("predicted"))
        #expect(s.execute("evaluate iris-clf/3 on iris").error?.message == "iris-clf has no version 3")
        #expect(s.execute("alias iris-clf@champion 5").error != nil)
        mustRun(s, "cv p on iris target=variety")
        #expect(s.execute("register run 3 as x").error?.message == "run 3 has no saved model")
    }
}
