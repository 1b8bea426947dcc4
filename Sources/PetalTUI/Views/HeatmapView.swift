import Foundation
import PetalData
import PetalSession

/// A labelled matrix of numbers whose cells are painted by value: the correlation heatmap and the confusion
/// matrix. In ASCII or without colour the numbers carry the meaning on their own.
public struct Heatmap: Sendable {
    public var rowNames: [String]
    public var columnNames: [String]
    public var cells: [[String]]
    /// Heat level per cell, 0…8.
    public var levels: [[Int]]
    public var caption: String
    /// A highlighted cell (row, column), for choosing one with the arrow keys.
    public var selected: (row: Int, column: Int)?

    /// The layout at `width` cells: label and cell widths, the caption's lines, and each column's header
    /// as lines (a name wider than its cell wraps onto more header rows instead of being cut).
    func layout(width: Int) -> (labelWidth: Int, cellWidth: Int, caption: [String], headers: [[String]]) {
        let labelWidth = min(20, rowNames.map(TextWidth.of).max() ?? 0)
        let widest = columnNames.map(TextWidth.of).max() ?? 0
        let room = max(7, (width - labelWidth - 1) / max(1, columnNames.count))
        let cellWidth = max(7, min(widest + 1, room))
        let headers = columnNames.map { name -> [String] in
            guard TextWidth.of(name) > cellWidth - 1 else { return [name] }
            // Break after `_` where possible (petal_ / length), else by cells.
            return TextWidth.wrap(name.replacingOccurrences(of: "_", with: "_ "), width: cellWidth - 1).map { $0.replacingOccurrences(of: " ", with: "") }
        }
        return (labelWidth, cellWidth, TextWidth.wrap(caption, width: max(1, width), indent: "  "), headers)
    }

    /// Rows the matrix takes at `width`.
    public func height(width: Int) -> Int {
        let l = layout(width: width)
        return l.caption.count + (l.headers.map(\.count).max() ?? 1) + rowNames.count
    }

    /// Draws the matrix at (x, y); returns the row after it.
    @discardableResult
    public func draw(into grid: inout Grid, x: Int, y: Int, maxX: Int, maxY: Int) -> Int {
        let (labelWidth, cellWidth, captionLines, headers) = layout(width: maxX - x)
        var cy = y
        for line in captionLines where cy < maxY {
            grid.put(line, x: x, y: cy, style: .muted, maxX: maxX)
            cy += 1
        }
        let headerRows = headers.map(\.count).max() ?? 1
        var cx = x + labelWidth + 1
        for lines in headers where cx < maxX {
            // Right-aligned like the numbers, the last line of each header on the row above the cells.
            for (k, t) in lines.enumerated() {
                grid.put(String(repeating: " ", count: max(0, cellWidth - 1 - TextWidth.of(t))) + t, x: cx,
                         y: cy + headerRows - lines.count + k, style: .header, maxX: maxX)
            }
            cx += cellWidth
        }
        cy += headerRows
        for (i, name) in rowNames.enumerated() where cy < maxY {
            grid.put(TextWidth.truncate(name, to: labelWidth), x: x, y: cy, style: .header, maxX: maxX)
            cx = x + labelWidth + 1
            for j in columnNames.indices where cx + cellWidth <= maxX + 1 {
                let text = cells[safe: i]?[safe: j] ?? ""
                let level = levels[safe: i]?[safe: j] ?? 0
                let padded = String(repeating: " ", count: max(0, cellWidth - 1 - TextWidth.of(text))) + text + " "
                let isSelected = selected.map { $0.row == i && $0.column == j } ?? false
                grid.put(padded, x: cx, y: cy, style: CellStyle(.heat(level), filled: true, bold: isSelected, reverse: isSelected, underline: isSelected), maxX: maxX)
                cx += cellWidth
            }
            cy += 1
        }
        return cy
    }

    /// Correlations painted from -1 (level 0) to +1 (level 8).
    public static func correlation(_ output: CorrOutput) -> Heatmap {
        let m = output.matrix
        return Heatmap(rowNames: m.names, columnNames: m.names,
                       cells: m.values.map { $0.map { $0.isNaN ? "NaN" : String(format: "%.2f", $0) } },
                       levels: m.values.map { $0.map { $0.isNaN ? 4 : Int(((max(-1, min(1, $0)) + 1) / 2 * 8).rounded()) } },
                       caption: "Pearson correlation (blue −1 … red +1)")
    }

    /// A confusion matrix with each cell painted by its share of the true class's rows.
    public static func confusion(classes: [String], counts: [[Int]]) -> Heatmap {
        Heatmap(rowNames: classes, columnNames: classes, cells: counts.map { $0.map(String.init) },
                levels: counts.map { row in
                    let total = max(1, row.reduce(0, +))
                    return row.map { Int((Double($0) / Double(total) * 8).rounded()) }
                },
                caption: "confusion matrix (rows: true class, columns: predicted; shade = share of the row)")
    }
}

