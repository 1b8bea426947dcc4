import Foundation
import Testing
import PetalData
import PetalTracking
import PetalTestSupport
@testable import PetalSession
#if canImport(Glibc)
import Glibc
#endif

/// A session whose runs also go to an MLflow server that is down: fits succeed at once, each says how many runs
/// wait, and `runs sync` tries again and says the same. (The real server is tested in PetalTrackingTests.)
@Suite struct RemoteTrackingTests {
    /// A port on 127.0.0.1 with nothing listening (one that was free a moment ago).
    static func closedPort() -> Int { MLflowServer.freePort() }

    @Test func aDownServerNeverFailsAFitAndRunsWait() throws {
        let s = trackedIrisSession()
        let url = "http://127.0.0.1:\(Self.closedPort())"
        s.tracker?.remote = try Tracker.mlflowServer(url)
        mustRun(s, "pipeline p = knn n_neighbors=3")
        let started = Date()
        let first = mustRun(s, "fit p on iris target=variety")
        let second = mustRun(s, "fit p on iris target=variety")
        #expect(Date().timeIntervalSince(started) < 10)
        let lines = [first, second].map { $0.output?.warnings.map(\.description) ?? [] }
        #expect(lines[0].contains { $0.hasPrefix("1 run waits for MLflow at \(url) (MLflow at \(url) did not answer") }, "\(lines[0])")
        #expect(lines[1].contains { $0.hasPrefix("2 runs wait for MLflow at \(url);") && $0.hasSuffix("`runs sync` sends them") }, "\(lines[1])")
        // Both runs are recorded locally as usual.
        #expect(try s.tracker?.store?.runs().map(\.status) == [.finished, .finished])
        let sync = mustRun(s, "runs sync")
        #expect(sync.renderText(width: 100).hasPrefix("sent 0 runs to MLflow at \(url); stopped: MLflow at \(url) did not answer"))
        #expect(sync.renderText(width: 100).hasSuffix("; 2 waiting"))
        let off = mustRun(s, "runs sync tracking_uri=off")
        #expect(off.renderText(width: 100).hasPrefix("runs are no longer sent"))
        #expect(s.tracker?.remote == nil)
        #expect(s.execute("runs sync").error?.message == "no MLflow tracking server is set")
        #expect(s.execute("runs sync tracking_uri=ftp://x").error?.message.contains("is not an http(s) MLflow tracking server") == true)
    }

    @Test func theEnvironmentNamesTheServer() {
        #expect(Tracker.mlflowServer(environment: ["MLFLOW_TRACKING_URI": "http://mlflow.example:5000"])?.server == "http://mlflow.example:5000")
        #expect(Tracker.mlflowServer(environment: ["MLFLOW_TRACKING_URI": "https://u:secret@mlflow.example"])?.server == "https://u@mlflow.example")
        #expect(Tracker.mlflowServer(environment: ["MLFLOW_TRACKING_URI": "file:///tmp/mlruns"]) == nil)
        #expect(Tracker.mlflowServer(environment: [:]) == nil)
    }
}
