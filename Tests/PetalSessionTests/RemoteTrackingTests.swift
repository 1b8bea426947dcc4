import Foundation
import Testing
import PetalData
import PetalTracking
import PetalTestSupport
@testable import PetalSession
#if canImport(Glibc)
import Glibc
#endif

/// A session whose runs also go to an MLflow server that is down: fits return at once (the runs are sent on the
/// sender's thread), the next command says how many runs wait and why, and `runs sync` tries again and says the
/// same. (The real server is tested in PetalTrackingTests and the end-to-end tests.)
@Suite struct RemoteTrackingTests {
    /// A port on 127.0.0.1 with nothing listening (one that was free a moment ago).
    static func closedPort() -> Int { MLflowServer.freePort() }

    @Test func aDownServerNeverFailsAFitAndRunsWait() throws {
        let s = trackedIrisSession()
        let url = "http://127.0.0.1:\(Self.closedPort())"
        s.tracker?.remote = try Tracker.mlflowServer(url)
        mustRun(s, "pipeline p = knn n_neighbors=3")
        let first = mustRun(s, "fit p on iris target=variety")
        // The fit does not wait for the attempt: it says nothing about MLflow.
        #expect(first.output?.warnings.contains { $0.description.contains("MLflow") } == false, "\(first.output?.warnings ?? [])")
        #expect(s.tracker?.sender?.waitIdle(until: Date() + 30) == true)
        let second = mustRun(s, "fit p on iris target=variety")
        let third = mustRun(s, "fit p on iris target=variety")
        let lines = [second, third].map { $0.output?.warnings.map(\.description) ?? [] }
        // The next run says why the first is still waiting; the one after only how many wait (no new attempt).
        #expect(lines[0].contains { $0.hasPrefix("2 runs wait for MLflow at \(url) (MLflow at \(url) did not answer") }, "\(lines[0])")
        #expect(lines[1].contains { $0.hasPrefix("3 runs wait for MLflow at \(url);") && $0.hasSuffix("`runs sync` sends them") }, "\(lines[1])")
        // The runs are recorded locally as usual.
        #expect(try s.tracker?.store?.runs().map(\.status) == [.finished, .finished, .finished])
        let sync = mustRun(s, "runs sync")
        #expect(sync.renderText(width: 100).hasPrefix("sent 0 runs to MLflow at \(url); stopped: MLflow at \(url) did not answer"))
        #expect(sync.renderText(width: 100).hasSuffix("; 3 waiting"))
        // A program's end says what is left.
        #expect(s.tracker?.finishSending(budget: 30)?.description.hasPrefix("3 runs wait for MLflow at \(url)") == true)
        let off = mustRun(s, "runs sync tracking_uri=off")
        #expect(off.renderText(width: 100).hasPrefix("runs are no longer sent"))
        #expect(s.tracker?.remote == nil)
        #expect(s.execute("runs sync").error?.message == "no MLflow tracking server is set")
        #expect(s.execute("runs sync tracking_uri=ftp://x").error?.message.contains("is not an http(s) MLflow tracking server") == true)
    }

    /// A server that accepts the connection and never answers: the fit returns at once all the same; the program's
    /// end waits only its budget and says the runs wait.
    @Test func aSilentServerNeverHoldsUpAFit() throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let s = trackedIrisSession()
        let url = "http://127.0.0.1:\(listener.port)"
        s.tracker?.remote = try Tracker.mlflowServer(url)
        mustRun(s, "pipeline p = knn n_neighbors=3")
        let fit = mustRun(s, "fit p on iris target=variety")
        #expect(fit.output?.warnings.contains { $0.description.contains("MLflow") } == false)
        // The sender is still waiting on the server (2 s per request) when the fit has returned.
        #expect(s.tracker?.sender?.waitIdle(until: Date()) == false)
        let line = s.tracker?.finishSending(budget: 0.2)?.description ?? ""
        #expect(line.hasPrefix("1 run waits for MLflow at \(url) (still sending when Petal ended)"), "\(line)")
    }

    /// A real server (skipped with a message without MLflow): the run reaches it from the background sender, with
    /// no `runs sync`.
    @Test(.enabled(if: MLflowServer.unavailable == nil, "\(MLflowServer.unavailable ?? "")"))
    func theSenderDeliversWithoutRunsSync() throws {
        let server = try MLflowServer.require()
        let s = trackedIrisSession()
        s.tracker?.remote = try Tracker.mlflowServer(server.url.absoluteString)
        mustRun(s, "experiment sender-\(UUID().uuidString.prefix(6))")
        mustRun(s, "pipeline p = knn n_neighbors=3")
        let fit = mustRun(s, "fit p on iris target=variety")
        #expect(fit.output?.warnings.contains { $0.description.contains("MLflow") } == false)
        #expect(s.tracker?.sender?.waitIdle(until: Date() + 120) == true)
        let id = try #require(try s.tracker?.store?.runs().first?.id)
        #expect(try s.tracker?.store?.remoteID(run: id, server: server.url.absoluteString) != nil)
        #expect(s.tracker?.finishSending(budget: 1) == nil)
    }

    @Test func theEnvironmentNamesTheServer() {
        #expect(Tracker.mlflowServer(environment: ["MLFLOW_TRACKING_URI": "http://mlflow.example:5000"])?.server == "http://mlflow.example:5000")
        #expect(Tracker.mlflowServer(environment: ["MLFLOW_TRACKING_URI": "https://u:secret@mlflow.example"])?.server == "https://u@mlflow.example")
        #expect(Tracker.mlflowServer(environment: ["MLFLOW_TRACKING_URI": "file:///tmp/mlruns"]) == nil)
        #expect(Tracker.mlflowServer(environment: [:]) == nil)
    }
}
