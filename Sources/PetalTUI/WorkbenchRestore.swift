import PetalSession

/// Starting where the last session in this folder ended (`SessionRestore`): its commands run in the background
/// while the screen is up, each logged, and commands typed meanwhile queue behind them.
extension Workbench {
    /// Logs that the last session is being restored and marks the workbench busy until `finishRestore`.
    public func beginRestore(_ commands: [String]) {
        addLog("restoring the last session here: \(commands.count) command\(commands.count == 1 ? "" : "s") (petal --fresh starts empty)",
               style: .muted)
        markBusy("restoring the last session")
    }

    /// Logs each restored command and its result, then says what came back.
    public func finishRestore(_ executions: [Execution]) {
        for e in executions {
            addLog("▶ " + e.input, style: .muted)
            finish(e)
        }
        messageStart = nil
        let failed = executions.filter { !$0.ok }.count
        let data = session.datasets.count, pipes = session.pipelines.count
        addLog("restored \(data) data set\(data == 1 ? "" : "s") and \(pipes) pipeline\(pipes == 1 ? "" : "s")"
               + (failed > 0 ? "; \(failed) command\(failed == 1 ? "" : "s") failed (see above)" : ""),
               style: failed > 0 ? CellStyle(.warning) : CellStyle(.success))
    }
}
