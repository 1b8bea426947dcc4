import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PetalData

/// A small, synchronous client for an MLflow tracking server's REST API (`/api/2.0/mlflow/…`) and its artifact
/// proxy (`/api/2.0/mlflow-artifacts/artifacts/…`). Every request has a short timeout: a server that is down or
/// slow costs a bounded wait and a `PetalError`, never a hang (see `MLflowSync`).
public struct MLflowClient: Sendable {
    public let base: URL
    public let timeout: TimeInterval

    /// - Parameter base: the tracking URI (`http://host:5000`, possibly with a path prefix).
    public init(base: URL, timeout: TimeInterval = 5) {
        self.base = base
        self.timeout = timeout
    }

    /// The tracking URI as messages show it (without a password).
    public var shown: String { SourceAddress.redacted(base.absoluteString) }

    // MARK: - Tracking API

    /// The id of experiment `name`, created when missing.
    public func experimentID(named name: String) throws -> String {
        var components = URLComponents()
        components.queryItems = [URLQueryItem(name: "experiment_name", value: name)]
        let query = components.percentEncodedQuery ?? ""
        let (status, body) = try request("GET", "api/2.0/mlflow/experiments/get-by-name?" + query, json: nil, allowFailure: true)
        if status == 200, let id = (body["experiment"] as? [String: Any])?["experiment_id"] as? String { return id }
        guard status == 404 || (body["error_code"] as? String) == "RESOURCE_DOES_NOT_EXIST" else {
            throw failure(status, body, doing: "looking up experiment \"\(name)\"")
        }
        let (_, created) = try request("POST", "api/2.0/mlflow/experiments/create", json: ["name": name])
        guard let id = created["experiment_id"] as? String else { throw PetalError("MLflow at \(shown) did not return the new experiment's id") }
        return id
    }

    /// Creates a run; returns its id and artifact URI.
    public func createRun(experimentID: String, name: String, startMilliseconds: Int64, tags: [(String, String)]) throws -> (id: String, artifactURI: String?) {
        let (_, body) = try request("POST", "api/2.0/mlflow/runs/create", json: [
            "experiment_id": experimentID, "run_name": name, "start_time": startMilliseconds,
            "tags": tags.map { ["key": $0.0, "value": String($0.1.prefix(8000))] },
        ])
        guard let info = (body["run"] as? [String: Any])?["info"] as? [String: Any], let id = info["run_id"] as? String else {
            throw PetalError("MLflow at \(shown) did not return the new run's id")
        }
        return (id, info["artifact_uri"] as? String)
    }

    /// Logs params, metrics and tags in as many `log-batch` calls as MLflow's limits need (1000 items in all,
    /// 100 params and 100 tags a call). Values that are not finite numbers are left out (JSON has no NaN).
    public func logBatch(runID: String, params: [(String, String)], metrics: [(key: String, value: Double, step: Int, timestamp: Int64)],
                         tags: [(String, String)]) throws {
        var p = params[...], m = metrics.filter { $0.value.isFinite }[...], t = tags[...]
        repeat {
            let ps = p.prefix(100), ts = t.prefix(100)
            let ms = m.prefix(1000 - ps.count - ts.count)
            p = p.dropFirst(ps.count); t = t.dropFirst(ts.count); m = m.dropFirst(ms.count)
            _ = try request("POST", "api/2.0/mlflow/runs/log-batch", json: [
                "run_id": runID,
                "params": ps.map { ["key": $0.0, "value": String($0.1.prefix(6000))] },
                "metrics": ms.map { ["key": $0.key, "value": $0.value, "step": $0.step, "timestamp": $0.timestamp] as [String: Any] },
                "tags": ts.map { ["key": $0.0, "value": String($0.1.prefix(8000))] },
            ])
        } while !(p.isEmpty && m.isEmpty && t.isEmpty)
    }

    /// Ends a run with MLflow's status (`FINISHED`, `FAILED`, `KILLED`).
    public func updateRun(runID: String, status: String, endMilliseconds: Int64?) throws {
        var json: [String: Any] = ["run_id": runID, "status": status]
        if let endMilliseconds { json["end_time"] = endMilliseconds }
        _ = try request("POST", "api/2.0/mlflow/runs/update", json: json)
    }

