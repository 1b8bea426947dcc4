import Foundation
import PetalData
import PetalBundle
import PetalTracking
import PetalFeatures

/// A named data set in a session, with where it came from.
public struct Dataset: Sendable {
    public var name: String
    public var frame: Frame
    /// The file (or query) it was loaded from, or the command that derived it.
    public var source: String
    /// The feature view its rows came from (`training_data`, or `fit P on VIEW`), which runs record.
    public var view: ViewReference? = nil
}

/// A feature view's version and the time its rows are as of (µs since 1970).
public struct ViewReference: Sendable, Hashable {
    public var name: String
    public var version: Int
    public var asOf: Int64
}

/// The state commands run on: the open data sets and rendering settings.
/// A session is used from one thread at a time (the REPL, a script, or the workbench's UI thread).
public final class Session: @unchecked Sendable {
    public private(set) var datasets: [Dataset] = []
    /// Pipelines defined with `pipeline`, fitted or not.
    public internal(set) var pipelines: [PipelineEntry] = []
    /// The width text output is laid out for.
    public var width: Int
    /// Whether text output may use Unicode block characters (false falls back to ASCII).
    public var unicode: Bool
    /// How this session's text output is laid out (its width and character set), for `renderText(in:)`.
    public var renderContext: RenderContext { RenderContext(width: width, unicode: unicode) }

    /// Told when a file starts and stops loading, to show progress and offer cancelling (the REPL's Ctrl-C).
    public var loadObserver: (any LoadObserver)?

    /// The experiment log runs are recorded in (`fit`, `cv`, `search`); nil records nothing (the default, so tests
    /// and embedders never touch a user's `.petal/`). See `Tracking/Tracker.swift`.
    public var tracker: Tracker?
    /// The commands that succeeded, with the names each defined and used, for a run's lineage (`Tracking/CommandLog.swift`).
    public internal(set) var commandLog = CommandLog()
    /// The feature store (`features`, `feature_view`, `training_data`); nil until first used, then the project's
    /// (see `Features/FeatureStoreAccess.swift`). Tests set one of their own.
    public var featureStore: FeatureStore?
    /// Starts job scripts for `jobs run-due` (the executable sets one that runs `petal jobs exec` in a child process).
    public var jobLauncher: (any JobLauncher)?
    /// False when output must not depend on the machine's speed (notebooks under `--check`): `leaderboard` and
    /// `automl` then print no timings and `automl` counts its budget on a virtual clock (`WorkBudget`).
    public var measuresTime = true
    /// Starts HTTP servers for `serve` (the executable sets PetalServe's `ModelServer.Launcher`; without one,
    /// `serve` says it is not available). Injected so that the session does not depend on the HTTP stack.
    public var serverLauncher: (any ServerLauncher)?
    /// The HTTP server `serve` runs in the background of this session (nil when none); `serve stop` ends it.
    public internal(set) var server: (any RunningServer)?
    /// Where that server keeps its predictions (`serve … log_to=GROUP`); `serve stop` and `close()` write what is queued.
    public internal(set) var serverLog: PredictionLogWriter?

    /// Ends what the session runs in the background: stops its server (requests in flight finish) and writes the
    /// predictions its log still has queued. Programs call it before they exit; a session that serves nothing
    /// has nothing to do.
    @discardableResult
    public func close() -> PredictionLogWriter.Counts? {
        server?.stop()
        server = nil
        defer { serverLog = nil }
        return serverLog?.close()
    }

    public init(width: Int = 80, unicode: Bool = true) {
        self.width = width
        self.unicode = unicode
    }

    /// A session that records runs in `trackingFolder` (created when missing; see `Tracker`).
    public convenience init(width: Int = 80, unicode: Bool = true, trackingFolder: String, clock: TrackingClock = .system) {
        self.init(width: width, unicode: unicode)
        tracker = Tracker(folder: trackingFolder, clock: clock)
    }

    // MARK: - Data sets

    /// The data set called `name`, or an error listing those that exist.
    public func dataset(_ name: String) throws -> Dataset {
        if let d = datasets.first(where: { $0.name == name }) { return d }
        // The built-in sample is there in every face without a file (see BundledSamples.named).
        if let sample = BundledSamples.named(name) {
            store(sample, as: name, source: BundledSamples.source)
            if let d = datasets.first(where: { $0.name == name }) { return d }
        }
        let hint: String
        if datasets.isEmpty { hint = "open a file first, e.g. open data.csv (iris is built in: describe iris)" } else {
            hint = "open data sets: " + datasets.map(\.name).joined(separator: ", ")
        }
        throw PetalError("no data set called \"\(name)\"", hint: hint)
    }

    /// Adds or replaces a data set (the version replaced is kept for `undo`).
    public func store(_ frame: Frame, as name: String, source: String, view: ViewReference? = nil) {
        let d = Dataset(name: name, frame: frame, source: source, view: view)
        commandLog.defined(dataset: name)
        if let i = datasets.firstIndex(where: { $0.name == name }) {
            replaced[name] = datasets[i]
            datasets[i] = d
        } else {
            datasets.append(d)
        }
    }

    /// Removes a data set (kept for `undo`).
    public func remove(_ name: String) throws {
        replaced[name] = try dataset(name)
        datasets.removeAll { $0.name == name }
    }

    /// The version each data set had before it was last replaced or dropped (`UndoCommand`).
    public internal(set) var replaced: [String: Dataset] = [:]

