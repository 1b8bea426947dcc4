import Foundation
import Testing
import PetalData
@testable import PetalML
@testable import PetalBundle
#if canImport(Glibc)
import Glibc
#endif

/// `mlflow models serve -m BUNDLE --env-manager local` answers with the same labels and probabilities as Petal
/// (numbers only, and numbers with text columns). Needs `.build/venv-mlflow` (scripts/python-venv makes it);
/// skipped with a message otherwise.
@Suite(.serialized) struct MLflowServeTests {
    static let bin = Fixture.root.appendingPathComponent(".build/venv-mlflow/bin")
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("mlflow").path) && FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")
    }

    /// A free TCP port on 127.0.0.1 (bound to port 0, read back, released).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// POSTs `body` to `url` (GET without one) with curl and returns the answer, or nil when nothing answers.
    static func post(_ url: URL, _ body: Data?) -> Data? {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-sf", "-m", "30", url.absoluteString] + (body == nil ? [] : ["-H", "Content-Type: application/json", "--data-binary", "@-"])
        let input = Pipe(), output = Pipe()
        curl.standardInput = input
        curl.standardOutput = output
        curl.standardError = FileHandle.nullDevice
        guard (try? curl.run()) != nil else { return nil }
        if let body { input.fileHandleForWriting.write(body) }
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        return curl.terminationStatus == 0 ? data : nil
    }

    @Test(.enabled(if: available, "skipped: needs curl and .build/venv-mlflow with mlflow (scripts/python-venv makes it when pip can install mlflow)"))
    func mlflowServesTheSamePredictions() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let iris = try Fixture.sample("iris.csv"), penguins = try Fixture.penguins()
        let cases: [(String, Frame, String)] = [
            ("standard_scaler | logistic_regression", iris, "variety"),
            ("imputer | one_hot | random_forest n_estimators=5", penguins, "species"),
        ]
        for (i, (text, frame, target)) in cases.enumerated() {
            let train = (0..<frame.rowCount).filter { $0 % 3 != 0 }, test = Array(stride(from: 0, to: frame.rowCount, by: 3))
            let model = try Fixture.fit(text, frame, target: target, task: .classification, train: train)
            let dir = try Fixture.export(model, training: frame.taking(train), in: folder, name: "b\(i)")
            let bundle = try ServingBundle.load(from: dir)
            // Complete rows only: JSON has no NaN, and MLflow would pass a null text as None.
            let complete = test.filter { r in bundle.manifest.inputs.allSatisfy { frame.column(named: $0.name)?.isValid(r) ?? false } }
            let held = frame.taking(complete)
            let petal = try bundle.predict(held)
            let feeds = try #require(try JSONSerialization.jsonObject(with: ONNXInteropTests.feeds(held, bundle.manifest)) as? [String: Any])
            let body = try JSONSerialization.data(withJSONObject: ["inputs": feeds])
            let port = Self.freePort()
            let process = Process()
            process.executableURL = Self.bin.appendingPathComponent("mlflow")
            process.arguments = ["models", "serve", "-m", dir.path, "--env-manager", "local", "--host", "127.0.0.1", "--port", String(port)]
            var env = ProcessInfo.processInfo.environment
            env["PATH"] = Self.bin.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
            process.environment = env
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer { Self.stop(process, port: port) }
            let base = try #require(URL(string: "http://127.0.0.1:\(port)"))
            var ready = false
            for _ in 0..<240 where !ready {   // wait for the server (mlflow takes seconds to import)
                if Self.post(base.appendingPathComponent("ping"), nil) != nil { ready = true } else { usleep(250_000) }
            }
            try #require(ready, "mlflow models serve did not answer /ping")
            let answer = try #require(Self.post(base.appendingPathComponent("invocations"), body))
            let json = try #require(try JSONSerialization.jsonObject(with: answer) as? [String: Any])
            let predictions = try #require(json["predictions"] as? [String: Any], "\(json)")
            #expect(predictions["label"] as? [String] == petal.labels, "\(text)")
            let p = try #require(predictions["probabilities"] as? [[Double]])
            var worst = 0.0
            for r in 0..<petal.count { for (k, v) in p[r].enumerated() { worst = max(worst, abs(v - (petal.probabilities?[r, k] ?? .nan))) } }
            #expect(worst <= 1e-5, "\(text): probabilities differ by \(worst)")
        }
    }

    /// Stops the uvicorn server mlflow started on `port` (found by its command line) and mlflow itself, by pid.
    /// SIGKILL: both were started by this test, and mlflow waits for uvicorn, which ignores SIGTERM for a while.
    static func stop(_ process: Process, port: Int) {
        let pgrep = Process()
        pgrep.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        pgrep.arguments = ["-f", "uvicorn --host 127.0.0.1 --port \(port) "]
        let out = Pipe()
        pgrep.standardOutput = out
        if (try? pgrep.run()) != nil {
            let pids = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").compactMap { Int32($0) }
            pgrep.waitUntilExit()
            for pid in pids { kill(pid, SIGKILL) }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
