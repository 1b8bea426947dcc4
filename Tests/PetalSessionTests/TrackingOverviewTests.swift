import Foundation
import Testing
@testable import PetalSession
import PetalTracking

/// What the workbench's sidebar reads from the experiment log goes through the session as plain values, and
/// only the runs it lists are read.
@Suite struct TrackingOverviewTests {
    @Test func recentRunsAreTheNewestFirstAndOnlyAsManyAsAsked() throws {
        let s = trackedIrisSession()
        mustRun(s, "pipeline p = standard_scaler | knn k=3; pipeline q = standard_scaler | linear_regression")
        mustRun(s, "fit p on iris target=variety; fit p on iris target=variety seed=2; fit q on iris target=petal_width")
        mustRun(s, "register p as flowers; alias flowers@prod 1")
        let recent = try s.recentRuns(limit: 2)
        #expect(recent.map(\.id) == [3, 2])
        #expect(recent.map(\.label) == ["q", "p"])
        #expect(recent.map(\.metric) == ["r2", "accuracy"])
        #expect(recent.allSatisfy { $0.value != nil && $0.status == "finished" })
        #expect(try s.recentRuns(limit: 10).map(\.id) == [3, 2, 1])
        #expect(try s.recentRuns(limit: 0).isEmpty)
        #expect(try s.registeredModels() == [RegisteredModelLine(name: "flowers", pointer: "@prod")])
        // The sidebar lists the current experiment's runs: none yet in a new one.
        mustRun(s, "experiment other; pipeline r = knn; fit r on iris target=variety")
        #expect(try s.recentRuns(limit: 6).map(\.label) == ["r"])
        // The default experiment has the first three runs; `other` is current.
        let experiments = try s.experiments()
        #expect(experiments.first { $0.name == "default" }?.runs == 3)
        #expect(experiments.first { $0.current }?.name == "other")
        #expect(s.trackingUnavailable == nil)
        #expect(Session().trackingUnavailable == "no tracking here")
        #expect(try Session().recentRuns(limit: 5).isEmpty)
    }

    /// The store's `latest:` reads the newest runs with their params and metrics, oldest first as every listing.
    @Test func theStoreReadsOnlyTheLatestRuns() throws {
        let s = trackedIrisSession()
        mustRun(s, "pipeline p = standard_scaler | knn k=3; fit p on iris target=variety; fit p on iris target=variety seed=7")
        let store = try #require(s.tracker?.store)
        let all = try store.runs()
        let latest = try store.runs(latest: 1)
        #expect(latest.map(\.id) == [2])
        #expect(latest.first?.params["seed"] == "7")
        #expect(latest.first?.metrics["accuracy"] != nil)
        #expect(try store.runs(latest: 5).map(\.id) == all.map(\.id))
    }
}
