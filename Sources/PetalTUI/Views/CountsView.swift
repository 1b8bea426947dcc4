import PetalData
import PetalSession

/// The value counts of a column (`counts NAME.COL`, `F` in a table) with a cursor on the values: Enter opens the
/// rows holding the value under it, as VisiData's frequency sheet does (a table of those rows; no data set is
/// made).
public struct CountsView: WorkbenchView {
    public let output: CountsOutput
    /// The data set the counts came from, for the rows behind a value.
    let frame: Frame
    private var text: TextView
    /// The value under the cursor (an index into `output.counts.values`).
    public private(set) var selected = 0

    public init(output: CountsOutput, frame: Frame, width: Int) {
        self.output = output
        self.frame = frame
        text = TextView(title: "", rendering: output, width: width)
    }

    public mutating func fit(width: Int) { text.fit(width: width) }

    public var title: String { "counts of \(output.dataset).\(output.column)" }
    public var hints: [KeyHint] { [KeyHint("↑↓", "choose a value"), KeyHint("Enter", "its rows"), KeyHint("PgUp/PgDn", "scroll")] }

    private var shown: Int { min(output.top, output.counts.values.count) }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        text.draw(into: &grid, rect: rect, context: context)
        // The value's line: the header is line 0.
        let y = rect.y + 1 + selected - text.top
        if shown > 0, y >= rect.y, y < rect.maxY { grid.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { $0.reverse = true } }
    }

    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse {
        switch key {
        case .down, .character("j"):
            selected = min(max(0, shown - 1), selected + 1)
            while 1 + selected >= text.top + text.textRows(rect) { _ = text.handle(.down, rect: rect) }
            return .handled
        case .up, .character("k"):
            selected = max(0, selected - 1)
            while 1 + selected < text.top + 1, text.top > 0 { _ = text.handle(.up, rect: rect) }
            return .handled
        case .enter: return rowsOfSelected()
        default: return text.handle(key, rect: rect)
        }
    }

    /// The rows whose value is the selected one, as a table.
    func rowsOfSelected() -> ViewResponse {
        guard let value = output.counts.values[safe: selected], let column = frame.column(named: output.column) else { return .ignored }
        let rows = (0..<column.count).filter { column[$0] == value }
        guard !rows.isEmpty else { return .message("no rows hold \(value.plainText)") }
        var table = TableView(dataset: output.dataset, frame: frame.taking(rows), rowNumbers: rows)
        table.caption = "\(output.column) = \(value.plainText): \(NumberFormat.count(rows.count)) row\(rows.count == 1 ? "" : "s")"
        return .push(table)
    }
}
