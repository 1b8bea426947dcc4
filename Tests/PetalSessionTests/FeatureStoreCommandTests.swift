import Foundation
import Testing
import PetalData
import PetalFeatures
@testable import PetalSession
import PetalTracking

/// The feature store through the command language: groups, rules, describe from stored statistics, views, fit on a
/// view, the retraining gate, logged predictions and monitor.
@Suite struct FeatureStoreCommandTests {
    static let irisKey = "primary_key=sepal_length,sepal_width,petal_length,petal_width"

    /// A CSV file with `text` in a scratch folder.
    static func csv(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "petal-fs-\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func groupsCheckEveryInsertAndDescribeReadsStoredStatistics() throws {
        let s = trackedIrisSession()
        let made = mustRun(s, "features iris_fg from iris \(Self.irisKey) event_time=now")
        // Iris has one duplicated flower: the same key twice in one batch is one row.
        #expect(made.renderText(width: 100).contains("made feature group iris_fg v1"))
        #expect(made.renderText(width: 100).contains("149 new keys, 1 replaced"))
        let describe = mustRun(s, "describe iris_fg").renderText(width: 100)
        #expect(describe.contains("count") && describe.contains("149"))
        mustRun(s, "expect iris_fg sepal_length between 0 30; expect iris_fg variety in setosa,versicolor,virginica")
        let bad = try Self.csv("sepal_length,sepal_width,petal_length,petal_width,variety\n5,3,1,0.2,setosa\n45,3,1,0.2,setosa\n6,3,4,1,tulip\n")
        mustRun(s, "open \(bad) as bad")
        let rejected = s.execute("features insert iris_fg from bad")
        let message = try #require(rejected.error?.message)
        #expect(message.contains("rejected the whole insert into iris_fg v1: 2 rows of bad"))
        #expect(message.contains("row 1: sepal_length = 45, expected between 0 30"))
        #expect(message.contains("row 2: variety = tulip, expected in setosa,versicolor,virginica"))
        #expect(mustRun(s, "features iris_fg").renderText(width: 100).contains("149 keys, 149 with history"))
        // A new column is named; version=new makes version 2.
        let wide = try Self.csv("sepal_length,sepal_width,petal_length,petal_width,variety,colour\n5,3,1,0.2,setosa,white\n")
        mustRun(s, "open \(wide) as wide")
        #expect(s.execute("features insert iris_fg from wide").error?.message.contains("new column colour (text)") == true)
        #expect(mustRun(s, "features insert iris_fg from wide version=new").renderText(width: 100).contains("made feature group iris_fg v2"))
        #expect(mustRun(s, "features").renderText(width: 100).contains("iris_fg"))
    }

    @Test func lookingANameUpCreatesNoStore() throws {
        let s = trackedIrisSession()
        let folder = try #require(s.tracker?.folder)
        #expect(s.execute("describe nothing").error?.message == "no data set called \"nothing\"")
        #expect(s.execute("fit p on nothing target=x").error != nil)
        #expect(!FileManager.default.fileExists(atPath: folder + "/features.db"))
        // A view name that is also a data set: the data set wins, and as_of= says it only applies to views.
        mustRun(s, "features iris_fg from iris \(Self.irisKey) event_time=now; feature_view iris = iris_fg label=variety; pipeline p = knn k=3")
        #expect(s.execute("fit p on iris target=variety as_of=2026-01-01").error?.message.contains("iris is a data set") == true)
        #expect(s.execute("training_data iris as t as_of=someday").error?.message.contains("as_of=someday is not a date") == true)
    }

    @Test func fitOnAViewRecordsItAndPromoteGatesTheAlias() throws {
        let s = trackedIrisSession()
        mustRun(s, "features iris_fg from iris \(Self.irisKey) event_time=now")
        mustRun(s, "feature_view iris_v = iris_fg label=variety")
        let data = mustRun(s, "training_data iris_v as train").renderText(width: 100)
        #expect(data.contains("train: 149 rows × 5 columns from feature view iris_v v1"))
        mustRun(s, "pipeline p = standard_scaler | knn k=3; fit p on iris_v target=variety")
        let store = try #require(s.tracker?.store)
        let run = try #require(try store.runs(visibility: .all).last)
        #expect(run.params["view"] == "iris_v" && run.params["view_version"] == "1" && run.params["as_of"] != nil)
        let first = mustRun(s, "promote p to iris@champion")
        #expect(first.renderText(width: 100).contains("iris@champion pointed nowhere, now → 1"))
        // A worse model (always the same class) does not move the alias, and says so.
        mustRun(s, "pipeline bad = knn k=100; fit bad on iris_v target=variety")
        let second = mustRun(s, "promote bad to iris@champion")
        #expect(second.renderText(width: 100).contains("iris@champion stays at 1"))
        #expect(try store.resolve("iris@champion").version == 1)
        #expect(try store.resolve("iris@latest").version == 2)
    }

    @Test func predictionsAreLoggedAndMonitoredAgainstOutcomes() throws {
        let s = trackedIrisSession()
        mustRun(s, "features iris_fg from iris \(Self.irisKey) event_time=now; feature_view iris_v = iris_fg label=variety")
        mustRun(s, "pipeline p = standard_scaler | knn k=3; fit p on iris_v target=variety; promote p to iris@champion")
        mustRun(s, "predict iris@champion on iris log_to=predictions")
        let log = try s.requireFeatureStore().group("predictions")
        #expect(log.columns.map(\.name) == ["sepal_length", "sepal_width", "petal_length", "petal_width", "prediction", "model", "predicted_at"])
        mustRun(s, "features outcomes from iris \(Self.irisKey) event_time=now")
        let monitor = mustRun(s, "monitor iris@champion on outcomes log=predictions")
        let text = monitor.renderText(width: 100)
        #expect(text.contains("monitor iris@champion (iris/1) per day"))
        #expect(text.contains("2025-01-01") && text.contains("149") && text.contains("stable"))
        let json = monitor.json().serialized()
        #expect(json.contains("\"accuracy\": 0.9") && json.contains("\"psi\""))
        #expect(s.execute("monitor iris@champion on iris_fg log=nope").error?.message.contains("no feature group called \"nope\"") == true)
    }
}
