import PetalData
import PetalSession

/// The scatter plot (or scatter matrix) of `scatter`, dots coloured by class, with a legend.
public struct ScatterView: WorkbenchView {
    public let output: ScatterOutput
    public init(output: ScatterOutput) { self.output = output }

    public var title: String {
        output.dataset + ": " + (output.isMatrix ? "scatter matrix" : "\(output.columns[1]) against \(output.columns[0])")
            + (output.classColumn.map { " by \($0)" } ?? "")
    }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        let legendHeight = output.classNames.isEmpty ? 0 : 1
        let rows = output.layout(width: rect.width, height: rect.height - legendHeight, unicode: context.unicode)
        for (dy, row) in rows.enumerated() {
            for (dx, cell) in row.enumerated() where cell.role != .blank {
                grid.set(x: rect.x + dx, y: rect.y + dy, Cell(text: cell.text, style: PlotStyle.style(cell)))
            }
        }
        if legendHeight > 0 { Legend.draw(output.classNames, into: &grid, x: rect.x, y: rect.maxY - 1, maxX: rect.maxX, unicode: context.unicode) }
    }
}

/// Maps plot cells to styles: dots in their class colour, axes muted, titles accented.
enum PlotStyle {
    static func style(_ cell: PlotCell) -> CellStyle {
        switch cell.role {
        case .dot: return cell.series.map { $0 >= 0 ? CellStyle(.series($0)) : .plain } ?? CellStyle(.accent)
        case .axis, .label: return .muted
        case .title: return CellStyle(.accent)
        case .blank: return .plain
        }
    }
}

/// A one-line legend: a coloured mark and the class name for each class.
enum Legend {
    static func draw(_ names: [String], into grid: inout Grid, x: Int, y: Int, maxX: Int, unicode: Bool) {
        var cx = x
        for (k, name) in names.enumerated() {
            cx = grid.put(unicode ? "■ " : "# ", x: cx, y: y, style: CellStyle(.series(k)), maxX: maxX)
            cx = grid.put(name + "  ", x: cx, y: y, style: .plain, maxX: maxX)
        }
    }
}

/// The histogram of `hist`: horizontal bars per bin; stacked and coloured by class when the data set has a known
/// target (the last fit's), so students see which classes a range of values holds.
public struct HistogramView: WorkbenchView {
    public let output: HistogramOutput
    /// Per bin, the count of each class (same order as `classNames`); empty when no target is known.
    public let stacks: [[Int]]
    public let classNames: [String]
    private var top = 0

    public init(output: HistogramOutput, classNames: [String] = [], stacks: [[Int]] = []) {
        self.output = output; self.classNames = classNames; self.stacks = stacks
    }

    /// Per-bin class counts of `values` with numpy's edges (last bin closed), from class codes.
    public static func stacks(values: [Double], codes: [Int], classCount: Int, edges: [Double]) -> [[Int]] {
        let bins = max(0, edges.count - 1)
        var out = Array(repeating: Array(repeating: 0, count: classCount), count: bins)
        guard bins > 0, let lo = edges.first, let hi = edges.last else { return out }
        for (i, v) in values.enumerated() where v.isFinite && v >= lo && v <= hi {
            guard let code = codes[safe: i], code >= 0, code < classCount else { continue }
            var b = hi > lo ? Int((v - lo) / (hi - lo) * Double(bins)) : 0
            b = min(max(b, 0), bins - 1)
            // Correct float rounding against the real edges.
            while b > 0 && v < edges[b] { b -= 1 }
            while b < bins - 1 && v >= edges[b + 1] { b += 1 }
            out[b][code] += 1
        }
        return out
    }

    public var title: String { "\(output.dataset).\(output.column): histogram" + (classNames.isEmpty ? "" : ", stacked by class") }

    public var hints: [KeyHint] { [KeyHint("↑↓", "scroll")] }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        let h = output.histogram
        let n = h.counts.count
        let labels = output.binLabels
        let labelWidth = labels.map(TextWidth.of).max() ?? 0
        let maxCount = max(1, h.counts.max() ?? 1)
        let numberWidth = String(maxCount).count
        let barX = rect.x + labelWidth + numberWidth + 4
        let barWidth = max(4, rect.maxX - barX)
        var y = rect.y
        grid.put("\(NumberFormat.count(h.total)) values in \(n) bins" + (h.nullCount > 0 ? ", \(h.nullCount) null left out" : ""),
                 x: rect.x, y: y, style: .muted, maxX: rect.maxX)
        y += 1
        let legendRows = classNames.isEmpty ? 0 : 1
        for k in top..<n where y < rect.maxY - legendRows {
            grid.put(labels[k], x: rect.x, y: y, style: .muted, maxX: rect.maxX)
            let count = h.counts[k]
            grid.put(String(repeating: " ", count: numberWidth - String(count).count) + String(count), x: rect.x + labelWidth + 2, y: y)
            let total = Double(barWidth) * Double(count) / Double(maxCount)
            if let stack = stacks[safe: k], !classNames.isEmpty {
                var x = Double(barX)
                for (c, part) in stack.enumerated() where part > 0 {
                    let w = total * Double(part) / Double(max(1, count))
                    let start = Int(x.rounded()), end = Int((x + w).rounded())
                    for cx in start..<max(start + 1, end) where cx < rect.maxX {
                        grid.set(x: cx, y: y, Cell(text: context.unicode ? "█" : "#", style: CellStyle(.series(c))))
                    }
                    x += w
                }
            } else {
                let bar = context.unicode ? Bars.horizontal(Double(count) / Double(maxCount), width: barWidth, unicode: true)
                    : String(repeating: "#", count: Int(total.rounded()))
                grid.put(bar, x: barX, y: y, style: CellStyle(.accent), maxX: rect.maxX)
            }
            y += 1
        }
        if legendRows > 0 { Legend.draw(classNames, into: &grid, x: rect.x, y: min(y, rect.maxY - 1), maxX: rect.maxX, unicode: context.unicode) }
    }

    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse {
        switch key {
        case .down, .character("j"): top = min(max(0, output.histogram.counts.count - 1), top + 1)
        case .up, .character("k"): top = max(0, top - 1)
        default: return .ignored
        }
        return .handled
    }
}

/// The curves of `curves P`: ROC, precision–recall, calibration and learning-curve panels in braille, coloured by
/// class, with a legend of each class's AUC and average precision.
public struct CurvesView: WorkbenchView {
    public let output: CurvesOutput
    public init(output: CurvesOutput) { self.output = output }

    public var title: String { output.title }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        let legend = output.classes.isEmpty ? ["train", "validation"] : output.legend
        let rows = output.layout(width: rect.width, height: rect.height - 1, unicode: context.unicode)
        for (dy, row) in rows.enumerated() {
            for (dx, cell) in row.enumerated() where cell.role != .blank {
                grid.set(x: rect.x + dx, y: rect.y + dy, Cell(text: cell.text, style: PlotStyle.style(cell)))
            }
        }
        Legend.draw(legend, into: &grid, x: rect.x, y: rect.maxY - 1, maxX: rect.maxX, unicode: context.unicode)
    }
}
