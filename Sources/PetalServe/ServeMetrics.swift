import Foundation
import PetalBundle
import Synchronization

/// Counters the server keeps, rendered for `/metrics` in Prometheus' text format: requests by path and status,
/// refused invocations by reason, an `/invocations` latency histogram, rows predicted, predicted-class counts,
/// and model reloads.
public final class ServeMetrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10]
    /// The paths counted by name; anything else counts as "other" (so scanners cannot grow the label set).
    /// `(unparsed)` counts requests refused by the HTTP parser before any path was read.
    static let paths = ["/invocations", "/ping", "/health", "/version", "/metadata", "/metrics", "/drift", "(unparsed)"]

    struct State {
        var requests: [RequestKey: Int] = [:]
        var refused: [String: Int] = [:]       // error_code
        var bucketCounts = [Int](repeating: 0, count: ServeMetrics.buckets.count)
        var latencyCount = 0
        var latencySum = 0.0
        var rows = 0
        var classes: [String: Int] = [:]
        var reloads = 0
        var failedReloads = 0
        var closedConnections: [String: Int] = [:]  // reason
    }

    private let state = Mutex(State())
    let started = Date()

    public init() {}

    /// A path (index into `paths`, or `paths.count` for any other) and a status.
    struct RequestKey: Hashable { var path: Int; var status: Int }

    /// One request answered.
    func recordRequest(path: String, status: Int, seconds: Double?) {
        let key = RequestKey(path: ServeMetrics.paths.firstIndex(of: path) ?? ServeMetrics.paths.count, status: status)
        state.withLock { s in
            s.requests[key, default: 0] += 1
            if let seconds {
                s.latencyCount += 1
                s.latencySum += seconds
                if let b = ServeMetrics.buckets.firstIndex(where: { seconds <= $0 }) { s.bucketCounts[b] += 1 }
            }
        }
    }

    /// A request the HTTP parser refused (400) before its head was read: a malformed request line or header.
    func recordUnparsedRequest() {
        recordRequest(path: "(unparsed)", status: 400, seconds: nil)
    }

    /// A connection the server closed on its own: `header_timeout`, `body_timeout`.
    func recordClosedConnection(reason: String) {
        state.withLock { $0.closedConnections[reason, default: 0] += 1 }
    }

    /// An invocation refused with `code` (BAD_REQUEST, …).
    func recordRefusal(code: String) {
        state.withLock { $0.refused[code, default: 0] += 1 }
    }

    /// Rows predicted, with the predicted class of each (codes into `classes`) for a classifier.
    func recordPredictions(_ predictions: Predictions, classes: [String]) {
        guard case .classes(let codes, _) = predictions, codes.count > 1 else {
            // One row (the common case): no per-class tally array.
            state.withLock { s in
                s.rows += predictions.count
                if case .classes(let codes, _) = predictions, let c = codes.first, c < classes.count { s.classes[classes[c], default: 0] += 1 }
            }
            return
        }
        var perClass = [Int](repeating: 0, count: classes.count)
        for c in codes where c < perClass.count { perClass[c] += 1 }
        state.withLock { s in
            s.rows += codes.count
            for (c, n) in perClass.enumerated() where n > 0 { s.classes[classes[c], default: 0] += n }
        }
    }

    /// `/invocations` requests answered so far (any status).
    public var invocationCount: Int {
        state.withLock { s in s.requests.filter { $0.key.path == 0 }.values.reduce(0, +) }
    }

    /// Reloads that failed so far (a changed source that did not load).
    public var failedReloadCount: Int { state.withLock { $0.failedReloads } }

    func recordReload(ok: Bool) {
        state.withLock { if ok { $0.reloads += 1 } else { $0.failedReloads += 1 } }
    }

    /// The Prometheus text exposition (format 0.0.4).
    func text(model: ModelDescription) -> String {
        let s = state.withLock { $0 }
        var out = ""
        out += "# HELP petal_requests_total HTTP requests answered, by path and status.\n# TYPE petal_requests_total counter\n"
        for key in s.requests.keys.sorted(by: { ($0.path, $0.status) < ($1.path, $1.status) }) {
            let path = key.path < ServeMetrics.paths.count ? ServeMetrics.paths[key.path] : "other"
            out += "petal_requests_total{path=\"\(path)\",status=\"\(key.status)\"} \(s.requests[key] ?? 0)\n"
        }
        out += "# HELP petal_invocation_errors_total Invocations refused, by error code.\n# TYPE petal_invocation_errors_total counter\n"
        for key in s.refused.keys.sorted() { out += "petal_invocation_errors_total{code=\"\(key)\"} \(s.refused[key] ?? 0)\n" }
        out += "# HELP petal_invocation_duration_seconds Time to answer /invocations.\n# TYPE petal_invocation_duration_seconds histogram\n"
        var cumulative = 0
        for (b, bound) in ServeMetrics.buckets.enumerated() {
            cumulative += s.bucketCounts[b]
            out += "petal_invocation_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
        }
        out += "petal_invocation_duration_seconds_bucket{le=\"+Inf\"} \(s.latencyCount)\n"
        out += "petal_invocation_duration_seconds_sum \(s.latencySum)\n"
        out += "petal_invocation_duration_seconds_count \(s.latencyCount)\n"
        out += "# HELP petal_predicted_rows_total Rows predicted.\n# TYPE petal_predicted_rows_total counter\n"
        out += "petal_predicted_rows_total \(s.rows)\n"
        out += "# HELP petal_predicted_class_total Rows predicted as each class.\n# TYPE petal_predicted_class_total counter\n"
        for key in s.classes.keys.sorted() { out += "petal_predicted_class_total{class=\"\(ServeMetrics.escape(key))\"} \(s.classes[key] ?? 0)\n" }
        out += "# HELP petal_model_reloads_total Models swapped in after the source changed, and reloads that failed.\n"
        out += "# TYPE petal_model_reloads_total counter\n"
        out += "petal_model_reloads_total{result=\"ok\"} \(s.reloads)\npetal_model_reloads_total{result=\"failed\"} \(s.failedReloads)\n"
        out += "# HELP petal_connections_closed_total Connections the server closed because a request did not arrive in time.\n"
        out += "# TYPE petal_connections_closed_total counter\n"
        for reason in ["header_timeout", "body_timeout"] {
            out += "petal_connections_closed_total{reason=\"\(reason)\"} \(s.closedConnections[reason] ?? 0)\n"
        }
        out += "# HELP petal_model_info The model being served.\n# TYPE petal_model_info gauge\n"
        out += "petal_model_info{name=\"\(ServeMetrics.escape(model.name))\",version=\"\(ServeMetrics.escape(model.version))\"} 1\n"
        out += "# HELP petal_uptime_seconds Seconds since the server started.\n# TYPE petal_uptime_seconds gauge\n"
        out += "petal_uptime_seconds \(Date().timeIntervalSince(started))\n"
        return out
    }

    /// A label value with backslashes, quotes and line feeds escaped.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
