import PetalData
import PetalSession

/// How wide a table column is drawn: measured from a sample of the whole column (so a sort or a filter does not
/// reveal values wider than the first screenful), widened by the rows on screen, and set by the user with `_`
/// (fit the widest value) and `-` (narrower), as in VisiData.
extension TableView {
    /// The widest a column is drawn unless the user widens it with `_`.
    static let widthCap = 40
    /// Rows measured when a column's width is sampled: the first 50, then evenly spaced ones across the column.
    static let sampleRows = 1_000

    /// The rows sampled from a column: the first 50, evenly spaced ones across the rest, and the last.
    static func sample(_ c: Column) -> [Int] {
        let head = min(c.count, 50)
        var rows = Array(0..<head)
        if c.count > head {
            let stride = max(1, (c.count - head) / sampleRows)
            rows += Swift.stride(from: head, to: c.count, by: stride)
            rows.append(c.count - 1)
        }
        return rows
    }

    /// A column's decimals (float columns) and width (header and sampled cells, at most `widthCap`).
    static func measure(_ c: Column) -> (width: Int, decimals: Int?) {
        let rows = sample(c)
        var decimals: Int?
        if case .float = c.storage {
            let values = rows.compactMap { c[$0].doubleValue }.filter(\.isFinite)
            if !values.isEmpty { decimals = NumberFormat.decimals(values, maxDecimals: 6) }
        }
        var w = max(TextWidth.of(c.name), c.type.rawValue.count, 4)
        for r in rows { w = max(w, TextWidth.of(text(c, r, decimals: decimals))) }
        return (min(w, widthCap), decimals)
    }

    /// The width column `k` is drawn at: the user's choice, else the sampled width widened by the rows now on
    /// screen (at most `widthCap`).
    func columnWidth(_ k: Int) -> Int {
        if let chosen = chosenWidths[k] { return chosen }
        guard frame.columns.indices.contains(k) else { return 4 }
        var w = baseWidths[safe: k] ?? 4
        let end = min(frame.rowCount, topRow + 60)
        if topRow < end { for r in topRow..<end { w = max(w, min(TableView.widthCap, TextWidth.of(text(k, frameRow(r))))) } }
        return w
    }

    /// `_`: the cursor's column as wide as its widest value (every row up to 200,000; at most 200 cells).
    mutating func fitWidth() {
        guard let c = frame.columns[safe: column] else { return }
        var w = max(TextWidth.of(c.name), c.type.rawValue.count, 4)
        for r in 0..<min(c.count, 200_000) { w = max(w, TextWidth.of(text(column, r))) }
        chosenWidths[column] = min(w, 200)
    }

    /// `-`: the cursor's column four cells narrower (at least 3).
    mutating func narrow() {
        chosenWidths[column] = max(3, columnWidth(column) - 4)
    }

    /// `o`: the row under the cursor on a page of its own, one column a line with its whole value (a long text
    /// wraps under itself instead of being cut), as VisiData's row view.
    func rowDetail(width: Int) -> TextView {
        let r = frameRow(row)
        let nameWidth = min(24, frame.columns.map { TextWidth.of($0.name) }.max() ?? 0)
        let lines = frame.columns.map { c in
            c.name + String(repeating: " ", count: max(0, nameWidth - TextWidth.of(c.name))) + "  " + TableView.text(c, r)
        }
        return TextView(title: "\(dataset) row \(label(r))", text: lines.joined(separator: "\n"), wrapping: max(20, width))
    }
}
