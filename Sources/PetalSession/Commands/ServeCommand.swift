import Foundation
import PetalBundle
import PetalData
import PetalML
import PetalFeatures
import PetalTracking

/// `serve DIR [port=N]`, `serve P [port=N]`, `serve stop`, `serve`: an HTTP server for a bundle (or a fitted
/// pipeline of the session) running in the background while the session goes on. Its log goes to a file,
/// never to the session's screen.
public enum ServeCommand: PetalCommand {
    public static let name = "serve"
    public static let syntax = "serve DIR|P [port=N] [host=H] [token=T] [max_body=MB] [require_signature=PUBKEY] [log_to=GROUP [key=COLS]] · serve stop"
    public static let summary = "serve a bundle (or a fitted pipeline) over HTTP in the background; serve stop ends it"
    static let port = CommandOption("port", .integer(0...65535), default: String(ServeOptions().port), help: "the port (0 picks a free one)")
    static let host = CommandOption("host", default: ServeOptions().host, help: "the address to listen on (127.0.0.1: this machine only)")
    static let token = CommandOption("token", placeholder: "T", help: "clients must send Authorization: Bearer T")
    static let maxBody = CommandOption("max_body", .integer(1...4096), default: String(ServeOptions().maxBodyBytes >> 20), help: "the largest body in MB (larger get 413)")
    static let requireSignature = CommandOption("require_signature", placeholder: "PUBKEY",
                                                help: "use a bundle only when it is signed by that key (export P to DIR sign=KEYFILE)")
    public static let options = [port, host, token, maxBody, requireSignature, PredictCommand.logTo, PredictCommand.key]
    /// Where a server started by `serve` logs, relative to the working folder.
    public static let logPath = ".petal/serve.log"
    public static let help = """
        Starts an HTTP server that speaks MLflow's scoring protocol, in the background: the session stays usable.
          serve bundles/iris port=8080   a bundle written by export; re-exporting it swaps the new model in
          serve p                        a fitted pipeline of this session (as it is now)
          serve                          where the server is and what it has answered
          serve stop                     stop it (requests in flight finish)
          serve p log_to=predictions     also keep every answered request's rows in a feature group, for monitor
        Endpoints: POST /invocations with JSON {"dataframe_split"|"dataframe_records"|"instances"|"inputs": …}
        or text/csv; GET /metadata (inputs, classes, an example request), /ping, /health, /version, /metrics,
        /drift (a bundle's inputs seen so far against its training data).
        Answers: {"predictions": [{"label": "setosa", "probabilities": {"setosa": 0.98, …}}, …]} for data frames
        and CSV; {"predictions": {"label": […], "probabilities": [[…], …]}} for instances/inputs (as MLflow).
        The log is \(logPath). Outside the workbench: petal serve DIR --port 8080.
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        guard context.previous.count == 1 else { return [] }  // options: from `options`, by Completion
        return ["stop"] + context.session.pipelines.filter { $0.fit != nil }.map(\.name) + Completion.paths(context.partial)
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        try args.checkPositional(max: 1, syntax: syntax)
        guard let target = args.positional.first else {
            guard let server = session.server else {
                throw PetalError("no server is running", hint: "start one: serve DIR port=8080 (a bundle from export) or serve P")
            }
            return ServeOutput(server: server, state: .running, log: logPath,
                               logged: session.serverLog.map { ($0.group, $0.written) })
        }
        if target == "stop" && args.options.isEmpty {
            guard let server = session.server else { throw PetalError("no server is running", hint: "serve DIR starts one") }
            let group = session.serverLog?.group
            let counts = session.close()
            return ServeOutput(server: server, state: .stopped, log: logPath, logged: group.map { ($0, counts ?? .init()) })
        }
        if let running = session.server {
            throw PetalError("a server is already running at \(running.url)", hint: "serve stop first, then serve again")
        }
        var options = ServeOptions()
        options.port = try args.int(Self.port)
        options.host = args.text(Self.host) ?? options.host
        options.token = args.text(Self.token)
        options.maxBodyBytes = try args.int(Self.maxBody) << 20
        try FileManager.default.createDirectory(atPath: (logPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        options.logFile = logPath
        let key = try args.text(Self.requireSignature).map { try BundleVerifyingKey(file: $0) }

        let model: any ServableModel
        var source: (any ModelSource)?
        if let entry = session.pipelines.first(where: { $0.name == target }) {
            guard key == nil else {
                throw PetalError("require_signature= serves signed bundles only; \(entry.name) is a pipeline of this session",
                                hint: "export \(entry.name) to DIR sign=KEYFILE, then serve DIR require_signature=PUBKEY")
            }
            let fit = try entry.fitted()
            let frame = (try? session.dataset(fit.dataset))?.frame
            model = PipelineModel(fit.model, name: entry.name, exampleFrame: frame)
        } else if !FileManager.default.fileExists(atPath: target), TrackingStore.isModelReference(target), let tracker = session.tracker {
            // A registered model: served from its version's bundle, switching when the alias moves.
            let registry = try RegistrySource(reference: target, trackingFolder: tracker.folder, requireSignature: key)
            model = try registry.load()
            source = registry
        } else {
            if PathArgument.looksLikePath(target), !PathArgument.exists(target) { throw PathArgument.missing(target, what: "bundle folder") }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: target, isDirectory: &isFolder), isFolder.boolValue else {
                let fitted = session.pipelines.filter { $0.fit != nil }.map(\.name)
                throw PetalError("\(target) is neither a bundle folder nor a fitted pipeline",
                                hint: "export P to DIR writes a bundle" + (fitted.isEmpty ? "" : "; fitted pipelines: " + fitted.joined(separator: ", ")))
            }
            let bundle = BundleSource(directory: URL(fileURLWithPath: target), requireSignature: key)
            model = try bundle.load()
            source = bundle
        }
        guard let launcher = session.serverLauncher else {
            throw PetalError("this program cannot serve over HTTP", hint: "run petal serve \(target) from a shell")
        }
        let writer = try args.text(PredictCommand.logTo).map { group in
            try predictionLog(group: group, key: args.text(PredictCommand.key), source: source, name: target, session: session)
        }
        options.recorder = writer
        let server: any RunningServer
        do { server = try launcher.start(model, source: source, options: options) } catch let e as ServerStartError {
            _ = writer?.close()
            throw PetalError(e.description, hint: e.portInUse ? "port=0 picks a free port" : "check host= and port=")
        }
        session.server = server
        session.serverLog = writer
        return ServeOutput(server: server, state: .started, log: logPath, logged: writer.map { ($0.group, $0.written) })
    }

    /// The writer that keeps the server's predictions in feature group `group` of the project's store (opened
    /// again on the writer's own thread; the store is checked here first, so a bad one fails `serve`, not the
    /// first write). Failed writes go to the server's log.
    static func predictionLog(group: String, key: String?, source: (any ModelSource)?, name: String, session: Session) throws -> PredictionLogWriter {
        guard let tracker = session.tracker else {
            throw PetalError("log_to= needs the project's feature store, and this session has none",
                            hint: "the petal command line keeps one in .petal/ (or PETAL_HOME)")
        }
        _ = try session.requireFeatureStore()
        let folder = tracker.folder, clock = tracker.store?.clock
        let registry = source as? RegistrySource
        let modelName: (ModelDescription) -> String = { d in
            if let registry { return registry.fingerprint() ?? d.name }
            return source == nil ? name : PredictionLog.modelName(bundle: name, manifestName: d.name)
        }
        return PredictionLogWriter(
            group: group, key: key.map { $0.split(separator: ",").map(String.init) },
            openStore: { try FeatureStores.open(folder: folder, now: { clock?.now() ?? Date().timeIntervalSince1970 }) },
            modelName: modelName,
            report: { message in
                guard let handle = FileHandle(forWritingAtPath: logPath) else { return }
                defer { try? handle.close() }
                _ = try? handle.seekToEnd()
                try? handle.write(contentsOf: Data("warning: prediction log: \(message)\n".utf8))
            })
    }
}

/// What `serve` reports: the URL, the model, an example request, and where the log is.
public struct ServeOutput: CommandOutput {
    public enum State: String, Sendable { case started, running, stopped }
    public var url: String
    public var name: String
    public var task: LearningTask
    public var classes: [String]
    public var example: String
    public var state: State
    public var log: String
    public var served: Int
    /// The feature group predictions are kept in (`log_to=`) and what has been written there.
    public var logged: (group: String, counts: PredictionLogWriter.Counts)?

    init(server: any RunningServer, state: State, log: String, logged: (String, PredictionLogWriter.Counts)? = nil) {
        let model = server.model
        url = server.url; name = model.name; task = model.task; classes = model.classes
        example = server.exampleRequest; self.state = state; self.log = log
        served = server.invocationCount
        self.logged = logged.map { (group: $0.0, counts: $0.1) }
    }

    /// "logged 3 predictions to feature group predictions" (with drops and failed writes when there were any).
    var loggedText: String? {
        guard let (group, c) = logged else { return nil }
        return "logged \(c.written) prediction\(c.written == 1 ? "" : "s") to feature group \(group)"
            + (c.dropped > 0 ? "; \(c.dropped) dropped (the store fell behind)" : "")
            + (c.failedInserts > 0 ? "; \(c.failedInserts) writes failed (see \(log))" : "")
    }

    public func renderText(width: Int) -> String {
        let what = task.rawValue + (classes.isEmpty ? "" : ": " + classes.joined(separator: ", "))
        switch state {
        case .stopped:
            return "stopped the server at \(url) (\(served) prediction request\(served == 1 ? "" : "s") answered)"
                + (loggedText.map { "; " + $0 } ?? "")
        case .started, .running:
            return """
                \(state == .started ? "serving" : "running:") \(name) (\(what)) at \(url)\(state == .running ? " · \(served) prediction requests so far" : "")
                  try   curl -s \(url)/invocations -H 'Content-Type: application/json' -d '\(example)'
                  also  GET /metadata /ping /health /version /metrics /drift · log \(log) · serve stop
                """ + (logged.map { "\n  predictions go to feature group \($0.group)" + (state == .running ? " (\(loggedText ?? ""))" : "") } ?? "")
        }
    }

    public func json() -> JSONValue {
        .object([("url", .string(url)), ("model", .string(name)), ("task", .string(task.rawValue)), ("state", .string(state.rawValue)),
                 ("example_request", .string(example)), ("log", .string(log)), ("invocations", .int(served)),
                 ("logged_to", logged.map { .string($0.group) } ?? .null), ("logged", logged.map { .int($0.counts.written) } ?? .null)])
    }
}
