import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `petal serve BUNDLE`: the real binary on a free 127.0.0.1 port, every endpoint and every bad input over HTTP,
/// a bundle replaced under a looping client, then SIGTERM.
@Suite(.serialized) struct ServeEndToEndTests {
    /// A running `petal serve` and the URL it printed.
    final class Server: @unchecked Sendable {
        let process = Process()
        let output = Pipe()
        var url = ""
        var log: String

        init(bundle: String, extra: [String] = [], environment: [String: String] = [:]) throws {
            log = FileManager.default.temporaryDirectory.appendingPathComponent("petal-serve-e2e-\(UUID().uuidString).log").path
            process.executableURL = URL(fileURLWithPath: Petal.binary)
            process.arguments = ["serve", bundle, "--port", "0", "--log", log] + extra
            process.currentDirectoryURL = Petal.root
            if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            var text = ""
            while !text.contains("\n") {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let range = text.range(of: "http://127.0.0.1:[0-9]+", options: .regularExpression) else {
                process.terminate()
                throw ServeTestError("petal serve did not print its URL: \(text)")
            }
            url = String(text[range])
        }

        /// SIGTERM; returns the exit status and the rest of standard output.
        func stop() -> (Int32, String) {
            process.terminate()
            let rest = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: rest, as: UTF8.self))
        }
    }

    struct ServeTestError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    struct Reply {
        var status: Int
        var body: String
        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    static func http(_ url: String, post body: Data? = nil, type: String? = "application/json") async throws -> Reply {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.timeoutInterval = 120
        if let body {
            request.httpMethod = "POST"
            request.httpBody = body
            if let type { request.setValue(type, forHTTPHeaderField: "Content-Type") }
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
    }

    static func post(_ server: Server, _ body: String, type: String? = "application/json") async throws -> Reply {
        try await http(server.url + "/invocations", post: Data(body.utf8), type: type)
    }

    static func export(_ pipeline: String, sample: String = "samples/iris.csv", target: String = "variety", to dir: String) throws {
        let r = try Petal.run(["exec", "open \(sample) as data; pipeline p = \(pipeline); fit p on data target=\(target); export p to \(dir)"])
        guard r.status == 0 else { throw ServeTestError("export failed: \(r.stderr)") }
    }

    static func folder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("petal-serve-e2e-\(UUID().uuidString)/\(name)").path
    }

    static let row = #"{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}"#

    @Test func everyEndpointAndEveryBadInput() async throws {
        let dir = Self.folder("iris")
        try Self.export("standard_scaler | logistic_regression", to: dir)
        let server = try Server(bundle: dir, extra: ["--max-body", "1"])
        defer { _ = server.stop() }

        let ok = try await Self.post(server, #"{"dataframe_records": [\#(Self.row)]}"#)
        #expect(ok.status == 200)
        #expect(ok.body.hasPrefix(#"{"predictions":[{"label":"setosa","probabilities":{"setosa":0."#))
        #expect(try await Self.post(server, #"{"dataframe_split": {"columns": ["sepal_length","sepal_width","petal_length","petal_width"], "data": [[5.1,3.5,1.4,0.2]]}}"#).status == 200)
        #expect(try await Self.post(server, #"{"instances": [[5.1,3.5,1.4,0.2]]}"#).body.contains(#""label":["setosa"]"#))
        #expect(try await Self.post(server, #"{"inputs": [[5.1,3.5,1.4,0.2]]}"#).status == 200)
        #expect(try await Self.post(server, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n", type: "text/csv").status == 200)
        for path in ["/ping", "/health"] { #expect(try await Self.http(server.url + path).status == 200) }
        #expect(try await Self.http(server.url + "/version").object["petal"] is String)
        let metadata = try await Self.http(server.url + "/metadata")
        #expect((metadata.object["inputs"] as? [[String: Any]])?.count == 4)
        #expect(metadata.object["example_request"] != nil)

        let bad: [(String, String?, Int, String)] = [
            ("{\"inputs\": [[5.1, 3.5", "application/json", 400, "malformed JSON"),
            (#"{"dataframe_records": [{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4}]}"#, "application/json", 400, "petal_width"),
            (#"{"dataframe_records": [{"sepal_length":"5.1","sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}]}"#, "application/json", 400, "expected a number"),
            (#"{"inputs": [[5.1, NaN, 1.4, 0.2]]}"#, "application/json", 400, "NaN"),
            (#"{"dataframe_records": []}"#, "application/json", 400, "empty"),
            (#"[[5.1,3.5,1.4,0.2]]"#, "application/json", 400, "JSON object"),
            (#"{"inputs": [[5.1,3.5,1.4,0.2]]}"#, "text/plain", 415, "not supported"),
        ]
        for (body, type, status, words) in bad {
            let r = try await Self.post(server, body, type: type)
            #expect(r.status == status, "\(body): \(r.body)")
            #expect((r.object["message"] as? String)?.contains(words) == true, "\(body): \(r.body)")
            #expect(try await Self.post(server, #"{"inputs": [[5.1,3.5,1.4,0.2]]}"#).status == 200, "still serving after \(body)")
        }
        // 10,000 rows are fine under the limit (1 MB here); a 100 MB body is refused with 413 without being buffered.
        let rows = Array(repeating: "[5.1,3.5,1.4,0.2]", count: 10_000).joined(separator: ",")
        let many = try await Self.post(server, "{\"inputs\": [\(rows)]}")
        #expect(many.status == 200)
        #expect((many.object["predictions"] as? [String: Any]).flatMap { $0["label"] as? [String] }?.count == 10_000)
        let huge = Data(repeating: UInt8(ascii: " "), count: 100 << 20)
        let refused = try await Self.http(server.url + "/invocations", post: huge)
        #expect(refused.status == 413)
        #expect(try await Self.post(server, #"{"inputs": [[5.1,3.5,1.4,0.2]]}"#).status == 200)

        let metrics = try await Self.http(server.url + "/metrics").body
        #expect(metrics.contains("petal_invocation_errors_total{code=\"REQUEST_TOO_LARGE\"} 1"))
        #expect(metrics.contains("petal_invocation_duration_seconds_bucket"))
        #expect(metrics.contains("petal_predicted_class_total{class=\"setosa\"}"))
        let (status, rest) = server.stop()
        #expect(status == 0)
        #expect(rest.contains("stopped"))
        let log = (try? String(contentsOfFile: server.log, encoding: .utf8)) ?? ""
        #expect(log.contains("refused /invocations: 413"))
    }

    @Test func categoriesNullsAndTokens() async throws {
        let dir = Self.folder("penguins")
        try Self.export("imputer | logistic_regression", sample: "samples/penguins.csv", target: "species", to: dir)
        let server = try Server(bundle: dir, extra: ["--token", "t0ken"])
        defer { _ = server.stop() }
        let row = #"{"island":"Dream","bill_length_mm":null,"bill_depth_mm":18.0,"flipper_length_mm":190,"body_mass_g":3700,"sex":"female","year":2008}"#
        #expect(try await Self.post(server, "{\"dataframe_records\": [\(row)]}").status == 401)
        var request = URLRequest(url: try #require(URL(string: server.url + "/invocations")))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("Bearer t0ken", forHTTPHeaderField: "Authorization")
        request.httpBody = Data("{\"dataframe_records\": [\(row)]}".utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: data, as: UTF8.self))")
        request.httpBody = Data("{\"dataframe_records\": [\(row.replacingOccurrences(of: "Dream", with: "Atlantis"))]}".utf8)
        let (bad, badResponse) = try await URLSession.shared.data(for: request)
        #expect((badResponse as? HTTPURLResponse)?.statusCode == 400)
        #expect(String(decoding: bad, as: UTF8.self).contains("Atlantis"))
        #expect(try await Self.http(server.url + "/ping").status == 200)
    }

    @Test func aHalfWrittenOrNewerBundleIsRefusedAtStart() throws {
        let dir = Self.folder("half")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let r = try Petal.run(["serve", dir, "--port", "0"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no petal.json"))

        let newer = Self.folder("newer")
        try Self.export("gaussian_nb", to: newer)
        let manifest = URL(fileURLWithPath: newer).appendingPathComponent("petal.json")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 99").write(to: manifest, atomically: true, encoding: .utf8)
        let refused = try Petal.run(["serve", newer, "--port", "0"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("newer Petal"), "\(refused.stderr)")
    }

    /// Re-exporting the bundle under a running server while a client loops: no request fails.
    @Test func replacingTheBundleDropsNoRequest() async throws {
        let dir = Self.folder("iris")
        try Self.export("standard_scaler | logistic_regression", to: dir)
        let server = try Server(bundle: dir)
        defer { _ = server.stop() }
        let first = try #require(try await Self.http(server.url + "/version").object["model_version"] as? String)
        // A flag, not task cancellation: a cancelled URLSession request may never return on Linux.
        let done = LockedFlag()
        let client = Task { () -> (ok: Int, failures: [String]) in
            var ok = 0, failures: [String] = []
            while !done.isSet {
                do {
                    let r = try await Self.post(server, #"{"inputs": [[5.9, 3.0, 5.1, 1.8]]}"#)
                    if r.status == 200 { ok += 1 } else { failures.append("\(r.status) \(r.body)") }
                } catch { failures.append("\(error)") }
            }
            return (ok, failures)
        }
        try Self.export("knn k=5", to: dir)
        var now = first
        for _ in 0..<600 where now == first {
            try await Task.sleep(for: .milliseconds(100))
            now = try await Self.http(server.url + "/version").object["model_version"] as? String ?? first
        }
        done.set()
        let result = await client.value
        #expect(now != first, "the server did not pick up the new bundle")
        #expect(result.failures.isEmpty, "\(result.failures.prefix(3))")
        #expect(result.ok > 0)
    }
}

/// A flag one task sets and another polls.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
    func set() { lock.lock(); value = true; lock.unlock() }
}
