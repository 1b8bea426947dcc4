import Foundation
import PetalData
import PetalSession

/// The data table: every row of a data set, scrolled both ways; only the visible cells are formatted, so it
/// stays fast on millions of rows. Column types in the header, nulls visible, a cell cursor, sorting by the
/// cursor's column, search and jump to row.
public struct TableView: WorkbenchView {
    public let dataset: String
    public internal(set) var frame: Frame
    /// Display order of rows (indices into `frame`); nil means the frame's own order.
    public private(set) var order: [Int]?
    public internal(set) var sortState: (column: Int, ascending: Bool)?
    public private(set) var row = 0
    public internal(set) var column = 0
    public private(set) var topRow = 0
    public internal(set) var leftColumn = 0
    /// Rows still arriving: shown in the title while a large file finishes loading.
    public var loadingNote: String?
    /// The data set's own row numbers of `frame`'s rows, when the table shows a subset.
    public let rowNumbers: [Int]?
    /// When set, Enter runs this command with the row number appended (`demo p row=`) instead of a histogram.
    public let rowCommand: String?
    /// Replaces the title (a drill-down says what its rows are).
    public var caption: String?
    private var lastSearch: String?
    /// Column widths measured from the header and a sample of the whole column (`TableView+Widths.swift`); the
    /// rows on screen widen them further when drawn.
    var baseWidths: [Int]
    /// Decimals of each float column, from the same sample (nil: not a float column, or no finite value seen).
    var decimals: [Int?]
    /// Widths set with `_` (fit the whole column) and `-` (narrower), by column.
    var chosenWidths: [Int: Int] = [:]
    /// Columns hidden from this view with `X`, with their measurements (`V` brings them back).
    var hidden: [(column: Column, width: Int, decimals: Int?)] = []

    public init(dataset: String, frame: Frame, rowNumbers: [Int]? = nil, rowCommand: String? = nil) {
        self.dataset = dataset
        self.frame = frame
        self.rowNumbers = rowNumbers
        self.rowCommand = rowCommand
        let measured = frame.columns.map { TableView.measure($0) }
        baseWidths = measured.map(\.width)
        decimals = measured.map(\.decimals)
    }

    public var title: String {
        var t = caption.map { "\(dataset): \($0)" } ?? "\(dataset): \(NumberFormat.count(frame.rowCount)) rows × \(frame.columns.count) columns"
        if let s = sortState, let c = frame.columns[safe: s.column] { t += ", sorted by \(c.name) \(s.ascending ? "↑" : "↓")" }
        if let loadingNote { t += "  (\(loadingNote))" }
        return t
    }

    public var hints: [KeyHint] {
        [KeyHint("←↓↑→ hjkl", "move"), KeyHint("Enter", rowCommand == nil ? "histogram" : "open the row in the form"), KeyHint("F", "counts"), KeyHint("I", "describe"),
         KeyHint("[ ]", "sort"), KeyHint("/", "search"), KeyHint("#", "go to row"), KeyHint("o", "the row"), KeyHint("_ -", "wider/narrower"), KeyHint("H L X V", "move, hide, show columns")]
    }

    /// The text of one cell: a missing value as every table shows it (`NumberFormat.missing`), floats with the
    /// column's decimals (`decimals`: so the points line up, and at least one, 5.0 as pandas shows it), other
    /// values in their plain form.
    static func text(_ c: Column, _ r: Int, decimals: Int? = nil) -> String {
        let v = c[r]
        if v.isNull { return NumberFormat.missing }
        if case .float(let x) = v, x.isFinite {
            if let decimals, abs(x) < 1e15 { return String(format: "%.\(max(1, decimals))f", x) }
            if x == x.rounded(), abs(x) < 1e15 { return String(format: "%.1f", x) }
        }
        return v.plainText
    }

    /// Cell text of column `k`, frame row `r`, with the column's decimals.
    func text(_ k: Int, _ r: Int) -> String {
        guard let c = frame.columns[safe: k] else { return "" }
        return TableView.text(c, r, decimals: decimals[safe: k] ?? nil)
    }

