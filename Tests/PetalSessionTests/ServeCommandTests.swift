import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import PetalSession
import PetalData
import PetalServe
import PetalFeatures

/// `serve` in a session: the server runs in the background on a free loopback port, the session goes on,
/// and `serve stop` ends it.
@Suite(.serialized) struct ServeCommandTests {
    /// Runs session commands on a plain thread: `serve` blocks its caller until the port is bound, and a
    /// cooperative thread is better left to the other tests.
    func run(_ s: Session, _ line: String) async -> Execution {
        await withCheckedContinuation { c in
            Thread { c.resume(returning: s.execute(line)) }.start()
        }
    }

    func post(_ url: String, _ body: String) async throws -> (Int, String) {
        var request = URLRequest(url: try #require(URL(string: url + "/invocations")))
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func servesAFittedPipelineAndABundleInTheBackground() async throws {
        let s = irisSession()
        s.serverLauncher = ModelServer.Launcher()
        _ = await run(s, "pipeline p = standard_scaler | logistic_regression")
        #expect(await run(s, "fit p on iris target=variety").ok)
        let started = await run(s, "serve p port=0")
        #expect(started.ok, "\(started.renderText(width: 80))")
        let text = started.renderText(width: 80)
        #expect(text.hasPrefix("serving p (classification: setosa, versicolor, virginica) at http://127.0.0.1:"))
        #expect(text.contains("curl -s http://127.0.0.1:"))
        let url = try #require(s.server?.url)
        let (status, body) = try await post(url, #"{"inputs": [[5.1, 3.5, 1.4, 0.2]]}"#)
        #expect(status == 200)
        #expect(body.contains(#""label":["setosa"]"#))
        // The session stays usable while the server runs.
        #expect(await run(s, "describe iris").ok)
        let status2 = await run(s, "serve")
        #expect(status2.renderText(width: 80).contains("1 prediction requests so far"))
        #expect(await run(s, "serve p port=0").renderText(width: 80).contains("already running"))
        let json = await run(s, "serve").json().serialized()
        #expect(json.contains("\"state\": \"running\""))
        let stopped = await run(s, "serve stop")
        #expect(stopped.renderText(width: 80) == "stopped the server at \(url) (1 prediction request answered)")
        #expect(s.server == nil)
        await #expect(throws: (any Error).self) { _ = try await post(url, "{}") }

        // A bundle folder, then stop again.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petal-serve-cmd-\(UUID().uuidString)").path
        #expect(await run(s, "export p to \(dir)").ok)
        let bundle = await run(s, "serve \(dir) port=0 token=abc")
        #expect(bundle.ok, "\(bundle.renderText(width: 80))")
        let bundleURL = try #require(s.server?.url)
        #expect(try await post(bundleURL, #"{"inputs": [[5.1, 3.5, 1.4, 0.2]]}"#).0 == 401)
        #expect(await run(s, "serve stop").ok)
    }

    @Test func errorsSayWhatToDo() {
        let s = irisSession()
        #expect(s.execute("serve").renderText(width: 80).contains("no server is running"))
        #expect(s.execute("serve stop").renderText(width: 80).contains("no server is running"))
        let missing = s.execute("serve no/such/folder")
        #expect(missing.renderText(width: 80).contains("no bundle folder no/such/folder: it does not exist"))
        #expect(s.execute("serve nosuch").renderText(width: 80).contains("neither a bundle folder nor a fitted pipeline"))
        _ = s.execute("pipeline q = knn")
        #expect(s.execute("serve q").renderText(width: 80).contains("fit"))
        #expect(s.execute("serve q port=99999").renderText(width: 80).contains("port"))
        #expect(s.execute("serve q colour=red").renderText(width: 80).contains("colour"))
        // A half-written bundle: a folder without petal.json.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petal-serve-half-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        #expect(s.execute("serve \(dir.path) port=0").renderText(width: 80).contains("no petal.json"))
        #expect(s.server == nil)
    }

    /// The session itself cannot listen: without a launcher (an embedder that does not link PetalServe), `serve`
    /// says so after checking its arguments, and nothing is running.
    @Test func withoutALauncherServeSaysItCannot() {
        let s = irisSession()
        _ = s.execute("pipeline p = knn")
        #expect(s.execute("fit p on iris target=variety").ok)
        let out = s.execute("serve p port=0")
        #expect(!out.ok)
        #expect(out.renderText(width: 80).contains("cannot serve over HTTP"))
        #expect(out.renderText(width: 80).contains("petal serve p"))
        #expect(s.server == nil)
    }
    /// `serve P log_to=GROUP`: every answered request's rows go to the project's feature store; `serve` says where,
    /// `serve stop` writes what is queued and says how many, and `monitor`'s source (the group) holds them.
    @Test func logsPredictionsToAFeatureGroup() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("petal-serve-log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = Session(width: 80, trackingFolder: folder.path)
        s.serverLauncher = ModelServer.Launcher()
        _ = await run(s, "open \(Repo.path("samples/iris.csv")) as iris")
        _ = await run(s, "pipeline p = standard_scaler | logistic_regression")
        #expect(await run(s, "fit p on iris target=variety").ok)
        let started = await run(s, "serve p port=0 log_to=served key=sepal_length,sepal_width,petal_length,petal_width")
        #expect(started.ok, "\(started.renderText(width: 80))")
        #expect(started.renderText(width: 80).contains("predictions go to feature group served"))
        let url = try #require(s.server?.url)
        #expect(try await post(url, #"{"inputs": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}"#).0 == 200)
        #expect(try await post(url, #"{"inputs": [[5.9, 3.0, 4.2, 1.5]]}"#).0 == 200)
        let stopped = await run(s, "serve stop").renderText(width: 80)
        #expect(stopped.contains("(2 prediction requests answered); logged 3 predictions to feature group served"), "\(stopped)")
        #expect(s.serverLog == nil)

        let store = FeatureStore(storage: try SQLiteFeatureStorage(folder: folder.path))
        let group = try store.group("served")
        #expect(group.primaryKey == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        let rows = try store.currentRows(of: group, asOf: nil).frame
        #expect(rows.rowCount == 3)
        #expect(Set((0..<rows.rowCount).map { rows.column(named: "prediction")?[$0].plainText ?? "" }) == ["setosa", "virginica", "versicolor"])
        #expect(Set((0..<rows.rowCount).map { rows.column(named: "model")?[$0].plainText ?? "" }) == ["p"])
    }

    /// Without the project's store there is nowhere to log: `serve` refuses before it starts a server.
    @Test func logToWithoutAStoreIsRefusedBeforeServing() {
        let s = irisSession()
        s.serverLauncher = ModelServer.Launcher()
        _ = s.execute("pipeline p = knn")
        #expect(s.execute("fit p on iris target=variety").ok)
        let out = s.execute("serve p port=0 log_to=served")
        #expect(!out.ok)
        #expect(out.renderText(width: 80).contains("log_to= needs the project's feature store"))
        #expect(s.server == nil)
    }
}