/// The correlation heatmap of `corr`.
public struct HeatmapView: WorkbenchView {
    public let title: String
    public let heatmap: Heatmap
    public let footnote: String?
    public init(title: String, heatmap: Heatmap, footnote: String? = nil) { self.title = title; self.heatmap = heatmap; self.footnote = footnote }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        let end = heatmap.draw(into: &grid, x: rect.x, y: rect.y, maxX: rect.maxX, maxY: rect.maxY)
        if let footnote, end + 1 < rect.maxY { grid.put(footnote, x: rect.x, y: end + 1, style: .muted, maxX: rect.maxX) }
    }
}

/// The report of a fitted pipeline: the classification report text with the confusion matrix as a heatmap
/// (or the regression/clustering report as text).
public struct ReportView: WorkbenchView {
    public let output: ReportOutput
    private var text: TextView
    /// For each (true, predicted) cell of the confusion matrix, the data set rows behind it.
    public var cellRows: [[[Int]]] = []
    /// The scored data set, for listing a cell's rows.
    public var frame: Frame?
    public private(set) var cell = (row: 0, column: 0)

    public init(output: ReportOutput, width: Int) {
        self.output = output
        text = TextView(title: "", source: { ReportView.body(output, width: $0) }, width: width)
    }

    /// The report's text at `width`; for classes without the plain confusion table, which the heatmap replaces
    /// (the baseline line after it is kept).
    static func body(_ output: ReportOutput, width: Int) -> String {
        let body = output.renderText(width: width)
        guard case .classification = output.evaluation, let r = body.range(of: "\n\nconfusion matrix") else { return body }
        let tail = body[r.upperBound...]
        let baseline = tail.range(of: "\n\nbaseline").map { String(tail[$0.lowerBound...]) } ?? ""
        return String(body[..<r.lowerBound]) + baseline
    }

    public mutating func fit(width: Int) { text.fit(width: width) }

    public var title: String { "report: \(output.pipeline) on \(output.dataset)" }
    public var hints: [KeyHint] {
        cellRows.isEmpty ? [KeyHint("↑↓", "scroll")] : [KeyHint("←↑↓→", "choose a cell"), KeyHint("Enter", "its rows"), KeyHint("PgUp/PgDn", "scroll")]
    }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        guard case .classification(let m, _, _, _) = output.evaluation else {
            text.draw(into: &grid, rect: rect, context: context)
            return
        }
        var heat = Heatmap.confusion(classes: m.classes, counts: m.confusion)
        if !cellRows.isEmpty { heat.selected = cell }
        let textRect = textRect(in: rect)
        text.draw(into: &grid, rect: textRect, context: context)
        heat.draw(into: &grid, x: rect.x, y: textRect.maxY + 1, maxX: rect.maxX, maxY: rect.maxY)
    }

    /// Where the report's text goes: above the matrix, which follows it (no gap on a tall screen); a short
    /// screen scrolls the text above the matrix.
    func textRect(in rect: Rect) -> Rect {
        guard case .classification(let m, _, _, _) = output.evaluation else { return rect }
        let heatHeight = Heatmap.confusion(classes: m.classes, counts: m.confusion).height(width: rect.width) + 1
        return Rect(x: rect.x, y: rect.y, width: rect.width, height: max(0, min(text.lines.count, rect.height - heatHeight)))
    }

    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse {
        let rect = textRect(in: rect)
        guard !cellRows.isEmpty, let frame else { return text.handle(key, rect: rect) }
        let n = cellRows.count
        switch key {
        case .up, .character("k"): cell.row = max(0, cell.row - 1)
        case .down, .character("j"): cell.row = min(n - 1, cell.row + 1)
        case .left, .character("h"): cell.column = max(0, cell.column - 1)
        case .right, .character("l"): cell.column = min(n - 1, cell.column + 1)
        case .enter:
            guard case .classification(let m, _, _, _) = output.evaluation, let rows = cellRows[safe: cell.row]?[safe: cell.column] else { return .ignored }
            guard !rows.isEmpty else { return .message("no rows: no \(m.classes[cell.row]) was predicted \(m.classes[cell.column])") }
            var table = TableView(dataset: output.dataset, frame: frame.taking(rows), rowNumbers: rows,
                                  rowCommand: "demo \(output.pipeline) row=")
            table.caption = "true \(m.classes[cell.row]), predicted \(m.classes[cell.column]): \(rows.count) row\(rows.count == 1 ? "" : "s")"
            return .push(table)
        default: return text.handle(key, rect: rect)
        }
        return .handled
    }
}
