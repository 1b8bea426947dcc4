import ArgumentParser
import Dispatch
import Foundation
import PetalBundle
import PetalFeatures
import PetalServe
import PetalSession
import PetalTracking

/// `petal serve BUNDLE`: the bundle over HTTP, speaking MLflow's scoring protocol, until Ctrl-C or SIGTERM.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a bundle over HTTP (MLflow's /invocations protocol).",
        discussion: """
        Endpoints: POST /invocations (JSON with dataframe_split, dataframe_records, instances or inputs; or text/csv), \
        GET /ping, /health, /version, /metadata (inputs and an example request), /metrics (Prometheus), \
        /drift (the latest 10,000 rows answered against the training data). \
        Answers: {"predictions": [{"label": "setosa", "probabilities": {"setosa": 0.97, …}}, …]} for data-frame and CSV \
        requests, {"predictions": {"label": [...], "probabilities": [[...], ...]}} for instances/inputs (as MLflow). \
        The bundle's petal.json is checked every second: a re-exported bundle is verified and swapped in without \
        dropping requests. Bad requests get 400 (naming the field, the expected type and the row; values that are \
        not finite numbers, booleans for number fields, and inputs that overflow inside the pipeline included), \
        413 (too large; the connection is then closed), 415 (content type). Clients slower than --header-timeout \
        for a request's head or --body-timeout for its body are disconnected. With --require-signature PUBKEY \
        only a bundle signed by that key (export P to DIR sign=KEYFILE; petal keygen makes keys) is served, at \
        start and on every reload. With --log-to GROUP every answered request's rows are kept in that feature group of \
        the project (inputs, prediction, model as NAME/VERSION for a registered model, predicted_at), as petal predict \
        --log-to does, for monitor: they are queued and written once a second by a thread of their own, so answers \
        do not wait on the store; rows still queued are written when the server stops.
        """
    )

    @Argument(help: "The bundle folder (written by `export P to DIR`), or a registered model: NAME@alias or NAME/version.")
    var bundle: String

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "The address to bind; 127.0.0.1 serves this machine only, 0.0.0.0 every interface.")
    var host = "127.0.0.1"

    @Option(help: "Require `Authorization: Bearer TOKEN` on every endpoint but /ping and /health (default: $PETAL_SERVE_TOKEN).")
    var token: String?

    @Option(name: .customLong("max-body"), help: "Refuse request bodies larger than this many megabytes (413).")
    var maxBody = 10

    @Option(help: "Append the server's log (start, reloads, refused requests) to this file; - for standard error.")
    var log = "-"

    @Option(name: .customLong("header-timeout"), help: "Seconds a client has to send a request's head (also how long an idle connection stays open).")
    var headerTimeout = 10.0

    @Option(name: .customLong("body-timeout"), help: "Seconds a client has to send a request's body once its head has arrived.")
    var bodyTimeout = 60.0

    @Option(name: .customLong("require-signature"), help: "Serve only a bundle signed by this public key file (from petal keygen).")
    var requireSignature: String?

    @Option(name: .customLong("log-to"), help: "Keep every answered request's rows in this feature group of the project (.petal/ or PETAL_HOME; PETAL_FEATURE_STORE): inputs, prediction, model and predicted_at, for monitor.")
    var logTo: String?

    @Option(help: "With --log-to: the columns outcomes will be joined on, comma-separated (default: every input column).")
    var key: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard maxBody > 0 && maxBody <= 4096 else { throw ValidationError("--max-body is in megabytes, 1…4096") }
        guard headerTimeout > 0 && headerTimeout <= 3600, bodyTimeout > 0 && bodyTimeout <= 3600 else {
            throw ValidationError("--header-timeout and --body-timeout are seconds, more than 0 and at most 3600")
        }
    }

    func run() throws {
        var options = ServeOptions()
        options.host = host
        options.port = port
        options.token = token ?? ProcessInfo.processInfo.environment["PETAL_SERVE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        options.maxBodyBytes = maxBody << 20
        options.logFile = log
        options.headerTimeout = .milliseconds(Int64(headerTimeout * 1000))
        options.bodyTimeout = .milliseconds(Int64(bodyTimeout * 1000))
        let server: ModelServer
        var writer: PredictionLogWriter?
        do {
            let key = try requireSignature.map { try BundleVerifyingKey(file: $0) }
            // A bundle folder, or a registered model (NAME@alias, NAME/version) served from its version's bundle.
            if !PathArgument.exists(bundle), !TrackingStore.isModelReference(bundle) { throw PathArgument.missing(bundle, what: "bundle folder") }
            let source: any ModelSource = !FileManager.default.fileExists(atPath: bundle) && TrackingStore.isModelReference(bundle)
                ? try RegistrySource(reference: bundle, trackingFolder: Tracker.defaultFolder(), requireSignature: key)
                : BundleSource(directory: URL(fileURLWithPath: bundle), requireSignature: key)
            let model = try source.load()
            if let logTo {
                // The store is opened once here, so a bad PETAL_FEATURE_STORE or folder fails the start, not the first write.
                _ = try FeatureStores.open(folder: Tracker.defaultFolder(), now: { Date().timeIntervalSince1970 })
                let registry = source as? RegistrySource
                let bundle = self.bundle
                writer = PredictionLogWriter(
                    group: logTo, key: self.key.map { $0.split(separator: ",").map(String.init) },
                    openStore: { try FeatureStores.open(folder: Tracker.defaultFolder(), now: { Date().timeIntervalSince1970 }) },
                    modelName: { d in registry?.fingerprint() ?? PredictionLog.modelName(bundle: bundle, manifestName: d.name) },
                    report: { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) })
                options.recorder = writer
            }
            server = try ModelServer(model: model, source: source, options: options)
            try server.start()
        } catch var e as ServerStartError {
            e.portOption = "--port N"
            FileHandle.standardError.write(Data("error: \(e)\n".utf8))
            throw ExitCode(1)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let d = server.slot.current.description
        print("serving \(d.name) (\(d.task.rawValue), version \(d.version)) on \(server.url)")
        print("  POST \(server.url)/invocations · GET /metadata /ping /health /version /metrics /drift · Ctrl-C stops")
        fflush(nil)
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { server.stop() }
            s.resume()
            sources.append(s)
        }
        if let writer { print("  logging predictions to feature group \(writer.group)") }
        fflush(nil)
        server.wait()
        withExtendedLifetime(sources) {}
        if let counts = writer?.close() {
            print("logged \(counts.written) predictions to feature group \(logTo ?? "")"
                  + (counts.dropped > 0 ? "; \(counts.dropped) dropped (the store fell behind)" : "")
                  + (counts.failedInserts > 0 ? "; \(counts.failedInserts) writes failed (see the warnings)" : ""))
        }
        print("stopped")
    }
}
