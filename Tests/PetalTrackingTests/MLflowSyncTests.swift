import Foundation
import PetalTestSupport
import Testing
import PetalData
@testable import PetalTracking
#if canImport(Glibc)
import Glibc
#endif

/// Sending runs to an MLflow tracking server: a server that is down or never answers leaves runs queued within a
/// bounded time; a real `mlflow server` (from .build/venv-mlflow, skipped without it) receives params, metric
/// curves, tags and artifacts, read back with MLflow's own Python client.
@Suite(.serialized) struct MLflowSyncTests {
    /// A store with one finished run: params, a 3-step curve, a tag, a note and an artifact.
    func storeWithARun(_ clock: TrackingClock = .system) throws -> (TrackingStore, Int) {
        let store = try TrackingStore(folder: scratchFolder("mlflow"), clock: clock)
        let id = try store.startRun(start([("knn.n_neighbors", "3"), ("target", "variety")]), experiment: "class-\(UUID().uuidString.prefix(6))")
        try store.logMetrics([MetricPoint("accuracy", 0.95)] + (1...3).map { MetricPoint("loss", 1.0 / Double($0), step: $0) }, run: id)
        try store.setTags([("stage", "final")], run: id)
        try store.setNote("first try", run: id)
        _ = try store.addArtifact("model.json", contents: Data(#"{"model": 1}"#.utf8), run: id)
        try store.finishRun(id, status: .finished)
        return (store, id)
    }

    /// A listening socket that accepts connections (the kernel does) but never answers.
    final class Silent {
        let fd: Int32
        let port: Int
        init() {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.fd = fd
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            _ = listen(fd, 16)
            _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
            port = Int(UInt16(bigEndian: addr.sin_port))
        }
        deinit { close(fd) }
    }

    /// SIGKILL to `pid` and every process under it (mlflow's uvicorn and its workers), children first; all were
    /// started by this test. SIGTERM is not enough: uvicorn ignores it for a while.
    static func killTree(_ pid: Int32) {
        var children: [Int32] = []
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") {
            for entry in entries {
                guard let child = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                      let close = stat.lastIndex(of: ")") else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 1, Int32(fields[1]) == pid { children.append(child) }
            }
        }
        for child in children { killTree(child) }
        kill(pid, SIGKILL)
    }

    static func freePort() -> Int {
        let s = Silent()
        return s.port
    }

    @Test func aDownServerLeavesTheRunQueued() throws {
        let (store, id) = try storeWithARun()
        let sync = MLflowSync(client: MLflowClient(base: try #require(URL(string: "http://127.0.0.1:\(Self.freePort())")), timeout: 1))
        try store.queueRemote(run: id, server: sync.server)
        let started = Date()
        let report = sync.sendWaiting(store)
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(report.sent.isEmpty)
        #expect(report.waiting == 1)
        #expect(report.failure?.message.contains("did not answer") == true, "\(String(describing: report.failure))")
        #expect(try store.waitingRemote(server: sync.server).first?.attempts == 1)
    }

    @Test func aSilentServerCostsABoundedWait() throws {
        let (store, id) = try storeWithARun()
        let silent = Silent()
        let sync = MLflowSync(client: MLflowClient(base: try #require(URL(string: "http://127.0.0.1:\(silent.port)")), timeout: 1))
        try store.queueRemote(run: id, server: sync.server)
        let started = Date()
        let report = sync.sendWaiting(store)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(report.waiting == 1)
        #expect(report.failure != nil)
    }

    // MARK: - A real MLflow server

    static let venv = RepoPaths.url(".build/venv-mlflow/bin")
    static var mlflowAvailable: Bool { FileManager.default.isExecutableFile(atPath: venv.appendingPathComponent("mlflow").path) }

    @Test(.enabled(if: mlflowAvailable, "skipped: needs .build/venv-mlflow with mlflow (scripts/python-venv makes it when pip can install mlflow)"))
    func aRealServerReceivesEverything() throws {
        let folder = scratchFolder("mlflow-server")
        let port = Self.freePort()
        let server = Process()
        server.executableURL = Self.venv.appendingPathComponent("mlflow")
        server.arguments = ["server", "--host", "127.0.0.1", "--port", String(port), "--workers", "1",
                            "--backend-store-uri", "sqlite:///\(folder)/mlflow.db", "--artifacts-destination", "\(folder)/artifacts"]
        server.currentDirectoryURL = URL(fileURLWithPath: folder)
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try server.run()
        defer { Self.killTree(server.processIdentifier); server.waitUntilExit() }
        let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
        // A cold server on a busy machine can take several seconds for its first writes.
        let client = MLflowClient(base: base, timeout: 60)
        // Wait for the server: importing MLflow and creating its tables takes a minute or more on a busy machine.
        var up = false
        for _ in 0..<480 where !up && server.isRunning {
            up = ((try? client.request("GET", "health", allowFailure: true))?.0 ?? 0) == 200
            if !up { Thread.sleep(forTimeInterval: 0.5) }
        }
        try #require(up, "mlflow server did not start on port \(port) within 4 minutes (running: \(server.isRunning))")

        let (store, id) = try storeWithARun()
        let sync = MLflowSync(client: client)
        try store.queueRemote(run: id, server: sync.server)
        let report = sync.sendWaiting(store)
        #expect(report.failure == nil, "\(String(describing: report.failure))")
        let remote = try #require(report.sent.first?.remoteID)
        #expect(report.waiting == 0)
        #expect(try store.remoteID(run: id, server: sync.server) == remote)

        // MLflow's own client reads the run back.
        let script = """
            import json, mlflow, sys
            from mlflow.tracking import MlflowClient
            c = MlflowClient(tracking_uri=sys.argv[1])
            r = c.get_run(sys.argv[2])
            loss = [(m.step, m.value) for m in c.get_metric_history(sys.argv[2], "loss")]
            arts = [a.path for a in c.list_artifacts(sys.argv[2])]
            exp = c.get_experiment(r.info.experiment_id).name
            print(json.dumps({"params": r.data.params, "metrics": r.data.metrics, "tags": r.data.tags, "status": r.info.status,
                              "loss": loss, "artifacts": arts, "experiment": exp,
                              "model": open(c.download_artifacts(sys.argv[2], "model.json")).read()}))
            """
        let python = Process()
        python.executableURL = Self.venv.appendingPathComponent("python")
        python.arguments = ["-c", script, base.absoluteString, remote]
        let out = Pipe()
        python.standardOutput = out
        python.standardError = FileHandle.nullDevice
        try python.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        python.waitUntilExit()
        let read = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(String(decoding: data, as: UTF8.self))")
        let run = try store.run(id).summary
        #expect(read["experiment"] as? String == run.experiment)
        #expect(read["status"] as? String == "FINISHED")
        #expect((read["params"] as? [String: String]) == ["knn.n_neighbors": "3", "target": "variety"])
        #expect((read["metrics"] as? [String: Double])?["accuracy"] == 0.95)
        let loss = (read["loss"] as? [[Any]])?.compactMap { ($0.first as? Int).map { step in step } }
        #expect(loss == [1, 2, 3])
        let tags = read["tags"] as? [String: String] ?? [:]
        #expect(tags["stage"] == "final")
        #expect(tags["petal.data_fingerprint"] == "f")
        #expect(tags["petal.pipeline"] == "knn n_neighbors=3")
        #expect(tags["petal.version"] == "test")
        #expect(tags["mlflow.note.content"] == "first try")
        #expect(read["artifacts"] as? [String] == ["model.json"])
        #expect(read["model"] as? String == #"{"model": 1}"#)
    }
}
