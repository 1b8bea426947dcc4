import PetalSession

/// Quitting without losing work by a slip: one `q` too many, Ctrl-D on an empty line or `quit` asks first when
/// the session holds work that only lives in memory.
extension Workbench {
    /// What quitting now would lose, in words ("2 data sets (penguins, small) and 1 pipeline (p, fitted)"), or
    /// nil when nothing would be lost: the data sets opened since the start (the start-up sample excepted) and
    /// every pipeline.
    public var unsavedWork: String? {
        let data = session.datasets.map(\.name).filter { !startDatasets.contains($0) }
        let pipelines = session.pipelines.map { $0.fit == nil ? $0.name : $0.name + ", fitted" }
        var parts: [String] = []
        if !data.isEmpty { parts.append("\(data.count) data set\(data.count == 1 ? "" : "s") (\(data.joined(separator: ", ")))") }
        if !pipelines.isEmpty {
            parts.append("\(pipelines.count) pipeline\(pipelines.count == 1 ? "" : "s") (\(pipelines.joined(separator: "; ")))")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " and ")
    }

    /// `quit`, `q` on the last view, Ctrl-D on an empty line: quits at once when nothing would be lost, else asks.
    public func requestQuit() -> Effect {
        guard let work = unsavedWork else { return .quit }
        addLog("quitting closes \(work)" + (keepsSession ? "; the next petal started in this folder restores them (petal --fresh does not)"
                                                         : ", which live only in this session"), style: CellStyle(.warning))
        question = Question(prompt: "quit and close them? y/n ", purpose: Workbench.quitPurpose, text: "")
        return .none
    }

    static let quitPurpose = "quit"

    /// The answer to the quit question: `y` quits, anything else keeps working.
    func answerQuit(_ key: Key) -> Effect {
        question = nil
        if key == .character("y") || key == .character("Y") { return .quit }
        status = "still here; nothing was closed"
        return .none
    }
}
