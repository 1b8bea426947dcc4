import Foundation
import PetalData
import PetalSession

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
