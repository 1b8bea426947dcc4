import Foundation
import PetalData

/// One laid-out cell of a plot: its text and what it shows, so text output and the workbench draw the same plot.
public struct PlotCell: Sendable, Equatable {
    public enum Role: Sendable, Equatable { case blank, dot, axis, label, title }
    public var text: String
    public var role: Role
    /// For dots: the class whose dots fill the cell (-2 when several share it).
    public var series: Int?
    public static let blank = PlotCell(text: " ", role: .blank, series: nil)
}

/// The result of `scatter`: columns, their values, and optional classes.
public struct ScatterOutput: CommandOutput {
    public var dataset: String
    public var columns: [String]
    public var values: [[Double]]
    public var classColumn: String?
    public var classNames: [String]
    public var classes: [Int]

    public var isMatrix: Bool { columns.count > 2 }

    /// The plot as rows of cells, `width` × `height` (a matrix of panels for more than two columns).
    public func layout(width: Int, height: Int, unicode: Bool) -> [[PlotCell]] {
        var rows = Array(repeating: Array(repeating: PlotCell.blank, count: max(0, width)), count: max(0, height))
        let k = columns.count
        if k == 2 {
            ScatterPanel.draw(xs: values[0], ys: values[1], classes: classes, into: &rows, x: 0, y: 0, width: width, height: height,
                              xName: columns[0], yName: columns[1], unicode: unicode, axes: true)
        } else {
            ScatterMatrix.draw(columns: columns, values: values, classes: classes, into: &rows, width: width, height: height, unicode: unicode)
        }
        return rows
    }

    public func renderText(width: Int) -> String { renderText(in: RenderContext(width: width)) }

    public func renderText(in context: RenderContext) -> String {
        let width = context.width
        let height = isMatrix ? min(40, columns.count * 8) : 20
        var lines = ["\(dataset): " + (isMatrix ? "scatter matrix of " + columns.joined(separator: ", ") : "\(columns[1]) against \(columns[0])")
                     + (classColumn.map { " by \($0)" } ?? "")]
        for row in layout(width: width, height: height, unicode: context.unicode) {
            var s = row.map(\.text).joined()
            while s.hasSuffix(" ") { s.removeLast() }
            lines.append(s)
        }
        if !classNames.isEmpty { lines.append("classes: " + classNames.joined(separator: ", ") + " (colours in the workbench)") }
        return lines.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        .object([("dataset", .string(dataset)), ("columns", .array(columns.map { .string($0) })),
                 ("by", classColumn.map { .string($0) } ?? .null), ("rows", .int(values.first?.count ?? 0))])
    }
}

/// Draws one scatter panel (optionally with axes and labels) into laid-out rows.
enum ScatterPanel {
    static func draw(xs: [Double], ys: [Double], classes: [Int], into rows: inout [[PlotCell]], x: Int, y: Int, width: Int, height: Int,
                     xName: String, yName: String, unicode: Bool, axes: Bool) {
        let pairs = zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }
        guard let xMin = pairs.map(\.0).min(), let xMax = pairs.map(\.0).max(),
              let yMin = pairs.map(\.1).min(), let yMax = pairs.map(\.1).max() else { return }
        let yLabels = [NumberFormat.single(yMax), NumberFormat.single(yMin)]
        let gutter = axes ? (yLabels.map(TextWidth.of).max() ?? 0) + 1 : 0
        // With axes the y title has a row of its own above the plot (never drawn over points), and the x axis
        // and its labels take two rows below.
        let top = axes ? 1 : 0
        let y = y + top
        let plotW = width - gutter, plotH = height - (axes ? 3 : 0)
        guard plotW >= 2, plotH >= 1 else { return }
        var canvas = DotCanvas(width: plotW, height: plotH)
        let sx = xMax > xMin ? Double(canvas.dotsAcross - 1) / (xMax - xMin) : 0
        let sy = yMax > yMin ? Double(canvas.dotsDown - 1) / (yMax - yMin) : 0
        for (i, (a, b)) in zip(xs, ys).enumerated() where a.isFinite && b.isFinite {
            let px = Int(((a - xMin) * sx).rounded()), py = canvas.dotsDown - 1 - Int(((b - yMin) * sy).rounded())
            canvas.plot(x: px, y: py, seriesIndex: classes[safe: i] ?? 0)
        }
        for r in 0..<plotH {
            for c in 0..<plotW {
                let t = canvas.character(x: c, y: r, unicode: unicode)
                if t != " " { set(&rows, x + gutter + c, y + r, PlotCell(text: t, role: .dot, series: classes.isEmpty ? nil : canvas.seriesIndex(x: c, y: r))) }
            }
        }
        guard axes else { return }
        write(&rows, lpad(yLabels[0], gutter - 1), x: x, y: y, role: .label)
        write(&rows, lpad(yLabels[1], gutter - 1), x: x, y: y + plotH - 1, role: .label)
        for r in 0..<plotH { set(&rows, x + gutter - 1, y + r, PlotCell(text: unicode ? "│" : "|", role: .axis, series: nil)) }
        for c in 0..<plotW { set(&rows, x + gutter + c, y + plotH, PlotCell(text: unicode ? "─" : "-", role: .axis, series: nil)) }
        set(&rows, x + gutter - 1, y + plotH, PlotCell(text: unicode ? "└" : "+", role: .axis, series: nil))
        let lo = NumberFormat.single(xMin), hi = NumberFormat.single(xMax)
        write(&rows, lo, x: x + gutter, y: y + plotH + 1, role: .label)
        write(&rows, hi, x: x + width - TextWidth.of(hi), y: y + plotH + 1, role: .label)
        let mid = "\(xName) " + (unicode ? "→" : "->")
        write(&rows, mid, x: x + gutter + max(TextWidth.of(lo) + 1, (plotW - TextWidth.of(mid)) / 2), y: y + plotH + 1, role: .title)
        write(&rows, (unicode ? "↑ " : "^ ") + yName, x: x + max(0, gutter - 1), y: y - 1, role: .title)
    }

    static func set(_ rows: inout [[PlotCell]], _ x: Int, _ y: Int, _ cell: PlotCell) {
        guard y >= 0, y < rows.count, x >= 0, x < rows[y].count else { return }
        rows[y][x] = cell
    }

    static func write(_ rows: inout [[PlotCell]], _ text: String, x: Int, y: Int, role: PlotCell.Role) {
        var cx = x
        for ch in text {
            set(&rows, cx, y, PlotCell(text: String(ch), role: role, series: nil))
            cx += 1
        }
    }
}
