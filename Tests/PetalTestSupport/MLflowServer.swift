import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A real `mlflow server` for the tests (from `.build/venv-mlflow`, which scripts/python-venv makes): a SQLite
/// backend and an artifact folder in a temporary folder, a free port of 127.0.0.1, one per test process (started
/// by the first test that needs it, killed with its workers when the process exits), and MLflow's own Python
/// client to read runs back. When MLflow is not installed, `unavailable` says so and the tests skip with that message.
/// Shared by PetalTrackingTests (MLflowSync against the server) and PetalEndToEndTests (`set tracking_uri=` in petal).
public final class MLflowServer: @unchecked Sendable {
    public static let venv = RepoPaths.url(".build/venv-mlflow/bin")

    /// Why the tests skip, when they do (checked without starting anything: test discovery evaluates it).
    public static let unavailable: String? = FileManager.default.isExecutableFile(atPath: venv.appendingPathComponent("mlflow").path)
        ? nil : "skipped: needs .build/venv-mlflow with mlflow (scripts/python-venv makes it when pip can install mlflow)"

    /// The server's address, `http://127.0.0.1:PORT`.
    public let url: URL
    public let folder: String
    /// The server's process id (not a child Foundation watches; see init).
    private let pid: Int32

    nonisolated(unsafe) public static var startError: String?
    public static let shared: MLflowServer? = {
        do {
            let s = try MLflowServer()
            running = s
            atexit { MLflowServer.running?.stop() }
            return s
        } catch {
            startError = "\(error)"
            return nil
        }
    }()
    nonisolated(unsafe) private static var running: MLflowServer?

    /// The shared server, or an error saying why it could not start (the test then fails: MLflow is installed).
    public static func require() throws -> MLflowServer {
        guard let shared else { throw SetupError("the mlflow server did not start: \(startError ?? "?")") }
        return shared
    }

    private init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("petal-mlflow-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let port = Self.freePort()
        guard let url = URL(string: "http://127.0.0.1:\(port)") else { throw SetupError("no URL for port \(port)") }
        self.url = url
        // Started through bash, which closes every inherited descriptor above 2 (so the server cannot hold other
        // tests' pipes open) and starts the server in the background, printing its process id, then exits. The
        // server must not be a child that Foundation watches: the descriptors bash closes include the one
        // Foundation's Process uses to notice a child's end, and it would then wait for the server in a blocking
        // wait4, which stalls every other test's Process until the server ends.
        let launcher = Process()
        launcher.executableURL = URL(fileURLWithPath: "/bin/bash")
        launcher.arguments = ["-c", "for fd in $(ls /proc/$$/fd); do if [ \"$fd\" -gt 2 ]; then eval \"exec $fd>&-\"; fi; done; "
                              + "\"$@\" </dev/null >/dev/null 2>&1 & echo $!", "bash",
                              Self.venv.appendingPathComponent("mlflow").path, "server", "--host", "127.0.0.1", "--port", String(port),
                              "--workers", "1", "--backend-store-uri", "sqlite:///\(folder)/mlflow.db", "--artifacts-destination", "\(folder)/artifacts"]
        launcher.currentDirectoryURL = URL(fileURLWithPath: folder)
        let out = Pipe()
        launcher.standardInput = FileHandle.nullDevice
        launcher.standardOutput = out
        launcher.standardError = FileHandle.nullDevice
        try launcher.run()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        launcher.waitUntilExit()
        guard let pid = Int32(said.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw SetupError("mlflow server did not start: \(said)")
        }
        self.pid = pid
        // Importing MLflow and creating its tables takes a minute or more on a busy machine.
        var up = false
        for _ in 0..<480 where !up && isRunning {
            up = Self.healthy(url)
            if !up { Thread.sleep(forTimeInterval: 0.5) }
        }
        guard up else {
            let running = isRunning
            stop()
            throw SetupError("mlflow server did not start on port \(port) within 4 minutes (running: \(running))")
        }
    }

    /// Whether `GET /health` answers 200.
    static func healthy(_ url: URL) -> Bool {
        let done = DispatchSemaphore(value: 0)
        let status = StatusBox()
        var request = URLRequest(url: url.appendingPathComponent("health"), timeoutInterval: 5)
        request.httpMethod = "GET"
        let task = URLSession.shared.dataTask(with: request) { _, response, _ in
            status.value = (response as? HTTPURLResponse)?.statusCode ?? 0
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + 6) == .timedOut { task.cancel(); return false }
        return status.value == 200
    }

    /// Whether the server's process still exists (and is not a zombie).
    private var isRunning: Bool {
        guard kill(pid, 0) == 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].hasPrefix(" Z")
    }

    /// Kills the server and its workers and removes its folder.
    public func stop() {
        Self.killTree(pid)
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Run `runID` as MLflow's own Python client reads it: `experiment`, `status`, `params`, `metrics`, `tags`,
    /// `loss` ([[step, value]] of metric `curve`), `artifacts` (top-level paths) and, when `artifact` is given, its text.
    public func readRun(_ runID: String, curve: String = "loss", artifact: String? = nil) throws -> [String: Any] {
        let script = """
            import json, sys
            from mlflow.tracking import MlflowClient
            c = MlflowClient(tracking_uri=sys.argv[1])
            r = c.get_run(sys.argv[2])
            curve = [[m.step, m.value] for m in c.get_metric_history(sys.argv[2], sys.argv[3])]
            arts = [a.path for a in c.list_artifacts(sys.argv[2])]
            exp = c.get_experiment(r.info.experiment_id).name
            text = open(c.download_artifacts(sys.argv[2], sys.argv[4])).read() if sys.argv[4] else None
            print(json.dumps({"params": r.data.params, "metrics": r.data.metrics, "tags": r.data.tags, "status": r.info.status,
                              "curve": curve, "artifacts": arts, "experiment": exp, "artifact": text}))
            """
        return try python(script, [url.absoluteString, runID, curve, artifact ?? ""])
    }

    /// Every run of experiment `name` as MLflow's Python client lists them (oldest first): `id`, `name`, `status`,
    /// `params`, `metrics`, `tags`; empty when there is no such experiment.
    public func runs(experiment name: String) throws -> [[String: Any]] {
        let script = """
            import json, sys
            from mlflow.tracking import MlflowClient
            c = MlflowClient(tracking_uri=sys.argv[1])
            e = c.get_experiment_by_name(sys.argv[2])
            runs = [] if e is None else c.search_runs([e.experiment_id], order_by=["attributes.start_time ASC"])
            print(json.dumps({"runs": [{"id": r.info.run_id, "name": r.info.run_name, "status": r.info.status,
                                        "params": r.data.params, "metrics": r.data.metrics, "tags": r.data.tags} for r in runs]}))
            """
        let object = try python(script, [url.absoluteString, name])
        return object["runs"] as? [[String: Any]] ?? []
    }

    /// Runs `script` with the venv's python and decodes the JSON object it prints.
    private func python(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let p = Process()
        p.executableURL = Self.venv.appendingPathComponent("python")
        p.arguments = ["-c", script] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw SetupError("MLflow's Python client failed (\(p.terminationStatus)): \(String(decoding: errors, as: UTF8.self).suffix(800))")
        }
        return object
    }

    /// SIGKILL to `pid` and every process under it (mlflow's uvicorn and its workers), children first; all were
    /// started by the test process. SIGTERM is not enough: uvicorn ignores it for a while.
    public static func killTree(_ pid: Int32) {
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

    /// A port of 127.0.0.1 that was free a moment ago.
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// A status code handed across threads.
private final class StatusBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = 0
    var value: Int {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
