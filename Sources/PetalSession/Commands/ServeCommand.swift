import Foundation
import PetalBundle
import PetalData
import PetalML
import PetalTracking

/// `serve DIR [port=N]`, `serve P [port=N]`, `serve stop`, `serve`: an HTTP server for a bundle (or a fitted
/// pipeline of the session) running in the background while the session goes on. Its log goes to a file,
/// never to the session's screen.
public enum ServeCommand: PetalCommand {
    public static let name = "serve"
    public static let syntax = "serve DIR|P [port=N] [host=H] [token=T] [max_body=MB] [require_signature=PUBKEY] · serve stop"
    public static let summary = "serve a bundle (or a fitted pipeline) over HTTP in the background; serve stop ends it"
    static let port = CommandOption("port", .integer(0...65535), default: String(ServeOptions().port), help: "the port (0 picks a free one)")
    static let host = CommandOption("host", default: ServeOptions().host, help: "the address to listen on (127.0.0.1: this machine only)")
    static let token = CommandOption("token", placeholder: "T", help: "clients must send Authorization: Bearer T")
    static let maxBody = CommandOption("max_body", .integer(1...4096), default: String(ServeOptions().maxBodyBytes >> 20), help: "the largest body in MB (larger get 413)")
    static let requireSignature = CommandOption("require_signature", placeholder: "PUBKEY",
                                                help: "use a bundle only when it is signed by that key (export P to DIR sign=KEYFILE)")
    public static let options = [port, host, token, maxBody, requireSignature]
    /// Where a server started by `serve` logs, relative to the working folder.
    public static let logPath = ".petal/serve.log"
    public static let help = """
        Starts an HTTP server that speaks MLflow's scoring protocol, in the background: the session stays usable.
          serve bundles/iris port=8080   a bundle written by export; re-exporting it swaps the new model in
          serve p                        a fitted pipeline of this session (as it is now)
          serve                          where the server is and what it has answered
          serve stop                     stop it (requests in flight finish)
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
            return ServeOutput(server: server, state: .running, log: logPath)
        }
        if target == "stop" && args.options.isEmpty {
            guard let server = session.server else { throw PetalError("no server is running", hint: "serve DIR starts one") }
            server.stop()
            session.server = nil
            return ServeOutput(server: server, state: .stopped, log: logPath)
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
        let server: any RunningServer
        do { server = try launcher.start(model, source: source, options: options) } catch let e as ServerStartError {
            throw PetalError(e.description, hint: e.portInUse ? "port=0 picks a free port" : "check host= and port=")
        }
        session.server = server
        return ServeOutput(server: server, state: .started, log: logPath)
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

    init(server: any RunningServer, state: State, log: String) {
        let model = server.model
        url = server.url; name = model.name; task = model.task; classes = model.classes
        example = server.exampleRequest; self.state = state; self.log = log
        served = server.invocationCount
    }

    public func renderText(width: Int) -> String {
        let what = task.rawValue + (classes.isEmpty ? "" : ": " + classes.joined(separator: ", "))
        switch state {
        case .stopped:
            return "stopped the server at \(url) (\(served) prediction request\(served == 1 ? "" : "s") answered)"
        case .started, .running:
            return """
                \(state == .started ? "serving" : "running:") \(name) (\(what)) at \(url)\(state == .running ? " · \(served) prediction requests so far" : "")
                  try   curl -s \(url)/invocations -H 'Content-Type: application/json' -d '\(example)'
                  also  GET /metadata /ping /health /version /metrics /drift · log \(log) · serve stop
                """
        }
    }

    public func json() -> JSONValue {
        .object([("url", .string(url)), ("model", .string(name)), ("task", .string(task.rawValue)), ("state", .string(state.rawValue)),
                 ("example_request", .string(example)), ("log", .string(log)), ("invocations", .int(served))])
    }
}
