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
