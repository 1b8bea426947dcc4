import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import PetalBundle
import ServiceLifecycle
import Synchronization

/// An HTTP server for one model, speaking MLflow's scoring protocol (Hummingbird underneath). It runs on its own
/// threads (`ServerExecutor`, not the cooperative pool): `start` returns once it listens, `stop` shuts it down gracefully (requests in flight finish).
public final class ModelServer: Sendable {
    public let slot: ModelSlot
    public let metrics = ServeMetrics()
    public let options: ServeOptions
    let source: (any ModelSource)?
    let logger: Logger
    private let group: Mutex<ServiceGroup?> = Mutex(nil)
    private let finished = DispatchSemaphore(value: 0)
    private let boundPort = Mutex<Int?>(nil)
    private let watcherTask = Mutex<Task<Void, Never>?>(nil)
    private let runTask = Mutex<Task<Void, Never>?>(nil)

    /// - Parameters:
    ///   - model: the model to serve first.
    ///   - source: where it came from, to reload it when it changes there (nil: serve `model` as is).
    public init(model: any ServableModel, source: (any ModelSource)? = nil, options: ServeOptions) throws {
        self.options = options
        self.source = source
        self.slot = ModelSlot(PreparedModel(model, maxBodyBytes: options.maxBodyBytes))
        self.logger = try ServeLog.logger(file: options.logFile)
        initialFingerprint = source?.fingerprint()
    }

    private let initialFingerprint: String?

    /// The address it listens on, e.g. `http://127.0.0.1:8080` (the real port when 0 was asked for).
    public var url: String {
        let port = boundPort.withLock { $0 } ?? options.port
        let host = options.host.contains(":") ? "[\(options.host)]" : options.host
        return "http://\(host):\(port)"
    }

