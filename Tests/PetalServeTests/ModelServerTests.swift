import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PetalBundle
import PetalData
import PetalML
@testable import PetalServe
import Synchronization
import Testing

/// A server in the test process on a free loopback port: every endpoint, every refusal, and the server keeps
/// answering after each.
@Suite(.serialized) struct ModelServerTests {
    @Test func predictsInEveryFormat() async throws {
        try await withServer(Fixtures.iris) { server in
            let records = try await HTTP.post(server, #"{"dataframe_records": [\#(Fixtures.irisRow)]}"#)
            #expect(records.status == 200)
            #expect(records.headers["content-type"] == "application/json")
            let first = try #require((records.object["predictions"] as? [[String: Any]])?.first)
            #expect(first["label"] as? String == "setosa")
            let p = try #require(first["probabilities"] as? [String: Double])
            #expect(Set(p.keys) == ["setosa", "versicolor", "virginica"])
            #expect(abs(p.values.reduce(0, +) - 1) < 1e-9)
            #expect(try #require(p["setosa"]) > 0.9)

            let tensor = try await HTTP.post(server, #"{"inputs": [[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}"#)
            let columns = try #require(tensor.object["predictions"] as? [String: Any])
            #expect(columns["label"] as? [String] == ["setosa", "virginica"])
            #expect((columns["probabilities"] as? [[Double]])?.count == 2)

            let split = try await HTTP.post(server, #"{"dataframe_split": {"columns": ["sepal_length","sepal_width","petal_length","petal_width"], "data": [[6.7,3.0,5.2,2.3]]}}"#)
            #expect((split.object["predictions"] as? [[String: Any]])?.first?["label"] as? String == "virginica")

            let csv = try await HTTP.post(server, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n", contentType: "text/csv")
            #expect((csv.object["predictions"] as? [[String: Any]])?.first?["label"] as? String == "setosa")
            let csv2 = try await HTTP.post(server, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n", contentType: "application/csv")
            #expect(csv2.status == 200)
            let charset = try await HTTP.post(server, #"{"inputs": [[5.1,3.5,1.4,0.2]]}"#, contentType: "application/json; charset=UTF-8")
            #expect(charset.status == 200)
        }
    }

    @Test func answersMatchThePipeline() async throws {
        let frame = try Fixtures.frame("iris.csv")
        let fitted = Fixtures.iris.fitted
        let x = try fitted.schema.matrix(frame, dataset: "iris")
        let expected = fitted.predictProba(x)
        let rows = (0..<frame.rowCount).map { r in "[" + (0..<4).map { "\(x[r, $0])" }.joined(separator: ",") + "]" }
        try await withServer(Fixtures.iris) { server in
            let reply = try await HTTP.post(server, "{\"inputs\": [\(rows.joined(separator: ","))]}")
            // Byte for byte what the pipeline gives when called directly (numbers in shortest round-trip form).
            let codes = fitted.predict(x)
            let direct = PreparedModel(Fixtures.iris, maxBodyBytes: 1).answer(.classes(codes: codes, probabilities: expected.values), style: .columns)
            #expect(reply.body == String(decoding: direct, as: UTF8.self))
            #expect(reply.body.contains("\(expected[0, 0])"))
        }
    }

    @Test func otherEndpoints() async throws {
        try await withServer(Fixtures.penguins) { server in
            for path in ["/ping", "/health"] {
                let r = try await HTTP.request(server.url + path)
                #expect(r.status == 200)
                #expect(r.body == "\n")
            }
            let version = try await HTTP.request(server.url + "/version")
            #expect(version.object["petal"] as? String == "0.6.0")  // the release (a literal: the constant is not compared with itself)
            #expect(version.object["model_version"] as? String == Fixtures.penguins.description.version)

            let metadata = try await HTTP.request(server.url + "/metadata")
            let inputs = try #require(metadata.object["inputs"] as? [[String: Any]])
            #expect(inputs.map { $0["name"] as? String } == ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"])
            #expect(inputs.first?["categories"] as? [String] == ["Biscoe", "Dream", "Torgersen"])
            #expect(metadata.object["classes"] as? [String] == ["Adelie", "Chinstrap", "Gentoo"])
            #expect(inputs.map { $0["nullable"] as? Bool } == Array(repeating: true, count: 7))
            // The example request is a request the server takes.
            let example = try #require(metadata.object["example_request"])
            let body = try JSONSerialization.data(withJSONObject: example)
            let answer = try await HTTP.post(server, String(decoding: body, as: UTF8.self))
            #expect(answer.status == 200)
            #expect((answer.object["predictions"] as? [[String: Any]])?.first?["label"] as? String == "Adelie")

            let missing = try await HTTP.post(server, #"{"dataframe_records": [{"island":"Dream","bill_length_mm":null,"bill_depth_mm":NaN,"flipper_length_mm":190,"body_mass_g":3700,"sex":null,"year":2008}]}"#)
            #expect(missing.status == 200, "the pipeline imputes: \(missing.body)")

            let metrics = try await HTTP.request(server.url + "/metrics")
            #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(metrics.body.contains("petal_requests_total{path=\"/ping\",status=\"200\"} 1"))
            #expect(metrics.body.contains("petal_requests_total{path=\"/invocations\",status=\"200\"} 2"))
            #expect(metrics.body.contains("petal_predicted_class_total{class=\"Adelie\"} 1"))
            #expect(metrics.body.contains("petal_invocation_duration_seconds_count 2"))
            #expect(metrics.body.contains("petal_invocation_duration_seconds_bucket{le=\"+Inf\"} 2"))
            #expect(metrics.body.contains("petal_predicted_rows_total 2"))

            let unknown = try await HTTP.request(server.url + "/nothing")
            #expect(unknown.status == 404)
            #expect(unknown.object["error_code"] as? String == "NOT_FOUND")
            #expect(try await HTTP.request(server.url + "/invocations").status == 405)
        }
    }

    @Test func refusalsAndTheServerGoesOn() async throws {
        try await withServer(Fixtures.iris, configure: { $0.maxBodyBytes = 64 << 10 }) { server in
            let cases: [(String, String?, Int, String?)] = [
                ("{\"inputs\": [[5.1,", "application/json", 400, nil),
                (#"{"dataframe_records": [{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4}]}"#, "application/json", 400, "petal_width"),
                (#"{"dataframe_records": [{"sepal_length":"x","sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}]}"#, "application/json", 400, "sepal_length"),
                (#"{"inputs": [[5.1, NaN, 1.4, 0.2]]}"#, "application/json", 400, "sepal_width"),
                (#"{"inputs": []}"#, "application/json", 400, nil),
                (#"{"inputs": [[5.1,3.5,1.4,0.2]]}"#, "text/plain", 415, nil),
                (#"{"inputs": [[5.1,3.5,1.4,0.2]]}"#, "application/x-www-form-urlencoded", 415, nil),
                (#"{"inputs": [[5.1,3.5,1.4,0.2]]}"#, nil, 415, nil),
                (#"{"inputs": [[5.1,3.5,1.4,0.2]]}"#, "application/json; charset=latin-1", 415, nil),
            ]
            for (body, type, status, field) in cases {
                let r = try await HTTP.post(server, body, contentType: type)
                #expect(r.status == status, "\(body) as \(type ?? "none"): \(r.body)")
                #expect(r.object["message"] is String)
                #expect(r.object["error_code"] is String)
                if let field { #expect(r.object["field"] as? String == field) }
                #expect(try await HTTP.post(server, #"{"inputs": [[5.1,3.5,1.4,0.2]]}"#).status == 200)
            }
            let big = #"{"inputs": ["# + Array(repeating: "[5.1,3.5,1.4,0.2]", count: 5000).joined(separator: ",") + "]}"
            let refused = try await HTTP.post(server, big)
            #expect(refused.status == 413)
            #expect(refused.object["error_code"] as? String == "REQUEST_TOO_LARGE")
            // Without Content-Length (chunked): refused while it arrives.
            var streamed = URLRequest(url: try #require(URL(string: server.url + "/invocations")))
            streamed.httpMethod = "POST"
            streamed.setValue("application/json", forHTTPHeaderField: "Content-Type")
            streamed.httpBodyStream = InputStream(data: Data(big.utf8))
            let (streamedBody, streamedResponse) = try await HTTP.session.data(for: streamed)
            #expect((streamedResponse as? HTTPURLResponse)?.statusCode == 413, "\(String(decoding: streamedBody, as: UTF8.self))")
            #expect(try await HTTP.post(server, #"{"inputs": [[5.1,3.5,1.4,0.2]]}"#).status == 200)
            let metrics = try await HTTP.request(server.url + "/metrics")
            #expect(metrics.body.contains("petal_invocation_errors_total{code=\"UNSUPPORTED_MEDIA_TYPE\"} 4"))
            #expect(metrics.body.contains("petal_invocation_errors_total{code=\"REQUEST_TOO_LARGE\"} 2"))
        }
    }

    @Test func tenThousandRowsInOneRequest() async throws {
        let rows = Array(repeating: Fixtures.irisRow, count: 10_000).joined(separator: ",")
        try await withServer(Fixtures.iris) { server in
            let r = try await HTTP.post(server, "{\"dataframe_records\": [\(rows)]}")
            #expect(r.status == 200)
            #expect((r.object["predictions"] as? [Any])?.count == 10_000)
        }
    }

    @Test func bearerToken() async throws {
        try await withServer(Fixtures.iris, configure: { $0.token = "s3cret" }) { server in
            let without = try await HTTP.post(server, #"{"inputs": [[5.1,3.5,1.4,0.2]]}"#)
            #expect(without.status == 401)
            #expect(without.headers["www-authenticate"] == "Bearer")
            #expect(try await HTTP.post(server, #"{"inputs": [[5.1,3.5,1.4,0.2]]}"#, headers: ["Authorization": "Bearer wrong"]).status == 401)
            #expect(try await HTTP.request(server.url + "/metadata").status == 401)
            #expect(try await HTTP.post(server, #"{"inputs": [[5.1,3.5,1.4,0.2]]}"#, headers: ["Authorization": "Bearer s3cret"]).status == 200)
            #expect(try await HTTP.request(server.url + "/ping").status == 200)
        }
    }

    @Test func aTakenPortIsAnError() async throws {
        try await withServer(Fixtures.iris) { server in
            var options = ServeOptions()
            options.port = try #require(Int(server.url.split(separator: ":").last ?? ""))
            let second = try ModelServer(model: Fixtures.iris, options: options)
            await #expect(throws: ServerStartError.self) { try await second.start() }
            #expect(try await HTTP.request(server.url + "/ping").status == 200)
        }
    }
    /// The server has threads of its own: with every cooperative thread blocked (as a host that waits
    /// synchronously inside tasks does, e.g. a test run whose other tests wait on subprocesses), requests are
    /// still answered. Before `ServerExecutor` this request timed out.
    @Test func answersWhileTheCooperativePoolIsBlocked() throws {
        var options = ServeOptions()
        options.port = 0
        let server = try ModelServer(model: Fixtures.iris, options: options)
        try server.start()
        defer { server.stop() }
        let (started, release) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let blockers = 4 * max(2, ProcessInfo.processInfo.activeProcessorCount)
        for _ in 0..<blockers { Task.detached { started.signal(); release.wait() } }
        defer { for _ in 0..<blockers { release.signal() } }
        // Tasks start until the pool is full; then no more start.
        var running = 0
        while started.wait(timeout: .now() + 1) == .success { running += 1 }
        #expect(running < blockers, "the cooperative pool was not saturated (\(running) of \(blockers) blockers ran)")

        var request = URLRequest(url: try #require(URL(string: server.url + "/invocations")), timeoutInterval: 20)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"inputs": [[5.1, 3.5, 1.4, 0.2]]}"#.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let done = DispatchSemaphore(value: 0)
        let reply = Mutex<(Int, String)?>(nil)
        HTTP.session.dataTask(with: request) { data, response, _ in
            reply.withLock { $0 = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self)) }
            done.signal()
        }.resume()
        #expect(done.wait(timeout: .now() + 30) == .success, "no answer while the cooperative pool was blocked")
        let (status, body) = try #require(reply.withLock { $0 })
        #expect(status == 200)
        #expect(body.contains(#""label":["setosa"]"#))
    }
}
