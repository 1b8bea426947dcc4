import Foundation
import PetalTestSupport
import Testing

/// The session setting `tracking_uri=` through the real binary, against a real `mlflow server` on 127.0.0.1
/// (MLflowServer, skipped with a message without MLflow): runs fitted after `set tracking_uri=URL` (or the line
/// `tracking_uri=URL` alone, in the workbench's line reader) reach the server with the params, metrics and tags the
/// local store has, as MLflow's own Python client reads them; a tag or note given afterwards reaches it too.
@Suite(.serialized) struct MLflowEndToEndTests {
    /// The runs of experiment `name` in the local store at `home`, as `petal runs all --json` reports them.
    func localRuns(_ home: URL, experiment name: String) throws -> [[String: Any]] {
        let r = try Petal.run(["runs", "all", "experiment=\(name)", "--json"], environment: ["PETAL_HOME": home.path])
        let line = try #require(r.stdout.split(separator: "\n").first, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let runs = try #require((object["result"] as? [String: Any])?["runs"] as? [[String: Any]])
        return runs.sorted { ($0["id"] as? Int ?? 0) < ($1["id"] as? Int ?? 0) }
    }

    /// The runs of experiment `name` on the server, in the order of their Petal run ids.
    func remoteRuns(_ server: MLflowServer, experiment name: String) throws -> [[String: Any]] {
        func id(_ run: [String: Any]) -> Int? { Int((run["tags"] as? [String: String])?["petal.run_id"] ?? "") }
        let all = try server.runs(experiment: name)
        // A `runs/create` whose answer timed out after the server made the run used to leave an empty RUNNING run;
        // the next attempt now finds it by its `petal.attempt` token and deletes it (MLflowSyncTests).
        let orphans = all.filter { id($0) == nil }
        #expect(orphans.isEmpty, "\(orphans.count) runs without petal.run_id")
        return all.filter { id($0) != nil }.sorted { (id($0) ?? 0) < (id($1) ?? 0) }
    }

    /// Each local run and its copy on the server hold the same params, metrics and Petal tags.
    func expectSame(local: [[String: Any]], remote: [[String: Any]], version: String) {
        #expect(local.count == remote.count, "local \(local.count) runs, MLflow \(remote.count)")
        for (l, r) in zip(local, remote) {
            let id = l["id"] as? Int ?? -1
            let tags = r["tags"] as? [String: String] ?? [:]
            #expect(tags["petal.run_id"] == String(id))
            #expect(r["status"] as? String == "FINISHED")
            #expect(r["params"] as? [String: String] == l["params"] as? [String: String], "run \(id)")
            #expect(r["metrics"] as? [String: Double] == l["metrics"] as? [String: Double], "run \(id)")
            #expect(!(l["metrics"] as? [String: Double] ?? [:]).isEmpty)
            #expect(tags["petal.pipeline"] == l["steps"] as? String)
            #expect(tags["petal.data_fingerprint"] == l["fingerprint"] as? String)
            #expect(tags["petal.version"] == version)
            for (key, value) in l["tags"] as? [String: String] ?? [:] { #expect(tags[key] == value, "run \(id) tag \(key)") }
        }
    }

    /// A server that takes the connection and never answers: each fit returns without a word about MLflow (the
    /// sending is on its own thread), the runs are recorded in .petal, and the program's end says they wait.
    @Test func aSilentServerNeverHoldsUpAFitOrLosesARun() throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let home = Petal.freshFolder("mlflow-silent")
        let url = "http://127.0.0.1:\(listener.port)"
        let script = "open samples/iris.csv; pipeline p = knn n_neighbors=3; fit p on iris target=variety; fit p on iris target=variety seed=2"
        let r = try Petal.run(["exec", script], environment: ["PETAL_HOME": home.path, "MLFLOW_TRACKING_URI": url])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains("MLflow"), "\(r.stdout)")
        #expect(r.stderr.contains("warning: 2 runs wait for MLflow at \(url) ("), "\(r.stderr)")
        #expect(r.stderr.contains("`runs sync` sends them"), "\(r.stderr)")
        let runs = try Petal.run(["runs", "--json"], environment: ["PETAL_HOME": home.path, "MLFLOW_TRACKING_URI": ""])
        #expect(runs.stdout.components(separatedBy: "\"status\": \"finished\"").count - 1 == 2, "\(runs.stdout)")
    }

    @Test(.enabled(if: MLflowServer.unavailable == nil, "\(MLflowServer.unavailable ?? "")"))
    func setTrackingURISendsTheSessionsRuns() throws {
        let server = try MLflowServer.require()
        let home = Petal.freshFolder("mlflow-set")
        let experiment = "class-set-\(UUID().uuidString.prefix(6))"
        let version = try Petal.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let script = """
            set tracking_uri=\(server.url.absoluteString); experiment \(experiment); open samples/iris.csv
            pipeline p = standard_scaler | knn n_neighbors=3; fit p on iris target=variety
            pipeline t = decision_tree max_depth=2; fit t on iris target=variety seed=7
            tag 2 stage=final; note 1 "first try"; runs sync
            """
        let r = try Petal.run(["exec", script], environment: ["PETAL_HOME": home.path, "MLFLOW_TRACKING_URI": ""])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("runs of this session are also sent to MLflow at \(server.url.absoluteString)"), "\(r.stdout)")
        // The attempt after each fit has 2 s per request: a cold server on a busy machine can miss it, and the run
        // waits (never the fit); `runs sync`, patient, sends what waits. Either way nothing is left waiting.
        #expect(r.stdout.contains("to MLflow at \(server.url.absoluteString); 0 waiting"), "\(r.stdout)")
        let local = try localRuns(home, experiment: experiment)
        let remote = try remoteRuns(server, experiment: experiment)
        #expect(local.count == 2)
        expectSame(local: local, remote: remote, version: version)
        let tags = remote.map { $0["tags"] as? [String: String] ?? [:] }
        #expect(tags.last?["stage"] == "final", "\(tags)")
        #expect(tags.first?["mlflow.note.content"] == "first try", "\(tags)")
    }

    @Test(.enabled(if: MLflowServer.unavailable == nil, "\(MLflowServer.unavailable ?? "")"))
    func theSettingAloneInTheWorkbenchSendsRuns() throws {
        let server = try MLflowServer.require()
        let home = Petal.freshFolder("mlflow-repl")
        let experiment = "class-repl-\(UUID().uuidString.prefix(6))"
        let version = try Petal.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // A run before the setting is kept locally only; `runs sync` sends it too.
        let input = """
            experiment \(experiment)
            open samples/iris.csv
            pipeline p = logistic_regression
            fit p on iris target=variety
            tracking_uri=\(server.url.absoluteString)
            set
            fit p on iris target=variety seed=3
            runs sync
            """
        let r = try Petal.run(["repl"], input: input + "\n", environment: ["PETAL_HOME": home.path, "MLFLOW_TRACKING_URI": ""])
        #expect(r.stdout.contains("tracking_uri  \(server.url.absoluteString)"), "\(r.stdout)")
        // `runs sync` sends run 1 and, unless the background sender already has, run 2 (it stops the sender first).
        #expect(r.stdout.contains(" to MLflow at \(server.url.absoluteString); 0 waiting"), "\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains("error") && !r.stderr.contains("error"), "\(r.stdout)\(r.stderr)")
        let local = try localRuns(home, experiment: experiment)
        #expect(local.count == 2)
        // Both runs are there, the synced one too.
        expectSame(local: local, remote: try remoteRuns(server, experiment: experiment), version: version)
    }
}
