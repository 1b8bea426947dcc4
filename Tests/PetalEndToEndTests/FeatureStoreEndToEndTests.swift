import Foundation
import Testing

/// The feature store, jobs and prediction logging through the real binary, each test in its own project folder.
@Suite struct FeatureStoreEndToEndTests {
    static let key = "primary_key=sepal_length,sepal_width,petal_length,petal_width"

    @Test func pipelinesRunFromCronStyleCallsAndPredictionsAreLogged() throws {
        let project = Petal.freshFolder("fs-project")
        let env = ["PETAL_HOME": project.appendingPathComponent(".petal").path]
        let script = project.appendingPathComponent("train.petal")
        try """
            # the training pipeline; one job
            features iris_fg from iris \(Self.key) event_time=now
            feature_view iris_v = iris_fg label=variety
            pipeline p = standard_scaler | knn k=3
            fit p on iris_v target=variety
            """.write(to: script, atomically: true, encoding: .utf8)
        let define = try Petal.run(["exec", "job train every=1d run=train.petal register=iris@champion timeout=2m retries=1"], cwd: project, environment: env)
        #expect(define.status == 0, "\(define.stderr)")
        let first = try Petal.run(["jobs", "run-due"], cwd: project, environment: env)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("train: ok") && first.stdout.contains("iris@champion pointed nowhere, now → 1"))
        // Idempotent: cron calling again within the day runs nothing.
        let second = try Petal.run(["jobs", "run-due"], cwd: project, environment: env)
        #expect(second.stdout.contains("no job is due"))
        let list = try Petal.run(["jobs", "list", "--json"], cwd: project, environment: env)
        #expect(list.stdout.contains("\"last_status\": \"ok\"") && list.stdout.contains("\"name\": \"train\""))
        let runs = try Petal.run(["runs", "where", "kind = \"job\""], cwd: project, environment: env)
        #expect(runs.status == 0 && runs.stdout.contains("job"))
        // The job's fit recorded the view; the registry has a bundle to predict with, logging to a group.
        let fitRuns = try Petal.run(["runs", "where", "params.view = \"iris_v\"", "--json"], cwd: project, environment: env)
        #expect(fitRuns.stdout.contains("\"view_version\": \"1\""), "\(fitRuns.stdout)")
        let bundle = project.appendingPathComponent(".petal/registry/iris/v1").path
        let predicted = try Petal.run(["predict", bundle, Petal.root.appendingPathComponent("samples/iris.csv").path, "-o", project.appendingPathComponent("out.csv").path,
                                       "--log-to", "predictions"], cwd: project, environment: env)
        #expect(predicted.status == 0, "\(predicted.stderr)")
        #expect(predicted.stderr.contains("logged 150 predictions of iris/1 to feature group predictions v1"))
        let monitor = try Petal.run(["exec", "--json", "features outcomes from iris \(Self.key) event_time=now; monitor iris@champion on outcomes"],
                                    cwd: project, environment: env)
        #expect(monitor.status == 0, "\(monitor.stdout)\(monitor.stderr)")
        #expect(monitor.stdout.contains("\"periods\": [{") && monitor.stdout.contains("\"outcomes\": 149"))
    }

    @Test func aFailingJobIsRetriedAndANotebookJobRuns() throws {
        let project = Petal.freshFolder("fs-jobs")
        let env = ["PETAL_HOME": project.appendingPathComponent(".petal").path]
        try "describe no_such_data\n".write(to: project.appendingPathComponent("bad.petal"), atomically: true, encoding: .utf8)
        let md = "```petal\nfeatures iris_fg from iris \(Self.key) event_time=now\n```\n"
        try md.write(to: project.appendingPathComponent("nb.md"), atomically: true, encoding: .utf8)
        _ = try Petal.run(["exec", "job bad every=1h run=bad.petal retries=1; job nb every=1h run=nb.md"], cwd: project, environment: env)
        let r = try Petal.run(["jobs", "run-due"], cwd: project, environment: env)
        #expect(r.stdout.contains("bad: failed") && r.stdout.contains("after 2 attempts") && r.stdout.contains("no data set called"))
        #expect(r.stdout.contains("nb: ok"))
        // A job past its timeout is stopped, and the fit it was running is marked failed.
        try "pipeline f = random_forest trees=5000\nfit f on iris target=variety\n".write(to: project.appendingPathComponent("slow.petal"), atomically: true, encoding: .utf8)
        _ = try Petal.run(["exec", "job slow every=1h run=slow.petal timeout=1s"], cwd: project, environment: env)
        let slow = try Petal.run(["jobs", "run", "slow"], cwd: project, environment: env)
        #expect(slow.stdout.contains("slow: timed out") && slow.stdout.contains("stopped after 1 s"), "\(slow.stdout)\(slow.stderr)")
        let groups = try Petal.run(["exec", "features"], cwd: project, environment: env)
        #expect(groups.stdout.contains("iris_fg"))
        // Bad input to the store is an error, never a crash.
        let penguins = Petal.root.appendingPathComponent("samples/penguins.csv").path
        let refused = try Petal.run(["exec", "open \(penguins); features insert iris_fg from penguins"], cwd: project, environment: env)
        #expect(refused.status == 1 && refused.stderr.contains("does not fit feature group iris_fg v1"))
    }

    /// `petal serve --log-to`: every answered request's rows reach the group (queued, written by the writer thread and
    /// on stop), named by the registered version, so `monitor` joins them with outcomes; refused requests are not logged.
    @Test func servedPredictionsAreLoggedForMonitor() async throws {
        let project = Petal.freshFolder("fs-serve")
        let home = project.appendingPathComponent(".petal").path
        let env = ["PETAL_HOME": home]
        let trained = try Petal.run(["exec", "pipeline p = standard_scaler | knn k=3; fit p on iris target=variety; register p as iris; alias iris@champion 1"],
                                    cwd: project, environment: env)
        #expect(trained.status == 0, "\(trained.stderr)")
        let server = try ServeEndToEndTests.Server(bundle: "iris@champion", extra: ["--log-to", "predictions"], environment: env)
        let one = try await ServeEndToEndTests.post(server, #"{"dataframe_records": [{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}]}"#)
        #expect(one.status == 200, "\(one.body)")
        let two = try await ServeEndToEndTests.post(server, #"{"dataframe_split": {"columns": ["sepal_length","sepal_width","petal_length","petal_width"], "data": [[7.0,3.2,4.7,1.4],[6.3,3.3,6.0,2.5]]}}"#)
        #expect(two.status == 200, "\(two.body)")
        let refused = try await ServeEndToEndTests.post(server, #"{"dataframe_records": [{"sepal_length":"x"}]}"#)
        #expect(refused.status == 400)
        let (status, out) = server.stop()
        #expect(status == 0 && out.contains("logged 3 predictions to feature group predictions"), "\(out)")
        let monitor = try Petal.run(["exec", "--json", "features outcomes from iris \(Self.key) event_time=now; monitor iris@champion on outcomes"],
                                    cwd: project, environment: env)
        #expect(monitor.status == 0, "\(monitor.stdout)\(monitor.stderr)")
        #expect(monitor.stdout.contains("\"model\": \"iris/1\"") && monitor.stdout.contains("\"predictions\": 3") && monitor.stdout.contains("\"outcomes\": 3"),
                "\(monitor.stdout)")
    }
    /// `petal serve --log-to` with a store it cannot open fails at start, naming the store, instead of serving and
    /// failing every write later.
    @Test func servingWithAStoreThatCannotOpenFailsAtStart() throws {
        let project = Petal.freshFolder("fs-serve-bad")
        let bundle = project.appendingPathComponent("bundle").path
        try ServeEndToEndTests.export("knn", to: bundle)
        let env = ["PETAL_HOME": project.appendingPathComponent(".petal").path,
                   "PETAL_FEATURE_STORE": "postgresql://student@127.0.0.1:1/course"]
        let started = Date()
        let out = try Petal.run(["serve", bundle, "--port", "0", "--log-to", "predictions"], cwd: project, environment: env)
        #expect(out.status == 1, "\(out.stdout)\(out.stderr)")
        #expect(out.stderr.contains("127.0.0.1"), "\(out.stderr)")
        #expect(!out.stdout.contains("serving"), "\(out.stdout)")
        #expect(Date().timeIntervalSince(started) < 60)
    }
}
