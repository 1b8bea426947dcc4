import Testing
@testable import PetalSession
import PetalData

@Suite struct CompareCommandTests {
    @Test func marksDifferingParamsAndDrawsCurves() throws {
        let s = trackedIrisSession()
        mustRun(s, "pipeline a = knn k=3; pipeline b = knn k=7; cv a on iris target=variety; cv b on iris target=variety")
        let out = try #require(mustRun(s, "compare 1 2").output as? CompareOutput)
        #expect(out.differingParams == ["knn.n_neighbors"])
        let text = out.renderText(width: 100)
        #expect(text.contains("* knn.n_neighbors"))
        #expect(text.contains("  knn.weights"))
        #expect(text.contains(where: { "▁▂▃▄▅▆▇█".contains($0) }))
        #expect(s.execute("compare 1").error != nil)
        #expect(s.execute("compare 1 9").error?.message == "there is no run 9")
    }

    @Test func sparklinesFallBackToASCII() {
        #expect(Sparkline.render([0, 0.5, 1, nil], unicode: false) == "_=# ")
        #expect(Sparkline.render([0, 1], unicode: true) == "▁█")
        #expect(Sparkline.render(Array(repeating: 1, count: 100), width: 10, unicode: true).count == 10)
    }
}