    /// Starts listening on background threads and returns once the port is bound.
    /// - Throws: `ServerStartError` when the address cannot be bound (port in use, bad host).
    public func start() async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in launch { c.resume(with: $0) } }
        started()
    }

    /// Like `start() async`, blocking the calling thread: for plain threads (the CLI, the workbench's command
    /// loop). From a task it still works (the server runs on `ServerExecutor`), but it blocks a cooperative thread.
    public func start() throws {
        let ready = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<Void, any Error>>(.success(()))
        launch { result in outcome.withLock { $0 = result }; ready.signal() }
        ready.wait()
        try outcome.withLock { $0 }.get()
        started()
    }

    /// Runs the service group on a detached task; `bound` is called once: when the port is bound, or with the
    /// error that stopped the server before that.
    private func launch(_ bound: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        // A port another program listens on is found before the server is built: the service group's shutdown after
        // a failed bind can deadlock (swift-async-algorithms' merge lock against task cancellation), and `start`
        // then never returned (HostileBundleTests.aPortInUseIsSaidPlainly hung now and then).
        if let taken = Self.portTaken(host: options.host, port: options.port) { bound(.failure(taken)); return }
        let once = OnceFlag()
        let (headerTimeout, bodyTimeout, metrics) = (options.headerTimeout, options.bodyTimeout, self.metrics)
        let http1 = HTTPServerBuilder.http1(configuration: .init(additionalChannelHandlers: [
            ConnectionGuard(headerTimeout: headerTimeout, bodyTimeout: bodyTimeout, metrics: metrics),
        ]))
        let app = Application(router: ServeRoutes.router(self), server: http1,
                              configuration: .init(address: .hostname(options.host, port: options.port)),
                              onServerRunning: { [weak self] channel in
                                  self?.boundPort.withLock { $0 = channel.localAddress?.port }
                                  if once.claim() { bound(.success(())) }
                              }, logger: logger)
        var configuration = ServiceGroupConfiguration(services: [.init(service: app)], logger: logger)
        // Requests in flight get this long to finish on stop; then connections are cancelled (an idle keep-alive
        // client must not hold the server up).
        configuration.maximumGracefulShutdownDuration = .seconds(5)
        let group = ServiceGroup(configuration: configuration)
        self.group.withLock { $0 = group }
        let options = options
        let task = Task.detached(executorPreference: ServerExecutor.shared) { [finished, logger] in
            do { try await group.run() } catch {
                logger.error("server stopped: \(error)")
                if once.claim() { bound(.failure(ServerStartError(host: options.host, port: options.port, underlying: error))) }
            }
            if once.claim() { bound(.failure(ServerStartError(host: options.host, port: options.port, underlying: nil))) }
            finished.signal()
        }
        runTask.withLock { $0 = task }
    }

    /// `ServerStartError` (port in use) when a socket bound to `host:port` as the server binds it (SO_REUSEADDR)
    /// is refused with EADDRINUSE; nil otherwise (port 0, a host that does not resolve: the server says why).
    static func portTaken(host: String, port: Int) -> ServerStartError? {
        guard port > 0, port <= 65535 else { return nil }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else { return nil }
        defer { freeaddrinfo(first) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0, errno == EADDRINUSE else { return nil }
        return ServerStartError(host: host, port: port, portInUse: true, detail: String(cString: strerror(EADDRINUSE)))
    }

    /// After a successful start: log it and start watching the source.
    private func started() {
        logger.info("serving \(slot.current.description.name) version \(slot.current.description.version) on \(url)")
        if let source {
            let watcher = ModelWatcher(source: source, slot: slot, metrics: metrics, logger: logger, maxBodyBytes: options.maxBodyBytes,
                                       interval: options.pollInterval, servedFingerprint: initialFingerprint)
            watcherTask.withLock { $0 = Task.detached(executorPreference: ServerExecutor.shared) { await watcher.run() } }
        }
    }

    /// Blocks until the server has stopped (after `stop`); for plain threads, as `start()`.
    public func wait() {
        finished.wait()
        finished.signal()
        watcherTask.withLock { $0?.cancel() }
    }

    /// Stops accepting connections, lets requests in flight finish (5 s at most), and returns when it is down.
    public func stop() async {
        watcherTask.withLock { $0?.cancel() }
        guard let group = group.withLock({ $0 }) else { return }
        await group.triggerGracefulShutdown()
        await runTask.withLock({ $0 })?.value
        logger.info("stopped")
    }

    /// Like `stop() async`, blocking the calling thread; for plain threads, as `start()`.
    public func stop() {
        watcherTask.withLock { $0?.cancel() }
        guard let group = group.withLock({ $0 }) else { return }
        let sent = DispatchSemaphore(value: 0)
        Task.detached(executorPreference: ServerExecutor.shared) { await group.triggerGracefulShutdown(); sent.signal() }
        sent.wait()
        wait()
        logger.info("stopped")
    }
}

/// True for the first caller of `claim()` only.
final class OnceFlag: Sendable {
    private let taken = Mutex(false)
    func claim() -> Bool { taken.withLock { t in defer { t = true }; return !t } }
}

extension ServerStartError {
    /// The error for `underlying` (NIO's `IOError` says which errno: EADDRINUSE is a port in use).
    init(host: String, port: Int, underlying: (any Error)?) {
        let io = underlying as? IOError
        self.init(host: host, port: port, portInUse: io?.errnoCode == EADDRINUSE,
                  detail: io.map { String(cString: strerror($0.errnoCode)) } ?? underlying.map { "\($0)" } ?? "the server stopped before it listened")
    }
}

extension ModelServer: RunningServer {
    public var model: ModelDescription { slot.current.description }
    public var exampleRequest: String { slot.current.exampleRequest }
    public var invocationCount: Int { metrics.invocationCount }

    /// Starts a `ModelServer` for the session's `serve` command (set as `Session.serverLauncher` by the executable).
    public struct Launcher: ServerLauncher {
        public init() {}

        public func start(_ model: any ServableModel, source: (any ModelSource)?, options: ServeOptions) throws -> any RunningServer {
            let server = try ModelServer(model: model, source: source, options: options)
            try server.start()
            return server
        }
    }
}
