import PetalSession

/// The first screen: what Petal is, three commands to try, and the keys that matter most.
public struct WelcomeView: WorkbenchView {
    public let dataset: String?
    public init(dataset: String?) { self.dataset = dataset }

    public var title: String { "welcome" }

    public static func suggestions(for dataset: String?) -> [(String, String)] {
        let d = dataset ?? "iris"
        if d == "iris" {
            return [("describe iris", "summary statistics of every column"),
                    ("hist iris.petal_length", "a histogram of one column"),
                    ("pipeline p = standard_scaler | knn k=5; fit p on iris target=variety", "train a classifier and see its report")]
        }
        return [("describe \(d)", "summary statistics of every column"), ("view \(d)", "the data as a table"), ("corr \(d)", "correlations of the numeric columns")]
    }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        var y = rect.y + 1
        let x = rect.x + 2
        grid.put(context.unicode ? "✿ Petal" : "* Petal", x: x, y: y, style: .accent, maxX: rect.maxX)
        grid.put("a terminal ML workbench", x: x + 9, y: y, style: .muted, maxX: rect.maxX)
        y += 2
        if let dataset { grid.put("\(dataset) is open. Type one of these and press Enter:", x: x, y: y, maxX: rect.maxX); y += 2 }
        for (command, what) in WelcomeView.suggestions(for: dataset) where y < rect.maxY - 1 {
            grid.put(command, x: x + 2, y: y, style: CellStyle(.accent), maxX: rect.maxX, ellipsis: true)
            grid.put(what, x: x + 4, y: y + 1, style: .muted, maxX: rect.maxX)
            y += 3
        }
        let keys = ["Tab completes, ↑ recalls earlier commands, Esc gives the keys to the view:",
                    "  v  the data table    ?  every key and command    q  back, then quit"]
        for line in keys where y < rect.maxY { grid.put(line, x: x, y: y, style: .muted, maxX: rect.maxX); y += 1 }
    }
}

/// Every key of the workbench and every command of the language.
public struct HelpView: WorkbenchView {
    private var text: TextView

    public static let globalKeys: [KeyHint] = [
        KeyHint(": or Tab", "go to the command line (Esc comes back)"), KeyHint("? or F1", "this help"),
        KeyHint("q", "close the view (quit from the last one)"), KeyHint("v", "the data table of the current data set"),
        KeyHint("s", "the sidebar: ↑↓ choose, Enter open"), KeyHint("Ctrl-C", "cancel running work (a load, a fit)"),
        KeyHint("Ctrl-L", "redraw the screen"),
    ]

    public static let tableKeys: [KeyHint] = [
        KeyHint("← ↓ ↑ → / h j k l", "move the cursor"), KeyHint("PgUp PgDn", "a page up or down"),
        KeyHint("g G", "first or last row"), KeyHint("Home End (0 $)", "first or last column"),
        KeyHint("Enter", "histogram of the column (counts for text)"), KeyHint("F", "value counts of the column"),
        KeyHint("I", "describe the data set"), KeyHint("[ ]", "sort by the column, ascending or descending"),
        KeyHint("/  n N", "search the column; next, previous match"), KeyHint("#", "go to a row number"),
    ]

    public static let lineKeys: [KeyHint] = [
        KeyHint("Enter", "run the command"), KeyHint("Tab", "complete commands, data sets, columns, steps, options, paths"),
        KeyHint("↑ ↓  Ctrl-R", "history (kept in .petal/history), reverse search"),
        KeyHint("Ctrl-A Ctrl-E Ctrl-K Meta-B …", "GNU readline (Emacs) editing"), KeyHint("Ctrl-C", "clear the line"),
    ]

    public init() {
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
        let w = Commands.all.map { $0.name.count }.max() ?? 0
        for c in Commands.all { lines.append(("  " + c.name + String(repeating: " ", count: w - c.name.count) + "  " + c.summary, .plain)) }
        lines.append(("  " + "view" + String(repeating: " ", count: max(0, w - 4)) + "  the data table of a data set (view NAME)", .plain))
        lines.append(("  " + "quit" + String(repeating: " ", count: max(0, w - 4)) + "  leave Petal (also Ctrl-D on an empty line)", .plain))
        text = TextView(title: "help", lines: lines)
    }

    public var title: String { "help: keys and commands" }
    public var hints: [KeyHint] { [KeyHint("↑↓ PgUp PgDn", "scroll"), KeyHint("q", "close")] }
    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) { text.draw(into: &grid, rect: rect, context: context) }
    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse { text.handle(key, rect: rect) }
}
