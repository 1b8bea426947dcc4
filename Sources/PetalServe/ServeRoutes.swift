import Foundation
import Hummingbird
import Logging
import PetalBundle

/// The routes: `/invocations`, `/ping`, `/health`, `/version`, `/metadata`, `/metrics`, behind the bearer-token
/// check (when a token is set) and the request counter.
enum ServeRoutes {
    static func router(_ server: ModelServer) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: CountingMiddleware(metrics: server.metrics))
        if let token = server.options.token { router.add(middleware: BearerAuth(token: token)) }
        let invocations = Invocations(slot: server.slot, metrics: server.metrics, maxBodyBytes: server.options.maxBodyBytes,
                                      logger: server.logger, recorder: server.options.recorder)
        let slot = server.slot, metrics = server.metrics
        router.post("invocations") { request, _ in await invocations.respond(request) }
        router.get("invocations") { _, _ in
            error(ServeError(.methodNotAllowed, "use POST /invocations with a JSON or CSV body"))
        }
        // MLflow answers "\n" once the model is loaded; a server always has one.
        router.get("ping") { _, _ in text("\n") }
        router.get("health") { _, _ in text("\n") }
        // Load balancers and uptime checkers often probe with HEAD: the same answer without a body.
        router.head("ping") { _, _ in text("") }
        router.head("health") { _, _ in text("") }
        router.get("version") { _, _ in
            let d = slot.current.description
            var out = JSONOut()
            out.raw("{\"petal\":"); out.string(PetalVersion.current)
            out.raw(",\"model\":"); out.string(d.name)
            out.raw(",\"model_version\":"); out.string(d.version); out.raw("}\n")
            return json(out.bytes)
        }
        router.get("metadata") { _, _ in json(slot.current.metadata) }
        router.get("drift") { _, _ in drift(slot.current) }
        router.get("metrics") { _, _ in
            text(metrics.text(model: slot.current.description), type: "text/plain; version=0.0.4; charset=utf-8")
        }
        return router
    }

    /// `GET /drift`: the inputs this model has answered (the latest 10,000 rows) against its training data.
    static func drift(_ model: PreparedModel) -> Response {
        do {
            let (frame, seen) = try model.window.snapshot()
            var out = JSONOut(capacity: 1024)
            out.raw("{\"model\":"); out.string(model.description.name)
            out.raw(",\"rows_seen\":"); out.int(seen)
            out.raw(",\"rows_compared\":"); out.int(frame.rowCount)
            guard frame.rowCount > 0 else {
                out.raw(",\"moved\":[],\"columns\":[],\"rows_needed\":\(DriftReport.minimumRows),\"message\":\"no rows answered yet; drift judges a column from \(DriftReport.minimumRows) rows\"}\n")
                return json(out.bytes)
            }
            guard let report = try model.model.drift(of: frame) else {
                return error(ServeError(.notAvailable, "drift needs the training statistics of a bundle; serve an exported bundle (export P to DIR) to get it"))
            }
            out.raw(",\"training_rows\":"); out.int(report.trainingRows)
            out.raw(",\"rows_needed\":"); out.int(DriftReport.minimumRows)
            if let note = report.rowsNote { out.raw(",\"message\":"); out.string(note) }
            out.raw(",\"moved\":[")
            for (k, name) in report.moved.enumerated() { if k > 0 { out.byte(UInt8(ascii: ",")) }; out.string(name) }
            out.raw("],\"columns\":[")
            for (k, c) in report.columns.enumerated() {
                if k > 0 { out.byte(UInt8(ascii: ",")) }
                out.raw("{\"name\":"); out.string(c.name)
                out.raw(",\"status\":"); out.string(c.status)
                out.raw(",\"psi\":"); out.number(c.psi)
                out.raw(",\"psi_p_value\":"); out.number(c.psiPValue)
                out.raw(",\"ks\":"); if let ks = c.ks { out.number(ks) } else { out.raw("null") }
                out.raw(",\"ks_p_value\":"); if let p = c.pValue { out.number(p) } else { out.raw("null") }
                out.raw(",\"null_share\":"); out.number(c.nullShare)
                out.raw(",\"training_null_share\":"); out.number(c.trainingNullShare)
                out.byte(UInt8(ascii: "}"))
            }
            out.raw("]}\n")
            return json(out.bytes)
        } catch {
            return ServeRoutes.error(ServeError(.internalError, "drift failed: \(error)"))
        }
    }

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func text(_ s: String, type: String = "text/plain; charset=utf-8") -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: s)))
    }

    static func error(_ e: ServeError) -> Response { json(e.json, status: .init(code: e.status)) }
}

/// Refuses requests without `Authorization: Bearer TOKEN` (401), except the liveness probes `/ping` and `/health`.
struct BearerAuth: RouterMiddleware {
    typealias Context = BasicRequestContext
    let expected: [UInt8]

    init(token: String) { expected = Array("Bearer \(token)".utf8) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/ping" || path == "/health" { return try await next(request, context) }
        guard let given = request.headers[.authorization], BearerAuth.equal(Array(given.utf8), expected) else {
            var response = ServeRoutes.error(ServeError(.unauthenticated, "this server needs a token: send Authorization: Bearer TOKEN"))
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return try await next(request, context)
    }

    /// Compares in time that depends only on the lengths, not on where the bytes first differ.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}

/// Counts every answered request by path and status, and times `/invocations`.
struct CountingMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let metrics: ServeMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let path = request.uri.path
        let timed = path == "/invocations" && request.method == .post
        do {
            let response = try await next(request, context)
            metrics.recordRequest(path: path, status: response.status.code, seconds: timed ? (ContinuousClock.now - start).seconds : nil)
            return response
        } catch let e as any HTTPResponseError {
            metrics.recordRequest(path: path, status: e.status.code, seconds: nil)
            if e.status == .notFound {
                return ServeRoutes.error(ServeError(.notFound, "no endpoint \(request.method) \(path); try POST /invocations, GET /metadata, /ping, /health, /version, /metrics, /drift"))
            }
            throw e
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// The server's logger: lines appended to a file, or nothing, so a server inside the workbench never writes
/// over the session's output.
enum ServeLog {
    static func logger(file: String?) throws -> Logger {
        guard let file else { return Logger(label: "petal.serve") { _ in SwiftLogNoOpLogHandler() } }
        if file == "-" {
            var logger = Logger(label: "petal.serve") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = .info
            return logger
        }
        let handle = try FileLogHandler.Sink(path: file)
        var logger = Logger(label: "petal.serve") { label in FileLogHandler(label: label, sink: handle) }
        logger.logLevel = .info
        return logger
    }
}

/// A swift-log handler that appends `time level message` lines to a file.
struct FileLogHandler: LogHandler {
    final class Sink: @unchecked Sendable {
        let handle: FileHandle
        let lock = NSLock()
        init(path: String) throws {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw ServeError(.logFailed, "cannot create the log file \(path); check the folder exists and is writable")
                }
            }
            guard let h = FileHandle(forWritingAtPath: path) else {
                throw ServeError(.logFailed, "cannot write the log file \(path)")
            }
            h.seekToEndOfFile()
            handle = h
        }
        func write(_ line: String) { lock.lock(); handle.write(Data(line.utf8)); lock.unlock() }
    }

    let label: String
    let sink: Sink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withInternetDateTime])
        sink.write("\(stamp) \(event.level) \(event.message)\n")
    }
}
