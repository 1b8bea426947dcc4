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

    /// The page's lines at a width: everything wraps at spaces; blank spacer lines go first when the height is short.
    func lines(width: Int, height: Int, unicode: Bool) -> [(text: String, style: CellStyle, indent: Int)] {
        var out: [(String, CellStyle, Int, spacer: Bool)] = []
        func add(_ text: String, _ style: CellStyle, indent: Int = 0) {
            for line in TextWidth.wrap(text, width: max(1, width - indent), indent: "  ") { out.append((line, style, indent, false)) }
        }
        func space() { out.append(("", .plain, 0, true)) }
        add((unicode ? "✿ Petal" : "* Petal") + "  a terminal ML workbench", .accent)
        space()
        if let dataset { add("\(dataset) is open. Type one of these and press Enter:", .plain); space() }
        for (command, what) in WelcomeView.suggestions(for: dataset) {
            add(command, CellStyle(.accent), indent: 2)
            add(what, .muted, indent: 4)
            space()
        }
        add("Tab completes, ↑ recalls earlier commands, Esc gives the keys to the view:", .muted)
        add("v the data table · ? every key and command · F2 the log · q back, then quit", .muted, indent: 2)
        if out.count > height { out.removeAll { $0.spacer } }
        return out.map { ($0.0, $0.1, $0.2) }
    }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        let x = rect.x + 2
        var y = rect.y + (rect.height > 18 ? 1 : 0)
        for line in lines(width: rect.width - 2, height: rect.maxY - y, unicode: context.unicode) where y < rect.maxY {
            grid.put(line.text, x: x + line.indent, y: y, style: line.style, maxX: rect.maxX)
            y += 1
        }
    }
}
