import Testing
@testable import PetalTracking

@Suite struct RunFilterTests {
    let keys = KnownKeys(params: ["knn.n_neighbors", "seed"], metrics: ["accuracy", "fold_accuracy"], tags: ["stage"])

    @Test func precedenceIsNotThenAndThenOr() throws {
        let f = try RunFilterParser.parse("accuracy > 0.9 or not status = failed and tags.stage = 'final'", keys: keys)
        #expect(f == .or(.compare(.metric("accuracy", aggregate: "last"), .greater, .number(0.9)),
                         .and(.not(.compare(.attribute("status"), .equal, .text("failed"))),
                              .compare(.tag("stage"), .equal, .text("final")))))
    }

    @Test func parenthesesInLikeAndNull() throws {
        let f = try RunFilterParser.parse("(n_neighbors IN (3, 5) OR pipeline NOT LIKE \"%forest%\") AND metrics.fold_accuracy.min >= 0.8 AND note IS NOT NULL", keys: keys)
        #expect(f == .and(.and(.or(.isIn([.number(3), .number(5)], .param("knn.n_neighbors"), negated: false),
                                   .like(.attribute("pipeline"), "%forest%", negated: true)),
                               .compare(.metric("fold_accuracy", aggregate: "min"), .greaterOrEqual, .number(0.8))),
                          .isNull(.attribute("note"), negated: true)))
    }

    @Test func errorsPointAtTheBadToken() {
        func column(_ text: String) -> Int? {
            do { _ = try RunFilterParser.parse(text, keys: keys); return nil } catch { return error.column }
        }
        #expect(column("accuracy >> 0.9") == 11)
        #expect(column("accuracy > 0.9 and") == 19)
        #expect(column("(accuracy > 0.9") == 16)
        #expect(column("bogus = 1") == 1)
        #expect(column("accuracy > 'open") == 12)
        #expect(column("accuracy in 3") == 13)
        #expect(column("accuracy > 1 ; drop") == 14)
    }
}
