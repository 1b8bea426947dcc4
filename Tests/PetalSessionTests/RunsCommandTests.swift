import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct RunsCommandTests {
    @Test func fitCvAndSearchRecordRunsWithIDs() throws {
        let s = trackedIrisSession()
        let fit = mustRun(s, "pipeline p = standard_scaler | knn k=3; fit p on iris target=variety")
        #expect(fit.json().serialized().contains("\"run_id\": 1"))
        #expect(fit.renderText(width: 80).contains("run 1 recorded"))
        let cv = mustRun(s, "cv p on iris target=variety folds=3")
        #expect(cv.json().serialized().contains("\"run_id\": 2"))
        let search = mustRun(s, "search p on iris target=variety k=1,5")
        #expect(search.json().serialized().contains("\"run_id\": 3"))
        let runs = mustRun(s, "runs")
        guard let out = runs.output as? RunsOutput else { Issue.record("not a runs table"); return }
        #expect(out.runs.map(\.id) == [5, 4, 3, 2, 1])   // newest first; 4 and 5 are the search's trials
        #expect(out.runs.first { $0.id == 2 }?.metrics["fold_accuracy"]?.count == 3)
        #expect(out.runs.first { $0.id == 1 }?.params["knn.n_neighbors"] == "3")
        #expect(out.runs.first { $0.id == 4 }?.tags["parent_run"] == "3")
    }

    @Test func whereSortAndErrors() throws {
        let s = trackedIrisSession()
        mustRun(s, "pipeline p = standard_scaler | knn k=3; search p on iris target=variety k=1,3,5,7")
        let out = try #require(mustRun(s, "runs where kind = 'search-trial' and n_neighbors in (1, 7) sort=n_neighbors").output as? RunsOutput)
        #expect(out.runs.map { $0.params["knn.n_neighbors"] } == ["1", "7"])
        let sorted = try #require(mustRun(s, "runs where kind = \"search-trial\" sort=-n_neighbors limit=2").output as? RunsOutput)
        #expect(sorted.runs.map { $0.params["knn.n_neighbors"] } == ["7", "5", "3", "1"])
        #expect(sorted.renderText(width: 100).contains("… 2 more rows"))
        let bad = s.execute("runs where accuracy >> 0.9")
        #expect(bad.error?.message == "unexpected \">\" at column 22; expected a value (a number or quoted text)")
        #expect(s.execute("runs sort=nothing").error != nil)
    }

    @Test func jsonAndExport() throws {
        let s = trackedIrisSession()
        mustRun(s, "pipeline p = knn k=3; fit p on iris target=variety")
        let json = mustRun(s, "runs").json().serialized()
        #expect(json.contains("\"count\": 1") && json.contains("\"accuracy\": "))
        let path = NSTemporaryDirectory() + "petal-runs-\(getpid()).csv"
        mustRun(s, "runs export to \(path)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("id,experiment,kind,status,pipeline,steps,dataset,started"))
        #expect(text.contains("params.knn.n_neighbors") && text.contains("metrics.accuracy"))
        #expect(text.split(separator: "\n").count == 2)
    }

    @Test func untrackedSessionsSayHowToTrack() {
        let s = irisSession()
        #expect(s.execute("runs").error?.message == "this session does not track runs")
        let fit = s.executeScript("pipeline p = knn; fit p on iris target=variety").last
        #expect(fit?.json().serialized().contains("\"run_id\": null") == true)
    }
}

extension RunsCommandTests {
    @Test func aSearchRowShowsItsBestCombinationNotTheBasePipeline() throws {
        let s = trackedIrisSession()
        mustRun(s, "pipeline p = standard_scaler | knn k=3; fit p on iris target=variety")
        let search = try #require(mustRun(s, "search p on iris target=variety k=1,25,60").output as? SearchOutput)
        let bestK = try #require(search.rows.first?.parameters.first?.1)
        let parentID = try #require(search.runID)
        let out = try #require(mustRun(s, "runs").output as? RunsOutput)
        let parent = try #require(out.runs.first { $0.id == parentID })
        // The trial with the best score, named by the parent.
        let child = try #require(out.best[parentID]?.run)
        #expect(child.tags["parent_run"] == String(parentID) && child.params["knn.n_neighbors"] == bestK)
        #expect(child.metrics["accuracy"]?.last == parent.metrics["accuracy"]?.last)
        #expect(out.param("knn.n_neighbors", of: parent) == bestK, "the best's k, not the base pipeline's 3")
        let label = "best: k=\(bestK) (run \(child.id))"
        #expect(out.bestLabel(parent) == label)
        let text = out.renderText(width: 80)
        let row = try #require(text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(parentID) ") })
        #expect(row.contains("search") && row.split(separator: " ").contains(Substring(bestK)), "the best's k on the row:\n\(text)")
        #expect(!row.split(separator: " ").contains("3"), "not the base pipeline's k:\n\(text)")
        #expect(text.contains("run \(parentID) (search) \(label), on its row") && !text.contains("…"), "\(text)")
        // The fit's row keeps its own params; the JSON names the best run in the parent's tags.
        #expect(out.param("knn.n_neighbors", of: try #require(out.runs.first { $0.id == 1 })) == "3")
        #expect(mustRun(s, "runs").json().serialized().contains("\"best_run\": \"\(child.id)\""))
    }
}