    /// Resolves `NAME.COLUMN` (column names may themselves contain dots: `cars.engine.cylinders`).
    public func column(_ reference: String, syntax: String) throws -> (Dataset, Column) {
        let candidates = datasets.filter { reference.hasPrefix($0.name + ".") }.sorted { $0.name.count > $1.name.count }
        guard let d = candidates.first else {
            if !reference.contains(".") {
                throw PetalError("\"\(reference)\" is not DATASET.COLUMN", hint: "usage: \(syntax), e.g. iris.petal_length")
            }
            let name = String(reference.prefix { $0 != "." })
            _ = try dataset(name)
            throw PetalError("no data set called \"\(name)\"")
        }
        let columnName = String(reference.dropFirst(d.name.count + 1))
        return (d, try d.frame.requireColumn(columnName, dataset: d.name))
    }

    /// The target column of the most recent fit on data set `name`, used to colour plots by class.
    public func knownTarget(for name: String) -> String? {
        pipelines.compactMap(\.fit).last { $0.dataset == name && !$0.model.schema.target.isEmpty }?.model.schema.target
    }

    // MARK: - Running commands

    /// Runs one command line. Never throws: failures come back as the execution's error.
    public func execute(_ entered: String) -> Execution {
        // What is echoed, logged for runs and written as JSON has no passwords (SourceAddress.redacted); the
        // command itself runs with what was typed.
        let line = SourceAddress.redacted(entered)
        do {
            var tokens = try Tokenizer.tokens(entered)
            // `tracking_uri=URL` alone sets that setting: it is `set tracking_uri=URL`.
            if case .option(let key, _)? = tokens.first, SessionSettings.find(key) != nil {
                tokens.insert(.word(SetCommand.name, quoted: false), at: 0)
            }
            var args = try Arguments(tokens: tokens)
            let trimmed = entered.trimmingCharacters(in: .whitespaces)
            args.rawText = String(trimmed.drop { $0 != " " && $0 != "\t" }).trimmingCharacters(in: .whitespaces)
            guard let command = Commands.find(args.verb) else {
                throw PetalError("unknown command \"\(args.verb)\"", hint: Commands.suggestion(for: args.verb))
            }
            if !command.parsesOwnText { try args.checkOptions(command.options, syntax: command.syntax) }
            let before = commandLog.revision
            let uses = CommandLog.names(in: tokens.dropFirst(), session: self)
            let output = try command.run(args, self)
            commandLog.record(line.trimmingCharacters(in: .whitespaces), uses: uses, since: before)
            return Execution(input: line, verb: command.name, output: output, error: nil)
        } catch let error as PetalError {
            let verb = line.split(separator: " ").first.map { String($0).lowercased() } ?? ""
            return Execution(input: line, verb: verb, output: nil, error: error)
        } catch {
            let verb = line.split(separator: " ").first.map { String($0).lowercased() } ?? ""
            return Execution(input: line, verb: verb, output: nil, error: PetalError("\(error)"))
        }
    }

    /// Runs every command of a script (`;` or newline separated) in order, continuing after failures.
    public func executeScript(_ script: String) -> [Execution] {
        Tokenizer.commands(script).map { execute($0) }
    }
}

/// The outcome of one command: its output or its error.
public struct Execution: Sendable {
    public var input: String
    public var verb: String
    public var output: (any CommandOutput)?
    public var error: PetalError?

    public var ok: Bool { error == nil }

    /// Text for a terminal or notebook: the output, its warnings, or the error (with Unicode drawing).
    public func renderText(width: Int) -> String { renderText(in: RenderContext(width: width)) }

    /// Text for a terminal or notebook laid out for `context` (a session's is `Session.renderContext`).
    public func renderText(in context: RenderContext) -> String {
        if let error {
            var text = "error: " + error.description.replacingOccurrences(of: "\n  hint: ", with: "\n  ")
            if text.hasSuffix("\n") { text.removeLast() }
            return text
        }
        var parts: [String] = []
        if let output {
            for w in output.warnings { parts.append("warning: \(w)") }
            let text = output.renderText(in: context)
            if !text.isEmpty { parts.append(text) }
        }
        return parts.joined(separator: "\n")
    }

    /// One line of `--json` output: `{"command": …, "ok": …, "result"|"error": …}`.
    public func json() -> JSONValue {
        var fields: [(String, JSONValue)] = [("command", .string(verb)), ("input", .string(input)), ("ok", .bool(ok))]
        if let error {
            var e: [(String, JSONValue)] = [("message", .string(error.message))]
            if let loc = error.location {
                e.append(("file", .string(loc.file)))
                if let l = loc.line { e.append(("line", .int(l))) }
                if let c = loc.column { e.append(("column", .int(c))) }
                if let f = loc.field { e.append(("field", .string(f))) }
                if let p = loc.path { e.append(("path", .string(p))) }
            }
            if let h = error.hint { e.append(("hint", .string(h))) }
            fields.append(("error", .object(e)))
        } else if let output {
            fields.append(("result", output.json()))
            if !output.warnings.isEmpty {
                fields.append(("warnings", .array(output.warnings.map { .string($0.description) })))
            }
        }
        return .object(fields)
    }
}

/// Watches loads: shows progress and may cancel through the control.
public protocol LoadObserver: AnyObject {
    func loadStarted(_ control: LoadControl, path: String)
    func loadEnded(_ control: LoadControl)
    /// The result so far of long work that fills in as it goes (`leaderboard`'s rows as candidates finish),
    /// so the workbench can show it live; called on the worker thread.
    func partialResult(_ output: any CommandOutput)
}

extension LoadObserver {
    public func partialResult(_ output: any CommandOutput) {}
}
