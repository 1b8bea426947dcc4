import PetalData

/// The scatter matrix of `scatter` with more than two columns: a box per pair of columns with shared borders
/// (box-drawing lines, `+-|` in ASCII), the column's name on the diagonal (wrapped after `_`, never cut), and
/// each column's min and max as ticks: y ticks left of the first column of panels, x ticks under the last row.
/// Every panel of a column uses that column's range, so the ticks hold for the whole row or column.
enum ScatterMatrix {
    /// Lays the matrix out into `rows` (already `width` × `height` blanks).
    static func draw(columns: [String], values: [[Double]], classes: [Int], into rows: inout [[PlotCell]], width: Int, height: Int,
                     unicode: Bool) {
        let k = columns.count
        guard k > 0 else { return }
        let ranges = values.map { column -> (lo: Double, hi: Double)? in
            let finite = column.filter(\.isFinite)
            guard let lo = finite.min(), let hi = finite.max() else { return nil }
            return (lo, hi)
        }
        // A column's min and max share their decimals (2.0 and 4.4, not 2 and 4.4).
        let ticks = ranges.map { r -> (String, String) in
            guard let r else { return ("", "") }
            let both = NumberFormat.column([r.lo, r.hi])
            return (both.first ?? "", both.last ?? "")
        }
        let gutter = (ticks.flatMap { [TextWidth.of($0.0), TextWidth.of($0.1)] }.max() ?? 0) + 1
        // Shared borders: k panels take k * (inner + 1) + 1 cells; one row below for the x ticks.
        let innerW = (width - gutter - 1) / k - 1, innerH = (height - 1 - 1) / k - 1
        guard innerW >= 2, innerH >= 1 else {
            ScatterPanel.write(&rows, "too small for \(k) columns: widen the window or pick fewer columns=", x: 0, y: 0, role: .label)
            return
        }
        let stepX = innerW + 1, stepY = innerH + 1
        borders(into: &rows, x: gutter, k: k, stepX: stepX, stepY: stepY, unicode: unicode)
        for i in 0..<k {
            let top = i * stepY
            for j in 0..<k {
                let left = gutter + j * stepX
                if i == j {
                    name(columns[i], into: &rows, x: left + 1, y: top + 1, width: innerW, height: innerH)
                } else if let rx = ranges[j], let ry = ranges[i] {
                    dots(xs: values[j], ys: values[i], rx: rx, ry: ry, classes: classes, into: &rows, x: left + 1, y: top + 1,
                         width: innerW, height: innerH, unicode: unicode)
                }
            }
            // y ticks: the row's max beside its first interior row, its min beside its last (the border row above
            // when the panel is one row high).
            let (lo, hi) = ticks[i]
            ScatterPanel.write(&rows, lpad(hi, gutter - 1), x: 0, y: innerH == 1 ? top : top + 1, role: .label)
            ScatterPanel.write(&rows, lpad(lo, gutter - 1), x: 0, y: top + innerH, role: .label)
        }
        // x ticks under the last row: min at the panel's left, max at its right (only when both fit whole).
        let tickY = k * stepY + 1
        for j in 0..<k {
            let (lo, hi) = ticks[j]
            let left = gutter + j * stepX
            guard TextWidth.of(lo) + 1 + TextWidth.of(hi) <= innerW + 1 else { continue }
            ScatterPanel.write(&rows, lo, x: left + 1, y: tickY, role: .label)
            ScatterPanel.write(&rows, hi, x: left + innerW + 1 - TextWidth.of(hi), y: tickY, role: .label)
        }
    }

    /// The grid of boxes: horizontal lines every `stepY` rows, vertical ones every `stepX` cells, joined.
    private static func borders(into rows: inout [[PlotCell]], x: Int, k: Int, stepX: Int, stepY: Int, unicode: Bool) {
        let right = x + k * stepX, bottom = k * stepY
        func put(_ cx: Int, _ cy: Int, _ text: String) { ScatterPanel.set(&rows, cx, cy, PlotCell(text: text, role: .axis, series: nil)) }
        for cy in 0...bottom {
            for cx in x...right {
                let onRow = cy % stepY == 0, onColumn = (cx - x) % stepX == 0
                guard onRow || onColumn else { continue }
                guard unicode else { put(cx, cy, onRow && onColumn ? "+" : onRow ? "-" : "|"); continue }
                if !onColumn { put(cx, cy, "─"); continue }
                if !onRow { put(cx, cy, "│"); continue }
                let top = cy == 0, low = cy == bottom, first = cx == x, last = cx == right
                let corner: String
                switch (top, low, first, last) {
                case (true, _, true, _): corner = "┌"
                case (true, _, _, true): corner = "┐"
                case (true, _, _, _): corner = "┬"
                case (_, true, true, _): corner = "└"
                case (_, true, _, true): corner = "┘"
                case (_, true, _, _): corner = "┴"
                case (_, _, true, _): corner = "├"
                case (_, _, _, true): corner = "┤"
                default: corner = "┼"
                }
                put(cx, cy, corner)
            }
        }
    }

    /// A column's name in the middle of its diagonal panel, wrapped after `_` (or by cells) to the panel's width.
    private static func name(_ text: String, into rows: inout [[PlotCell]], x: Int, y: Int, width: Int, height: Int) {
        var lines = TextWidth.of(text) <= width ? [text]
            : TextWidth.wrap(text.replacingOccurrences(of: "_", with: "_ "), width: width).map { $0.replacingOccurrences(of: " ", with: "") }
        // Too many lines for the panel: join what fits by cells instead (still every character).
        if lines.count > height { lines = TextWidth.wrap(text, width: width) }
        let start = y + max(0, (height - lines.count) / 2)
        for (n, line) in lines.enumerated() {
            ScatterPanel.write(&rows, line, x: x + max(0, (width - TextWidth.of(line)) / 2), y: start + n, role: .title)
        }
    }

    /// The dots of one panel, scaled to the columns' whole ranges.
    private static func dots(xs: [Double], ys: [Double], rx: (lo: Double, hi: Double), ry: (lo: Double, hi: Double), classes: [Int],
                             into rows: inout [[PlotCell]], x: Int, y: Int, width: Int, height: Int, unicode: Bool) {
        var canvas = DotCanvas(width: width, height: height)
        let sx = rx.hi > rx.lo ? Double(canvas.dotsAcross - 1) / (rx.hi - rx.lo) : 0
        let sy = ry.hi > ry.lo ? Double(canvas.dotsDown - 1) / (ry.hi - ry.lo) : 0
        for (i, (a, b)) in zip(xs, ys).enumerated() where a.isFinite && b.isFinite {
            let px = Int(((a - rx.lo) * sx).rounded()), py = canvas.dotsDown - 1 - Int(((b - ry.lo) * sy).rounded())
            canvas.plot(x: px, y: py, seriesIndex: classes[safe: i] ?? 0)
        }
        for r in 0..<height {
            for c in 0..<width {
                let t = canvas.character(x: c, y: r, unicode: unicode)
                if t != " " {
                    ScatterPanel.set(&rows, x + c, y + r, PlotCell(text: t, role: .dot, series: classes.isEmpty ? nil : canvas.seriesIndex(x: c, y: r)))
                }
            }
        }
    }
}
