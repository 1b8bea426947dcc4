import PetalData
import PetalTracking

/// `register P as NAME` / `register run N as NAME`: adds the next version of a named model to the registry,
/// pointing at the run whose saved model it is.
public enum RegisterCommand: PetalCommand {
    public static let name = "register"
    public static let syntax = "register P as NAME  |  register run N as NAME"
    public static let summary = "register a fitted pipeline (or a run's model) as the next version of a named model"
    public static let help = """
        Versions count up from 1. Use a version as NAME/VERSION or through an alias (alias NAME@champion 2) as
        NAME@champion — evaluate and predict take either where they take a pipeline; NAME@latest is the newest.
        Examples:
          register p as iris-classifier
          register run 5 as iris-classifier
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        context.previous.count == 1 ? (["run"] + context.session.pipelines.map(\.name)).filter { $0.hasPrefix(context.partial) } : []
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        guard let model = args.alias, !model.isEmpty else { throw PetalError("register needs as NAME", hint: "usage: \(syntax)") }
        guard !model.contains("@"), !model.contains("/") else {
            throw PetalError("a model name cannot hold @ or /", hint: "they separate aliases and versions: NAME@alias, NAME/2")
        }
        let store = try session.requireStore()
        let runID: Int
        let source: String
        if args.positional.first?.lowercased() == "run" {
            try args.checkPositional(max: 2, syntax: syntax)
            runID = try RunFormatting.runID(args.positional[safe: 1], verb: name, syntax: syntax)
            source = "run \(runID)"
        } else {
            try args.checkPositional(max: 1, syntax: syntax)
            let p = try args.required(0, "a fitted pipeline or run N", syntax: syntax)
            let fit = try session.pipeline(p).fitted()
            guard let id = fit.runID else {
                throw PetalError("\(p)'s fit was not recorded as a run", hint: "fit it again with tracking on, then register it")
            }
            runID = id
            source = "\(p) (run \(runID))"
        }
        guard try store.artifact("model.json", run: runID) != nil else {
            throw PetalError("run \(runID) has no saved model", hint: "only fit runs save one; runs where kind = \"fit\" lists them")
        }
        let version = try store.register(model, run: runID)
        // A serving bundle beside the store, so that petal serve NAME@alias can serve (and switch) versions.
        var warnings: [DataWarning] = []
        do {
            try RegistryBundles.write(model: model, version: version, session: session, store: store)
        } catch {
            warnings.append(DataWarning("no serving bundle for \(model)/\(version): \(error) (petal serve \(model)@ALIAS needs one; export it instead)"))
        }
        return MessageOutput("registered \(source) as \(model)/\(version)" + (version == 1 ? " (alias it: alias \(model)@champion 1)" : ""),
                             fields: [("model", .string(model)), ("version", .int(version)), ("run_id", .int(runID))], warnings: warnings)
    }
}
