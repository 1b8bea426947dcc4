import Foundation

/// The last session of a working folder, kept as the commands that built its data sets and pipelines (the
/// `CommandLog` lineage of everything still open), so a workbench started again in the folder rebuilds them and
/// a slip (one `q` too many, a closed window) costs nothing. `petal --fresh` starts empty instead.
public enum SessionRestore {
    /// The file beside the history in `.petal/`.
    public static func path(folder: String) -> String { (folder as NSString).appendingPathComponent("last-session.petal") }

    /// The commands that rebuild `session`'s data sets and pipelines, oldest first.
    public static func commands(of session: Session) -> [String] {
        session.commandLog.lineage(datasets: session.datasets.map(\.name), pipelines: session.pipelines.map(\.name)).commands
    }

    /// Writes the commands (or removes the file when there are none).
    public static func save(_ session: Session, folder: String) {
        let commands = commands(of: session)
        let file = path(folder: folder)
        guard !commands.isEmpty else { try? FileManager.default.removeItem(atPath: file); return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = "# the last Petal session here; the workbench replays it at start (petal --fresh skips it)\n"
            + commands.joined(separator: "\n") + "\n"
        try? Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
    }

    /// The saved commands, or none.
    public static func load(folder: String) -> [String] {
        guard let text = try? String(contentsOfFile: path(folder: folder), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// Runs the saved commands without recording runs (they were recorded when first run); returns what each gave.
    public static func replay(_ commands: [String], in session: Session) -> [Execution] {
        let tracker = session.tracker
        session.tracker = nil
        defer { session.tracker = tracker }
        return commands.map { session.execute($0) }
    }
}