    /// The frame row shown at display position `r`.
    func frameRow(_ r: Int) -> Int { order?[safe: r] ?? r }

    /// The data set's row number of frame row `r`.
    func label(_ r: Int) -> Int { rowNumbers?[safe: r] ?? r }

    /// The cell under the cursor, as `column` and display `row`.
    public var cursor: (column: String, row: Int)? {
        guard let c = frame.columns[safe: column] else { return nil }
        return (c.name, frameRow(row))
    }

    private func gutterWidth() -> Int { String(max(rowNumbers?.max() ?? frame.rowCount - 1, 0)).count + 1 }

    /// Columns that fit from `leftColumn` across `width`, with their widths.
    func visibleColumns(width: Int) -> [(index: Int, width: Int)] {
        var out: [(Int, Int)] = []
        var x = gutterWidth() + 1
        var k = leftColumn
        while k < frame.columns.count {
            let w = columnWidth(k) + (sortState?.column == k ? 1 : 0)  // room for the sort mark
            if x + w > width && !out.isEmpty { break }
            out.append((k, min(w, width - x)))
            x += w + 2
            k += 1
        }
        return out
    }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        guard rect.height >= 3 else { return }
        let gutter = gutterWidth()
        let columns = visibleColumns(width: rect.width)
        let bodyRows = rect.height - 2
        var x = rect.x + gutter + 1
        for (k, w) in columns {
            guard let c = frame.columns[safe: k] else { continue }
            let numeric = c.type.isNumeric
            let sortMark = sortState?.column == k ? (sortState?.ascending == true ? "↑" : "↓") : ""
            let name = TextWidth.truncate(c.name + sortMark, to: w)
            let type = TextWidth.truncate(c.type.rawValue, to: w)
            let headerStyle = k == column ? CellStyle(.accent, bold: true, underline: true) : CellStyle.header
            grid.put(numeric ? lpadded(name, w) : name, x: x, y: rect.y, style: headerStyle, maxX: rect.maxX)
            grid.put(numeric ? lpadded(type, w) : type, x: x, y: rect.y + 1, style: .muted, maxX: rect.maxX)
            for line in 0..<bodyRows {
                let r = topRow + line
                guard r < frame.rowCount else { break }
                let fr = frameRow(r)
                let isNull = !c.isValid(fr)
                var s = TextWidth.truncate(text(k, fr), to: w)
                if numeric { s = lpadded(s, w) }
                var style = isNull ? CellStyle.muted : CellStyle.plain
                if r == row && k == column { style.reverse = true } else if r == row { style.bold = true }
                grid.put(s, x: x, y: rect.y + 2 + line, style: style, maxX: min(rect.maxX, x + w))
            }
            x += w + 2
        }
        for line in 0..<bodyRows {
            let r = topRow + line
            guard r < frame.rowCount else { break }
            let label = lpadded(String(self.label(frameRow(r))), gutter)
            grid.put(label, x: rect.x, y: rect.y + 2 + line, style: r == row ? CellStyle(.accent, bold: true) : .muted)
        }
        if frame.rowCount == 0 { grid.put("(no rows)", x: rect.x + gutter + 1, y: rect.y + 2, style: .muted) }
    }

    private func lpadded(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - TextWidth.of(s))) + s }

    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse {
        if case .click(let cx, let cy) = key { return click(x: cx, y: cy, rect: rect) }
        guard let action = TableKeys.action(for: key) else { return .ignored }
        let page = max(1, rect.height - 3)
        switch action {
        case .down: move(rows: 1, rect: rect)
        case .up: move(rows: -1, rect: rect)
        case .pageDown: move(rows: page, rect: rect)
        case .pageUp: move(rows: -page, rect: rect)
        case .firstRow: move(rows: -row, rect: rect)
        case .lastRow: move(rows: frame.rowCount - 1 - row, rect: rect)
        case .right: moveColumn(by: 1, rect: rect)
        case .left: moveColumn(by: -1, rect: rect)
        case .firstColumn: moveColumn(by: -column, rect: rect)
        case .lastColumn: moveColumn(by: frame.columns.count - 1 - column, rect: rect)
        case .open:
            if let rowCommand { return .run(rowCommand + String(label(frameRow(row)))) }
            guard let c = frame.columns[safe: column] else { return .ignored }
            let numeric = c.type.isNumeric || c.type == .date || c.type == .datetime
            return .run("\(numeric ? "hist" : "counts") \(dataset).\(c.name)")
        case .counts:
            guard let c = frame.columns[safe: column] else { return .ignored }
            return .run("counts \(dataset).\(c.name)")
        case .describe: return .run("describe \(dataset)")
        case .rowDetail: return .push(rowDetail(width: rect.width))
        case .columnLeft: return moveCurrentColumn(by: -1, rect: rect)
        case .columnRight: return moveCurrentColumn(by: 1, rect: rect)
        case .hideColumn: return hideCurrentColumn(rect: rect)
        case .showColumns: return showHiddenColumns()
        case .widen: fitWidth()
        case .narrow: narrow()
        case .sortAscending: sort(ascending: true)
        case .sortDescending: sort(ascending: false)
        case .search: return .ask(prompt: "search \(frame.columns[safe: column]?.name ?? ""): ", purpose: "search")
        case .goToRow: return .ask(prompt: "go to row: ", purpose: "row")
        case .nextMatch: return search(lastSearch, forward: true, rect: rect)
        case .previousMatch: return search(lastSearch, forward: false, rect: rect)
        }
        return .handled
    }

    public mutating func answer(_ text: String, to purpose: String, rect: Rect) -> ViewResponse {
        switch purpose {
        case "search":
            lastSearch = text
            return search(text, forward: true, rect: rect)
        case "row":
            guard let target = Int(text.trimmingCharacters(in: .whitespaces)), target >= 0, target < frame.rowCount else {
                return .message("row must be a number from 0 to \(max(0, frame.rowCount - 1))")
            }
            // Row numbers are the data set's own; find the display position that shows it.
            let position = order?.firstIndex(of: target) ?? target
            move(rows: position - row, rect: rect)
            return .handled
        default: return .ignored
        }
    }

    mutating func move(rows delta: Int, rect: Rect) {
        guard frame.rowCount > 0 else { return }
        row = max(0, min(frame.rowCount - 1, row + delta))
        let body = max(1, rect.height - 2)
        if row < topRow { topRow = row }
        if row >= topRow + body { topRow = row - body + 1 }
    }

    mutating func moveColumn(by delta: Int, rect: Rect) {
        guard !frame.columns.isEmpty else { return }
        column = max(0, min(frame.columns.count - 1, column + delta))
        if column < leftColumn { leftColumn = column }
        while !visibleColumns(width: rect.width).contains(where: { $0.index == column }) && leftColumn < column { leftColumn += 1 }
    }

    mutating func sort(ascending: Bool) {
        guard let c = frame.columns[safe: column] else { return }
        order = RowOrder.permutation(c, ascending: ascending)
        sortState = (column, ascending)
        row = 0
        topRow = 0
    }

    mutating func search(_ query: String?, forward: Bool, rect: Rect) -> ViewResponse {
        guard let query, !query.isEmpty, let c = frame.columns[safe: column], frame.rowCount > 0 else {
            return .message("type / and a text to search the column for")
        }
        let needle = query.lowercased()
        let n = frame.rowCount
        for step in 1...n {
            let r = ((row + (forward ? step : -step)) % n + n) % n
            if text(column, frameRow(r)).lowercased().contains(needle) {
                move(rows: r - row, rect: rect)
                return .message("\"\(query)\" found in row \(frameRow(r)) (n next, N previous)")
            }
        }
        return .message("\"\(query)\" is not in column \(c.name)")
    }

    mutating func click(x: Int, y: Int, rect: Rect) -> ViewResponse {
        let line = y - rect.y - 2
        guard line >= 0, topRow + line < frame.rowCount else { return .ignored }
        var cx = rect.x + gutterWidth() + 1
        for (k, w) in visibleColumns(width: rect.width) {
            if x >= cx && x < cx + w + 2 { column = k; break }
            cx += w + 2
        }
        move(rows: topRow + line - row, rect: rect)
        return .handled
    }
}
