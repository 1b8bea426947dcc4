import Testing
import PetalData
@testable import PetalML

/// Histogram boosting's scores for many rows (trees packed, four rows at a time) equal the scores of each row on its
/// own (the trees' arrays walked), to the last bit, missing values going the side each node learned; and the
/// per-round curve ends at the same accuracy.
@Suite struct HistPackedWalkTests {
    @Test func packedAndPlainWalksAgree() throws {
        for classes in [2, 3] {
            let (x, labels, _) = TreeBuffersTests.data(3_000, seed: 11, missing: true)
            let y = labels.map { $0 % classes }
            let schema = FeatureSchema(inputs: (0..<x.columns).map { .number("x\($0)") }, target: "y", classes: (0..<classes).map(String.init))
            let pipeline = try PipelineParityTests.pipeline("hist_gradient_boosting max_iter=20")
            let model = try pipeline.fit(x, labels: y, schema: schema)
            let hist = try #require(model.estimator as? HistGradientBoosting.Fitted)
            #expect(x.values.contains { $0.isNaN })
            #expect(x.rows >= HistGradientBoosting.Fitted.packedRows)
            let many = hist.scores(x)
            for r in 0..<x.rows {
                let one = hist.scores(x.rows([r]))
                for k in 0..<many.columns {
                    #expect(one[0, k].bitPattern == many[r, k].bitPattern, "row \(r) score \(k)")
                }
            }
            let curve = try #require(hist.stagedScores(x, target: .classes(y)))
            let correct = (0..<x.rows).filter { r in (classes == 2 ? (many[r, 0] > 0 ? 1 : 0) : many.argmax(row: r)) == y[r] }.count
            #expect(curve.values.last == Double(correct) / Double(x.rows))
        }
    }
}