    /// The ids of the active runs of an experiment whose tag `key` is `value` (a token: quotes and backticks are
    /// refused rather than escaped).
    public func runIDs(experimentID: String, taggedWith key: String, value: String) throws -> [String] {
        guard !(key + value).contains(where: { "'`\"\\".contains($0) }) else {
            throw PetalError("cannot search MLflow for the tag \(key)=\(value): it contains a quote")
        }
        let (_, body) = try request("POST", "api/2.0/mlflow/runs/search", json: [
            "experiment_ids": [experimentID], "filter": "tags.`\(key)` = '\(value)'", "max_results": 1000,
        ])
        let runs = body["runs"] as? [[String: Any]] ?? []
        return runs.compactMap { ($0["info"] as? [String: Any])?["run_id"] as? String }
    }

    /// Deletes a run (a half-sent run is deleted before it is sent again).
    public func deleteRun(runID: String) throws {
        _ = try request("POST", "api/2.0/mlflow/runs/delete", json: ["run_id": runID], allowFailure: true)
    }

    /// Uploads an artifact through the server's artifact proxy. Only possible when the run's artifact URI is
    /// `mlflow-artifacts:/…` (the server was started with artifact serving, MLflow's default since 2.0).
    /// - Returns: false when the server does not proxy artifacts (nothing was sent).
    public func uploadArtifact(artifactURI: String?, name: String, contents: Data) throws -> Bool {
        guard let uri = artifactURI, uri.hasPrefix("mlflow-artifacts:") else { return false }
        // mlflow-artifacts:/1/abc/artifacts or mlflow-artifacts://host:port/1/abc/artifacts → 1/abc/artifacts
        var rest = String(uri.dropFirst("mlflow-artifacts:".count))
        if rest.hasPrefix("//") { rest = String(rest.dropFirst(2).drop { $0 != "/" }) }
        let root = rest.split(separator: "/").map(String.init)
        let path = (root + name.split(separator: "/").map(String.init))
            .map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? $0 }
            .joined(separator: "/")
        _ = try request("PUT", "api/2.0/mlflow-artifacts/artifacts/" + path, body: contents, contentType: "application/octet-stream")
        return true
    }

    // MARK: - HTTP

    /// Sends one request and returns the status and the decoded JSON object (empty when there is none).
    /// - Throws: `PetalError` for a network failure, a timeout, or (unless `allowFailure`) a status ≥ 300.
    @discardableResult
    func request(_ method: String, _ path: String, json: [String: Any]? = nil, body: Data? = nil, contentType: String? = nil,
                 allowFailure: Bool = false) throws -> (Int, [String: Any]) {
        let root = base.absoluteString.hasSuffix("/") ? base.absoluteString : base.absoluteString + "/"
        guard let url = URL(string: root + path) else { throw PetalError("cannot make an MLflow address from \(shown) and \(path)") }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        if let json {
            request.httpBody = try? JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let (data, response, error) = Self.send(request, timeout: timeout)
        if let error {
            throw PetalError("MLflow at \(shown) did not answer: \(HTTPDownload.networkError(error, shown: shown).message)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let object = data.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any] ?? [:]
        if status >= 300 && !allowFailure { throw failure(status, object, doing: "\(method) \(path.prefix { $0 != "?" })") }
        return (status, object)
    }

    /// Runs a request to the end, or until `timeout` (plus a little) has passed.
    private static func send(_ request: URLRequest, timeout: TimeInterval) -> (Data?, URLResponse?, Error?) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout * 2
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let task = session.dataTask(with: request) { data, response, error in
            box.set(data, response, error)
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout * 2 + 1) == .timedOut {
            task.cancel()
            return (nil, nil, URLError(.timedOut))
        }
        return box.get()
    }

    private func failure(_ status: Int, _ body: [String: Any], doing what: String) -> PetalError {
        let message = (body["message"] as? String).map { ": " + $0.prefix(300) } ?? ""
        return PetalError("MLflow at \(shown) refused \(what) (HTTP \(status)\(message))")
    }
}

/// The outcome of a URLSession completion handler, handed across threads.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data?, URLResponse?, Error?) = (nil, nil, nil)
    func set(_ d: Data?, _ r: URLResponse?, _ e: Error?) { lock.withLock { value = (d, r, e) } }
    func get() -> (Data?, URLResponse?, Error?) { lock.withLock { value } }
}
