/// How a server listens and what it allows.
public struct ServeOptions: Sendable {
    /// The address to bind: 127.0.0.1 unless asked otherwise (`--host 0.0.0.0` to serve other machines).
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one (its number is in `ModelServer.url`).
    public var port = 8080
    /// When set, every endpoint but `/ping` and `/health` needs `Authorization: Bearer TOKEN`.
    public var token: String?
    /// Larger bodies are refused with 413.
    public var maxBodyBytes = 10 << 20
    /// How often a `ModelSource` is checked for a new model.
    public var pollInterval: Duration = .seconds(1)
    /// Where the server logs (start, reloads, refused requests): a file, "-" for standard error, nil for nowhere.
    public var logFile: String?
    /// A request's head must arrive within this time of the connection opening or the previous answer (also how
    /// long an idle keep-alive connection stays open); a client that is slower is disconnected.
    public var headerTimeout: Duration = .seconds(10)
    /// A request's body must arrive within this time of its head.
    public var bodyTimeout: Duration = .seconds(60)
    /// When set, every answered `/invocations` request's rows and predictions are handed to it (`--log-to`).
    public var recorder: (any PredictionRecorder)?

    public init() {}
}
