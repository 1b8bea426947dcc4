import PetalSession

/// Every key of the workbench and every command of the language.
public struct HelpView: WorkbenchView {
    private var text: TextView

    public static let globalKeys: [KeyHint] = [
        KeyHint(": or Tab", "go to the command line (Esc comes back)"), KeyHint("? or F1", "this help"),
        KeyHint("q", "close the view (quit from the last one)"), KeyHint("v", "the data table of the current data set"),
        KeyHint("s", "the sidebar: ↑↓ choose, Enter open"), KeyHint("Ctrl-C", "cancel running work (a load, a fit) and the commands queued after it"),
        KeyHint("Ctrl-L", "redraw the screen"), KeyHint("F2", "the whole log: scroll back, / search"),
        KeyHint("any other key", "a letter the view does not use starts a command"),
    ]

    /// The data table's keys, from their declaration (`TableKeys`).
    public static var tableKeys: [KeyHint] { TableKeys.hints }

    public static let lineKeys: [KeyHint] = [
        KeyHint("Enter", "run the command"), KeyHint("Tab", "complete commands, data sets, columns, steps, options, paths"),
        KeyHint("↑ ↓  Ctrl-R", "history (kept in .petal/history), reverse search"),
        KeyHint("Ctrl-A Ctrl-E Ctrl-K Ctrl-W …", "GNU readline (Emacs) editing"), KeyHint("Ctrl-C", "clear the line"),
        KeyHint("Ctrl-← Ctrl-→  Alt-b Alt-f", "a word left or right"),
        KeyHint("Esc", "keys to the view (or hide a long message); a key that follows is its own key, not Meta, except "
                + "b or f arriving with the Esc at once, as terminals send Alt-b / Alt-f"),
    ]

    public init() { text = TextView(title: "help", lines: HelpView.lines) }

    /// The help's lines: the keys of each place, the session's commands and the workbench's own verbs, each from
    /// its declaration.
    static var lines: [(text: String, style: CellStyle)] {
        var lines: [(text: String, style: CellStyle)] = []
        func section(_ name: String, _ keys: [KeyHint]) {
            lines.append((name, .header))
            let w = keys.map { TextWidth.of($0.keys) }.max() ?? 0
            for k in keys { lines.append(("  " + k.keys + String(repeating: " ", count: w - TextWidth.of(k.keys)) + "  " + k.action, .plain)) }
            lines.append(("", .plain))
        }
        section("Keys everywhere", HelpView.globalKeys)
        section("In the data table", HelpView.tableKeys)
        section("On the command line", HelpView.lineKeys)
        lines.append(("Commands (help VERB for one)", .header))
        let w = max(Commands.all.map { TextWidth.of($0.name) }.max() ?? 0, WorkbenchVerb.allCases.map { TextWidth.of($0.usage) }.max() ?? 0)
        func entry(_ name: String, _ text: String) -> (String, CellStyle) {
            ("  " + name + String(repeating: " ", count: w - TextWidth.of(name)) + "  " + text, .plain)
        }
        for c in Commands.all { lines.append(entry(c.name, c.summary)) }
        lines.append(("", .plain))
        lines.append(("Workbench verbs", .header))
        for v in WorkbenchVerb.allCases { lines.append(entry(v.usage, v.help)) }
        return lines
    }

    public var title: String { "help: keys and commands" }
    public var hints: [KeyHint] { [KeyHint("↑↓ PgUp PgDn", "scroll"), KeyHint("q", "close")] }
    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) { text.draw(into: &grid, rect: rect, context: context) }
    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse { text.handle(key, rect: rect) }
}
