/// A verb the full-screen workbench handles itself rather than the session (it changes the screen, not the data),
/// declared once with its help: `help`, the workbench's help view (F1) and `Workbench.submit`, which switches over
/// every case, all read this list, so a verb cannot be handled without being documented.
public enum WorkbenchVerb: String, CaseIterable, Sendable {
    case view, back, clear, log, quit

    /// Other words that run it.
    public var aliases: [String] {
        switch self {
        case .view: return ["table"]
        case .quit: return ["exit"]
        case .back, .clear, .log: return []
        }
    }

    /// How it is typed, for help.
    public var usage: String { self == .view ? "view [NAME]" : rawValue }

    /// One line of help.
    public var help: String {
        switch self {
        case .view: return "the data table of a data set (NAME, else the current one)"
        case .back: return "close the view on top (q in a view)"
        case .clear: return "empty the log under the command line"
        case .log: return "the whole log: scroll back, / search (F2)"
        case .quit: return "leave Petal (also exit, or Ctrl-D on an empty line)"
        }
    }

    /// True when it runs at once while a command is busy (the others wait in the queue behind it).
    public var runsWhileBusy: Bool { self == .quit || self == .log }

    /// The verb `word` names (case ignored), if any.
    public init?(word: String) {
        let w = word.lowercased()
        guard let verb = WorkbenchVerb.allCases.first(where: { $0.rawValue == w || $0.aliases.contains(w) }) else { return nil }
        self = verb
    }
}
