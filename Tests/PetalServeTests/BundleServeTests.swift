import Foundation
import PetalBundle
import PetalData
import PetalML
@testable import PetalServe
import Synchronization
import Testing

/// Serving bundle folders: the manifest drives the input schema, and a bundle replaced under a running
/// server is swapped in without a failed request.
@Suite(.serialized) struct BundleServeTests {
    static func export(_ steps: [(String, [(String, String)])], to dir: URL, name: String = "iris") throws {
        let (fitted, frame) = try Fixtures.fit("iris.csv", target: "variety", steps: steps)
        try BundleWriter.write(BundleExport(name: name, model: fitted, training: frame, metrics: [:]), to: dir)
    }

    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petal-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func servesABundle() async throws {
        let dir = try Self.folder().appendingPathComponent("iris")
        try Self.export([("standard_scaler", []), ("logistic_regression", [])], to: dir)
        let source = BundleSource(directory: dir)
        let model = try source.load()
        #expect(model.description.inputs.map(\.name) == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        #expect(model.description.inputs.allSatisfy { !$0.nullable })
        try await withServer(model, source: source) { server in
            let r = try await HTTP.post(server, #"{"dataframe_records": [\#(Fixtures.irisRow)]}"#)
            #expect((r.object["predictions"] as? [[String: Any]])?.first?["label"] as? String == "setosa")
            let metadata = try await HTTP.request(server.url + "/metadata")
            #expect(metadata.object["name"] as? String == "iris")
            let example = try JSONSerialization.data(withJSONObject: try #require(metadata.object["example_request"]))
            #expect(try await HTTP.post(server, String(decoding: example, as: UTF8.self)).status == 200)
            let nan = try await HTTP.post(server, #"{"inputs": [[5.1, NaN, 1.4, 0.2]]}"#)
            #expect(nan.status == 400)
            #expect(nan.object["field"] as? String == "sepal_width")
        }
    }

    /// `/drift` compares the rows the server answered with the training data in the manifest.
    @Test func driftOverTheInputsSeen() async throws {
        let dir = try Self.folder().appendingPathComponent("iris")
        try Self.export([("standard_scaler", []), ("logistic_regression", [])], to: dir)
        let frame = try Fixtures.frame("iris.csv")
        let names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
        let columns = names.map { frame.column(named: $0)?.doublesWithNaN() ?? [] }
        func rows(scaleSepal: Double) -> String {
            (0..<frame.rowCount).map { r in "[" + (0..<4).map { c in "\(columns[c][r] * (c == 0 ? scaleSepal : 1))" }.joined(separator: ",") + "]" }
                .joined(separator: ",")
        }
        try await withServer(try BundleSource(directory: dir).load()) { server in
            let empty = try await HTTP.request(server.url + "/drift")
            #expect(empty.object["rows_seen"] as? Int == 0)
            #expect(try await HTTP.post(server, "{\"inputs\": [\(rows(scaleSepal: 1))]}").status == 200)
            let same = try await HTTP.request(server.url + "/drift")
            #expect(same.status == 200)
            #expect(same.object["rows_compared"] as? Int == 150)
            #expect(same.object["moved"] as? [String] == [])
            #expect((same.object["columns"] as? [[String: Any]])?.count == 4)
            for _ in 0..<2 { #expect(try await HTTP.post(server, "{\"inputs\": [\(rows(scaleSepal: 2))]}").status == 200) }
            let moved = try await HTTP.request(server.url + "/drift")
            #expect(moved.object["rows_seen"] as? Int == 450)
            #expect(moved.object["moved"] as? [String] == ["sepal_length"])
        }
        // A session pipeline has no training statistics.
        try await withServer(Fixtures.iris) { server in
            #expect(try await HTTP.post(server, "{\"inputs\": [[5.1,3.5,1.4,0.2]]}").status == 200)
            let none = try await HTTP.request(server.url + "/drift")
            #expect(none.status == 404)
            #expect(none.object["error_code"] as? String == "NOT_AVAILABLE")
        }
    }

    @Test func theWindowKeepsTheLatestRows() throws {
        let window = InputWindow(fields: [RequestField(name: "x", kind: .number, nullable: false),
                                          RequestField(name: "t", kind: .text, nullable: true)], capacity: 3)
        for k in 0..<5 {
            window.record(try Frame(columns: [Column(name: "x", storage: .float([Double(k)])),
                                              Column.fromValues(name: "t", [k % 2 == 0 ? .text("a\(k)") : .null])]))
        }
        let (frame, seen) = try window.snapshot()
        #expect(seen == 5)
        #expect(Set(frame.column(named: "x")?.doublesWithNaN() ?? []) == [2, 3, 4])
        #expect(frame.column(named: "t")?.isValid(0) == true || frame.column(named: "t")?.isValid(1) == true)
        window.record(try Frame(columns: [Column(name: "x", storage: .float((10..<20).map(Double.init))),
                                          Column.fromValues(name: "t", Array(repeating: .text("b"), count: 10))]))
        #expect(Set(try window.snapshot().frame.column(named: "x")?.doublesWithNaN() ?? []) == [17, 18, 19])
    }

    /// A client loops requests while the bundle is replaced twice (and once by a broken folder in between):
    /// every request succeeds, and answers come from the old model, then the new one.
    @Test func aSignatureIsRequiredOnEveryReload() async throws {
        let dir = try Self.folder().appendingPathComponent("iris")
        let key = BundleSigningKey()
        let (fitted, frame) = try Fixtures.fit("iris.csv", target: "variety", steps: [("standard_scaler", []), ("logistic_regression", [])])
        var signed = BundleExport(name: "iris", model: fitted, training: frame, metrics: [:])
        signed.signingKey = key
        try BundleWriter.write(signed, to: dir)
        let source = BundleSource(directory: dir, requireSignature: key.publicKey)
        let first = try source.load().description.version
        try await withServer(try source.load(), source: source, configure: { $0.pollInterval = .milliseconds(50) }) { server in
            // An unsigned re-export (another model) is refused; the signed model keeps serving.
            try Self.export([("gaussian_nb", [])], to: dir)
            for _ in 0..<400 where server.metrics.failedReloadCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(server.metrics.failedReloadCount == 1)
            #expect(try await HTTP.request(server.url + "/version").object["model_version"] as? String == first)
            // A signed one is swapped in.
            signed.model = try Fixtures.fit("iris.csv", target: "variety", steps: [("knn", [("k", "3")])]).0
            try BundleWriter.write(signed, to: dir)
            var version = first
            for _ in 0..<400 where version == first {
                try await Task.sleep(for: .milliseconds(10))
                version = try await HTTP.request(server.url + "/version").object["model_version"] as? String ?? first
            }
            #expect(version != first)
        }
    }

    @Test func replacingTheBundleDropsNoRequest() async throws {
        let dir = try Self.folder().appendingPathComponent("iris")
        try Self.export([("standard_scaler", []), ("logistic_regression", [])], to: dir)
        let source = BundleSource(directory: dir)
        let first = try source.load().description.version
        try await withServer(try source.load(), source: source, configure: { $0.pollInterval = .milliseconds(50) }) { server in
            let stop = StopFlag()
            let client = Task { () -> (ok: Int, failed: [String], versions: Set<String>) in
                var ok = 0, failed: [String] = [], versions = Set<String>()
                while !stop.value.load(ordering: .relaxed) {
                    do {
                        let r = try await HTTP.post(server, #"{"inputs": [[5.9, 3.0, 5.1, 1.8]]}"#)
                        if r.status == 200 { ok += 1 } else { failed.append("\(r.status) \(r.body)") }
                        let v = try await HTTP.request(server.url + "/version")
                        if let version = v.object["model_version"] as? String { versions.insert(version) }
                    } catch { failed.append("\(error)") }
                }
                return (ok, failed, versions)
            }
            func waitForVersion(differentFrom old: String) async throws -> String {
                for _ in 0..<2_000 {
                    let v = try await HTTP.request(server.url + "/version").object["model_version"] as? String
                    if let v, v != old { return v }
                    try await Task.sleep(for: .milliseconds(10))
                }
                return old
            }
            try Self.export([("knn", [("k", "5")])], to: dir)
            let second = try await waitForVersion(differentFrom: first)
            #expect(second != first)
            // A damaged bundle (checksum mismatch) is refused; the previous model keeps serving.
            let model = dir.appendingPathComponent("model.json")
            try FileManager.default.removeItem(at: model)
            try Data("{}".utf8).write(to: model)
            var manifest = try String(contentsOf: dir.appendingPathComponent("petal.json"), encoding: .utf8)
            manifest += " "
            try manifest.write(to: dir.appendingPathComponent("petal.json"), atomically: true, encoding: .utf8)
            for _ in 0..<200 where server.metrics.failedReloadCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
            #expect(server.metrics.failedReloadCount == 1)
            #expect(try await HTTP.request(server.url + "/version").object["model_version"] as? String == second)
            try Self.export([("gaussian_nb", [])], to: dir)
            let third = try await waitForVersion(differentFrom: second)
            #expect(third != second && third != first)
            stop.value.store(true, ordering: .relaxed)
            let result = await client.value
            #expect(result.failed.isEmpty, "\(result.failed.prefix(3))")
            #expect(result.ok > 0)
            #expect(result.versions.contains(first) || result.versions.contains(second))
            let metrics = try await HTTP.request(server.url + "/metrics")
            #expect(metrics.body.contains("petal_model_reloads_total{result=\"ok\"} 2"))
        }
    }
}

/// Tells a looping client task to stop.
final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
}
