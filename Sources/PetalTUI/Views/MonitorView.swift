import PetalData
import PetalSession

/// `monitor` in the workbench: a column chart of accuracy (or mae) per day or week — one column per period, the
/// latest that fit the width, a dot where no outcome has arrived yet — above the table of periods and drift.
public struct MonitorView: WorkbenchView {
    public let output: MonitorOutput
    private var top = 0

    public init(output: MonitorOutput) { self.output = output }

    public var title: String { "monitor \(output.reference): \(output.metricName) per \(output.weekly ? "week" : "day")" }

    public var hints: [KeyHint] { [KeyHint("↑↓", "scroll the table")] }

    /// Rows of the chart's plot area (without the axis and labels), for a view `height` rows tall.
    static func chartHeight(_ height: Int) -> Int { max(3, min(12, height / 2 - 2)) }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        guard !output.periods.isEmpty else {
            grid.put(output.emptyText, x: rect.x, y: rect.y, style: .muted, maxX: rect.maxX)
            return
        }
        let series = output.series
        let known = series.compactMap { $0 }.filter(\.isFinite)
        // Accuracy is drawn on 0…1; an error from 0 to its largest value.
        let high = output.classification ? 1.0 : max(known.max() ?? 1, .leastNonzeroMagnitude)
        let labels = [high, high / 2, 0].map { output.classification ? String(format: "%.2f", $0) : NumberFormat.single($0) }
        let axisWidth = (labels.map(TextWidth.of).max() ?? 4) + 1
        let plotX = rect.x + axisWidth + 1
        let height = Self.chartHeight(rect.height)
        let slot = max(2, min(7, (rect.maxX - plotX) / max(1, series.count)))
        let shown = max(1, min(series.count, (rect.maxX - plotX) / slot))
        let first = series.count - shown
        let barWidth = max(1, slot - 1)
        let blocks = context.unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : ["#"]
        for (k, label) in labels.enumerated() {
            let y = rect.y + k * (height - 1) / 2
            grid.put(String(repeating: " ", count: axisWidth - TextWidth.of(label)) + label, x: rect.x, y: y, style: .muted, maxX: rect.maxX)
        }
        let baseline = rect.y + height
        for y in rect.y..<baseline { grid.put(context.unicode ? "│" : "|", x: plotX - 1, y: y, style: .muted, maxX: rect.maxX) }
        grid.put(String(repeating: context.unicode ? "─" : "-", count: max(0, rect.maxX - plotX + 1)), x: plotX - 1, y: baseline, style: .muted, maxX: rect.maxX)
        for k in 0..<shown {
            let x = plotX + k * slot
            guard let value = series[first + k], value.isFinite else {
                grid.put(context.unicode ? "·" : ".", x: x, y: baseline - 1, style: .muted, maxX: rect.maxX)
                continue
            }
            // Eighths of a row (ASCII: whole rows).
            let steps = blocks.count
            let filled = Int((max(0, min(1, value / high)) * Double(height * steps)).rounded())
            for row in 0..<height {
                let inRow = min(steps, max(0, filled - row * steps))
                guard inRow > 0 else { break }
                let text = String(repeating: blocks[inRow - 1], count: barWidth)
                grid.put(text, x: x, y: baseline - 1 - row, style: CellStyle(.accent), maxX: rect.maxX)
            }
        }
        // Period labels under the axis: every column's when there is room, else the first and the last.
        let starts = output.periods.map { DateTimeText.format(micros: $0.start, dateOnly: true) }
        let short = starts.map { String($0.dropFirst(5)) }   // MM-DD
        if slot >= 6 {
            for k in 0..<shown { grid.put(short[first + k], x: plotX + k * slot, y: baseline + 1, style: .muted, maxX: rect.maxX) }
        } else {
            grid.put(starts[first], x: plotX, y: baseline + 1, style: .muted, maxX: rect.maxX)
            if shown > 1, let last = starts.last {
                grid.put(last, x: max(plotX + 11, plotX + (shown - 1) * slot + 1 - TextWidth.of(last)), y: baseline + 1, style: .muted, maxX: rect.maxX)
            }
        }
        let table = output.renderTable(width: rect.width).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var y = baseline + 3
        for line in table.dropFirst(top) where y < rect.maxY {
            grid.put(line, x: rect.x, y: y, style: .plain, maxX: rect.maxX)
            y += 1
        }
    }

    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse {
        switch key {
        case .down, .character("j"): top = min(output.periods.count, top + 1)
        case .up, .character("k"): top = max(0, top - 1)
        default: return .ignored
        }
        return .handled
    }
}
