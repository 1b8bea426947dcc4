import ArgumentParser
import Foundation
import PetalSession
import PetalTracking

/// Wiring the experiment log into the executable's sessions.
enum Tracking {
    /// Records runs in `.petal/` of the working folder (or PETAL_HOME). Notices (a migration, runs marked failed)
    /// and the reason tracking is off go to standard error; the session works either way.
    static func attach(to session: Session) {
        let tracker = Tracker(folder: Tracker.defaultFolder(), clock: clock())
        // MLFLOW_TRACKING_URI=http(s)://… sends every run to that MLflow server as well (see RemoteTracking.swift).
        tracker.remote = Tracker.mlflowServer()
        session.tracker = tracker
        for notice in tracker.store?.notices ?? [] { FileHandle.standardError.write(Data("petal: \(notice)\n".utf8)) }
        if let reason = tracker.unavailable {
            FileHandle.standardError.write(Data("warning: runs are not recorded: \(reason.message)\n".utf8))
        }
    }

    /// Ends the session's background work as a program exits: its server and prediction log (`Session.close`),
    /// then the runs still being sent to MLflow, waited for at most `Tracker.automaticBudget`; a line on standard
    /// error says how many runs are left waiting in `.petal` (the next run or `runs sync` sends them).
    static func end(_ session: Session) {
        session.close()
        // What the commands printed is out before any wait (standard output is buffered in a pipe).
        fflush(nil)
        if let line = session.tracker?.finishSending() {
            FileHandle.standardError.write(Data("warning: \(line.description)\n".utf8))
        }
    }

    /// The system clock, or `PETAL_CLOCK=counting:SECONDS`: the counting clock a notebook's jobs inherit from the
    /// notebook (`jobs run-due` sets it for the job's process), so times they record are the same on every run.
    static func clock(environment: [String: String] = ProcessInfo.processInfo.environment) -> TrackingClock {
        guard let text = environment["PETAL_CLOCK"], text.hasPrefix("counting:"), let start = Double(text.dropFirst("counting:".count)),
              start.isFinite else { return .system }
        return .counting(from: start)
    }

    /// Records runs in a new scratch folder with a counting clock (notebooks); returns the folder to remove.
    static func attachScratch(to session: Session) -> String {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("petal-notebook-\(getpid())-\(UUID().uuidString)")
        session.tracker = Tracker(folder: folder, clock: .counting())
        return folder
    }
}

/// `petal runs [where CONDITION] [sort=KEY] [--json]`: the experiment log without the workbench.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs recorded in .petal/ (or PETAL_HOME), e.g. petal runs where 'metrics.accuracy > 0.9' sort=-accuracy.")

    @Argument(parsing: .captureForPassthrough, help: "What the runs command takes: [all] [where CONDITION] [sort=KEY] [experiment=NAME] [export to FILE].")
    var words: [String] = []

    @OptionGroup var output: OutputOptions

    func run() throws {
        // --json, --width and --ascii may come after the words too.
        var rest: [String] = []
        var json = output.json, ascii = output.ascii, width = output.width
        var i = 0
        while i < words.count {
            switch words[i] {
            case "--json": json = true
            case "--ascii": ascii = true
            case "--width" where i + 1 < words.count: width = Int(words[i + 1]); i += 1
            default: rest.append(words[i])
            }
            i += 1
        }
        var options = output
        options.json = json; options.ascii = ascii; options.width = width
        let session = options.makeTrackedSession()
        // The words are the command text as typed (a quoted condition stays one condition, not a quoted string).
        let line = (["runs"] + rest).joined(separator: " ")
        let execution = session.execute(line)
        Printer.show(execution, json: json, session: session)
        if !execution.ok { throw ExitCode(1) }
    }
}
