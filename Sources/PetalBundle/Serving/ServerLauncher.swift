/// A model server that is listening: what a session holds after `serve` and asks when the user types `serve`.
///
/// PetalServe's `ModelServer` conforms. The protocol lives below PetalServe so that PetalSession, which runs the
/// `serve` command, never imports the HTTP stack (NIO, Hummingbird): the executable injects a `ServerLauncher`
/// (`Session.serverLauncher`), and everything above the session builds without the server.
public protocol RunningServer: AnyObject, Sendable {
    /// Where it listens, e.g. `http://127.0.0.1:8080` (the real port when 0 was asked for).
    var url: String { get }
    /// The model new requests are answered by (it changes when its source is re-exported or its alias moves).
    var model: ModelDescription { get }
    /// A one-row request for the current model, as `/metadata` shows it.
    var exampleRequest: String { get }
    /// How many `/invocations` requests it has answered.
    var invocationCount: Int { get }
    /// Stops accepting connections, lets requests in flight finish, and returns when it is down.
    func stop()
}

/// Starts a server for a model, blocking until it listens. PetalServe's `ModelServer.Launcher` is the one
/// implementation; tests and embedders that never serve leave `Session.serverLauncher` nil.
public protocol ServerLauncher: Sendable {
    /// - Parameters:
    ///   - model: the model to serve first.
    ///   - source: where it came from, to reload it when it changes there (nil: serve `model` as is).
    /// - Throws: `ServerStartError` when the address cannot be bound; errors opening the log file.
    func start(_ model: any ServableModel, source: (any ModelSource)?, options: ServeOptions) throws -> any RunningServer
}
