import Foundation
import Testing
import PetalData
import PetalTracking
@testable import PetalSession

/// `set` and the bare `NAME=VALUE` line: session settings, first of all `tracking_uri=` (MLFLOW_TRACKING_URI for
/// one session).
@Suite struct SetCommandTests {
    @Test func trackingURISendsThisSessionsRunsLikeTheEnvironmentVariable() throws {
        let s = trackedIrisSession()
        #expect(s.tracker?.remote == nil)
        let url = "http://127.0.0.1:\(RemoteTrackingTests.closedPort())"
        // The line alone is the setting, as in the issue: tracking_uri=URL.
        let set = mustRun(s, "tracking_uri=\(url)")
        #expect(set.verb == "set")
        #expect(set.renderText(width: 100) == "runs of this session are also sent to MLflow at \(url) (and kept in .petal as always)")
        #expect(s.tracker?.remote?.server == url)
        // The same MLflowSync MLFLOW_TRACKING_URI would make, so a fit queues its run for that server.
        #expect(s.tracker?.remote?.server == Tracker.mlflowServer(environment: ["MLFLOW_TRACKING_URI": url])?.server)
        mustRun(s, "pipeline p = knn n_neighbors=3")
        mustRun(s, "fit p on iris target=variety")
        // The run is queued for that server and sent in the background; the server is down, so it waits.
        #expect(s.tracker?.sender?.waitIdle(until: Date() + 30) == true)
        #expect(try s.tracker?.store?.waitingRemoteCount(server: url) == 1)
        // set lists it; --json gives the value.
        let list = mustRun(s, "set")
        #expect(list.renderText(width: 100).contains("tracking_uri  \(url)"), "\(list.renderText(width: 100))")
        #expect(list.json().serialized().contains(#""tracking_uri": "\#(url)""#), "\(list.json().serialized())")
        // Setting it again says how many runs wait for that server.
        #expect(mustRun(s, "set tracking_uri=\(url)").renderText(width: 100).hasSuffix("; 1 run waits, `runs sync` sends it"))
        let off = mustRun(s, "set tracking_uri=off")
        #expect(off.renderText(width: 100).hasPrefix("runs are no longer sent"))
        #expect(s.tracker?.remote == nil)
        #expect(mustRun(s, "set").renderText(width: 100).contains("tracking_uri  off"))
        #expect(mustRun(s, "set").json().serialized().contains(#""tracking_uri": null"#))
        // Runs after that are not queued.
        mustRun(s, "fit p on iris target=variety")
        #expect(try s.tracker?.store?.waitingRemoteCount(server: url) == 1)
    }

    @Test func aPasswordInTheURIIsNeverShown() throws {
        let s = trackedIrisSession()
        let port = RemoteTrackingTests.closedPort()
        let e = s.execute("tracking_uri=https://student:hunter2@127.0.0.1:\(port)")
        #expect(e.ok)
        #expect(!e.input.contains("hunter2") && !e.renderText(width: 100).contains("hunter2") && !e.json().serialized().contains("hunter2"))
        #expect(s.tracker?.remote?.server == "https://student@127.0.0.1:\(port)")
        #expect(!mustRun(s, "set").renderText(width: 100).contains("hunter2"))
    }

    @Test func badValuesAndNamesAreRefusedClearly() {
        let s = trackedIrisSession()
        #expect(s.execute("tracking_uri=ftp://x").error?.message.contains("is not an http(s) MLflow tracking server") == true)
        #expect(s.execute("set tracking_uri=file:///tmp/mlruns").error?.hint?.contains("tracking_uri=http://localhost:5000") == true)
        #expect(s.execute("set colour=red").error?.message == "set has no option \"colour\"")
        #expect(s.execute("set tracking").error != nil)
        // A bare name=value that is not a setting is not a command.
        #expect(s.execute("colour=red").error?.message.contains("a command starts with a verb") == true)
        // Without a tracker (an embedding session), it says runs are not tracked.
        #expect(Session(width: 80).execute("tracking_uri=http://localhost:5000").error?.message == "this session does not track runs")
    }

    @Test func completionOffersTheSettings() {
        let s = trackedIrisSession()
        #expect(Completion.candidates(for: "track", in: s) == ["tracking_uri="])
        #expect(Completion.candidates(for: "set tr", in: s).contains("tracking_uri="))
        #expect(Completion.candidates(for: "set tracking_uri=o", in: s) == ["tracking_uri=off"])
    }

    @Test func runsSyncSetsTheSameSetting() throws {
        let s = trackedIrisSession()
        let url = "http://127.0.0.1:\(RemoteTrackingTests.closedPort())"
        _ = s.execute("runs sync tracking_uri=\(url)")
        #expect(s.tracker?.remote?.server == url)
        #expect(mustRun(s, "set").renderText(width: 100).contains(url))
    }
}
